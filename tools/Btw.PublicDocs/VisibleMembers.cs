using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Btw.PublicDocs;

/// <summary>
/// The documentation ids (C# XML doc comment id strings: T:, M:, P:, F:, E:) of every type and member of an assembly that
/// code outside it can reach: public types, and public or protected nested types inside them, with their public,
/// protected and protected internal members (a property or event when one of its accessors is), and explicit
/// implementations of visible interfaces. Read from the metadata alone (System.Reflection.Metadata), so the assembly's
/// dependencies need not be loadable.
/// </summary>
internal static class VisibleMembers
{
    public static IReadOnlySet<string> Of(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        var names = new DocNames(reader);
        var visible = new HashSet<string>(StringComparer.Ordinal);
        foreach (var handle in reader.TypeDefinitions)
        {
            var type = reader.GetTypeDefinition(handle);
            if (!IsVisible(reader, type))
            {
                continue;
            }

            var typeName = names.TypeDefinition(handle);
            visible.Add("T:" + typeName);
            var context = new GenericContext(type.GetGenericParameters().Count, 0);
            foreach (var fieldHandle in type.GetFields())
            {
                var field = reader.GetFieldDefinition(fieldHandle);
                if (IsVisible(field.Attributes & FieldAttributes.FieldAccessMask))
                {
                    visible.Add($"F:{typeName}.{reader.GetString(field.Name)}");
                }
            }

            var explicitImplementations = ExplicitImplementations(reader, type);
            foreach (var methodHandle in type.GetMethods())
            {
                var method = reader.GetMethodDefinition(methodHandle);
                if (IsVisible(method.Attributes & MethodAttributes.MemberAccessMask) || explicitImplementations.Contains(methodHandle))
                {
                    visible.Add("M:" + names.Method(typeName, method, context));
                }
            }

            foreach (var propertyHandle in type.GetProperties())
            {
                var property = reader.GetPropertyDefinition(propertyHandle);
                var accessors = property.GetAccessors();
                if (AnyVisible(reader, explicitImplementations, accessors.Getter, accessors.Setter))
                {
                    visible.Add("P:" + names.Property(typeName, property, context));
                }
            }

            foreach (var eventHandle in type.GetEvents())
            {
                var @event = reader.GetEventDefinition(eventHandle);
                var accessors = @event.GetAccessors();
                if (AnyVisible(reader, explicitImplementations, accessors.Adder, accessors.Remover))
                {
                    visible.Add($"E:{typeName}.{DocNames.MemberName(reader.GetString(@event.Name))}");
                }
            }
        }

        return visible;
    }

    private static bool IsVisible(MetadataReader reader, TypeDefinition type)
    {
        while (true)
        {
            var access = type.Attributes & TypeAttributes.VisibilityMask;
            if (access == TypeAttributes.Public)
            {
                return true;
            }

            if (access is not (TypeAttributes.NestedPublic or TypeAttributes.NestedFamily or TypeAttributes.NestedFamORAssem))
            {
                return false;
            }

            type = reader.GetTypeDefinition(type.GetDeclaringType());
        }
    }

    private static bool IsVisible(FieldAttributes access) =>
        access is FieldAttributes.Public or FieldAttributes.Family or FieldAttributes.FamORAssem;

    private static bool IsVisible(MethodAttributes access) =>
        access is MethodAttributes.Public or MethodAttributes.Family or MethodAttributes.FamORAssem;

    private static bool AnyVisible(MetadataReader reader, HashSet<MethodDefinitionHandle> explicitImplementations, params MethodDefinitionHandle[] accessors) =>
        accessors.Any(a => !a.IsNil && (IsVisible(reader.GetMethodDefinition(a).Attributes & MethodAttributes.MemberAccessMask) || explicitImplementations.Contains(a)));

    // Methods of the type that explicitly implement a method of a visible interface (callable through that interface).
    private static HashSet<MethodDefinitionHandle> ExplicitImplementations(MetadataReader reader, TypeDefinition type)
    {
        var result = new HashSet<MethodDefinitionHandle>();
        foreach (var implementationHandle in type.GetMethodImplementations())
        {
            var implementation = reader.GetMethodImplementation(implementationHandle);
            if (implementation.MethodBody.Kind == HandleKind.MethodDefinition && InterfaceIsVisible(reader, implementation.MethodDeclaration))
            {
                result.Add((MethodDefinitionHandle)implementation.MethodBody);
            }
        }

        return result;
    }

    private static bool InterfaceIsVisible(MetadataReader reader, EntityHandle declaration)
    {
        EntityHandle parent;
        if (declaration.Kind == HandleKind.MethodDefinition)
        {
            parent = reader.GetMethodDefinition((MethodDefinitionHandle)declaration).GetDeclaringType();
        }
        else if (declaration.Kind == HandleKind.MemberReference)
        {
            parent = reader.GetMemberReference((MemberReferenceHandle)declaration).Parent;
        }
        else
        {
            return false;
        }

        if (parent.Kind == HandleKind.TypeSpecification)
        {
            var blob = reader.GetBlobReader(reader.GetTypeSpecification((TypeSpecificationHandle)parent).Signature);
            if (blob.ReadSignatureTypeCode() == SignatureTypeCode.GenericTypeInstance)
            {
                blob.ReadCompressedInteger();   // class or value type
                parent = blob.ReadTypeHandle();
            }
        }

        // Interfaces of other assemblies are public (an assembly cannot implement another's internal interface).
        return parent.Kind != HandleKind.TypeDefinition || IsVisible(reader, reader.GetTypeDefinition((TypeDefinitionHandle)parent));
    }
}

/// <summary>The generic arity in scope: the declaring type's and the method's.</summary>
internal readonly record struct GenericContext(int TypeParameters, int MethodParameters);

/// <summary>Builds documentation id strings from metadata, as the C# compiler writes them.</summary>
internal sealed class DocNames(MetadataReader reader) : ISignatureTypeProvider<string, GenericContext>
{
    /// <summary>The member name as it appears in an id: explicit implementations use '#' for '.', and '{' '}' for '&lt;' '&gt;'.</summary>
    public static string MemberName(string name) => name.Replace('.', '#').Replace('<', '{').Replace('>', '}').Replace(',', '@');

    public string TypeDefinition(TypeDefinitionHandle handle)
    {
        var type = reader.GetTypeDefinition(handle);
        var name = reader.GetString(type.Name);
        var declaring = type.GetDeclaringType();
        if (!declaring.IsNil)
        {
            return TypeDefinition(declaring) + "." + name;
        }

        var ns = reader.GetString(type.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }

    public string Method(string typeName, MethodDefinition method, GenericContext typeContext)
    {
        var name = reader.GetString(method.Name);
        var arity = method.GetGenericParameters().Count;
        var signature = method.DecodeSignature(this, typeContext with { MethodParameters = arity });
        var id = typeName + "." + MemberName(name) + (arity > 0 ? "``" + arity : string.Empty);
        if (signature.ParameterTypes.Length > 0)
        {
            id += "(" + string.Join(",", signature.ParameterTypes) + ")";
        }

        if (name is "op_Implicit" or "op_Explicit")
        {
            id += "~" + signature.ReturnType;
        }

        return id;
    }

    public string Property(string typeName, PropertyDefinition property, GenericContext context)
    {
        var signature = property.DecodeSignature(this, context);
        var id = typeName + "." + MemberName(reader.GetString(property.Name));
        return signature.ParameterTypes.Length > 0 ? id + "(" + string.Join(",", signature.ParameterTypes) + ")" : id;
    }

    public string GetArrayType(string elementType, ArrayShape shape) =>
        elementType + "[" + string.Join(",", Enumerable.Range(0, shape.Rank).Select(i => (i < shape.LowerBounds.Length ? shape.LowerBounds[i] : 0) + ":")) + "]";

    public string GetByReferenceType(string elementType) => elementType + "@";

    public string GetFunctionPointerType(MethodSignature<string> signature) => "=FUNC:" + signature.ReturnType + "(" + string.Join(",", signature.ParameterTypes) + ")";

    public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments)
    {
        var tick = genericType.LastIndexOf('`');
        var name = tick >= 0 ? genericType[..tick] : genericType;
        return name + "{" + string.Join(",", typeArguments) + "}";
    }

    public string GetGenericMethodParameter(GenericContext genericContext, int index) => "``" + index;

    public string GetGenericTypeParameter(GenericContext genericContext, int index) => "`" + index;

    public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;

    public string GetPinnedType(string elementType) => elementType;

    public string GetPointerType(string elementType) => elementType + "*";

    public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode switch
    {
        PrimitiveTypeCode.Boolean => "System.Boolean",
        PrimitiveTypeCode.Byte => "System.Byte",
        PrimitiveTypeCode.Char => "System.Char",
        PrimitiveTypeCode.Double => "System.Double",
        PrimitiveTypeCode.Int16 => "System.Int16",
        PrimitiveTypeCode.Int32 => "System.Int32",
        PrimitiveTypeCode.Int64 => "System.Int64",
        PrimitiveTypeCode.IntPtr => "System.IntPtr",
        PrimitiveTypeCode.Object => "System.Object",
        PrimitiveTypeCode.SByte => "System.SByte",
        PrimitiveTypeCode.Single => "System.Single",
        PrimitiveTypeCode.String => "System.String",
        PrimitiveTypeCode.TypedReference => "System.TypedReference",
        PrimitiveTypeCode.UInt16 => "System.UInt16",
        PrimitiveTypeCode.UInt32 => "System.UInt32",
        PrimitiveTypeCode.UInt64 => "System.UInt64",
        PrimitiveTypeCode.UIntPtr => "System.UIntPtr",
        PrimitiveTypeCode.Void => "System.Void",
        _ => throw new NotSupportedException($"Primitive type {typeCode}."),
    };

    public string GetSZArrayType(string elementType) => elementType + "[]";

    public string GetTypeFromDefinition(MetadataReader metadataReader, TypeDefinitionHandle handle, byte rawTypeKind) => TypeDefinition(handle);

    public string GetTypeFromReference(MetadataReader metadataReader, TypeReferenceHandle handle, byte rawTypeKind)
    {
        var type = metadataReader.GetTypeReference(handle);
        var name = metadataReader.GetString(type.Name);
        if (type.ResolutionScope.Kind == HandleKind.TypeReference)
        {
            return GetTypeFromReference(metadataReader, (TypeReferenceHandle)type.ResolutionScope, rawTypeKind) + "." + name;
        }

        var ns = metadataReader.GetString(type.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }

    public string GetTypeFromSpecification(MetadataReader metadataReader, GenericContext genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
        metadataReader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);
}
