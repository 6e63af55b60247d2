using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Xml.Linq;
using Xunit;

namespace Btw.Tests.Packaging;

/// <summary>
/// The XML documentation beside Btw.dll (what the package ships; the build filters it with tools/Btw.PublicDocs, which
/// reads metadata) documents exactly the public API: every entry names a type or member a user can reach, and every
/// public type and member written in the source has its entry. The ids are recomputed here independently, with
/// System.Reflection on the loaded assembly.
/// </summary>
public class PublicDocumentationTests
{
    private const BindingFlags Declared = BindingFlags.DeclaredOnly | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static;
    private static readonly Assembly Library = typeof(BtwWeighter).Assembly;

    private static HashSet<string> Entries()
    {
        var path = Path.ChangeExtension(Library.Location, ".xml");
        Assert.True(File.Exists(path), $"{path} is missing: the build must copy the library's XML documentation");
        return XDocument.Load(path).Root!.Element("members")!.Elements("member").Select(m => (string)m.Attribute("name")!).ToHashSet(StringComparer.Ordinal);
    }

    [Fact]
    public void Every_entry_documents_a_public_or_protected_member_of_a_public_type()
    {
        var reachable = Reachable(includeSynthesized: true);
        var entries = Entries();
        Assert.Empty(entries.Where(e => !reachable.Contains(e)).Order());
        Assert.DoesNotContain(entries, e => e.Contains("ToBytes", StringComparison.Ordinal) || e.Contains("BytesPerExample", StringComparison.Ordinal)
            || e.Contains("ExpertRowsProcessed", StringComparison.Ordinal) || e.Contains("ChebyshevKdTree", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_public_member_written_in_the_source_keeps_its_entry()
    {
        var entries = Entries();
        var missing = Reachable(includeSynthesized: false).Where(id => !entries.Contains(id)).Order().ToList();
        Assert.Empty(missing);
        Assert.Contains("M:Btw.BtwWeighter.Observe(TorchSharp.torch.Tensor,System.Collections.Generic.IReadOnlyList{TorchSharp.torch.Tensor},TorchSharp.torch.Tensor,TorchSharp.torch.Tensor)", entries);
        Assert.Contains("M:Btw.BtwEpochReport.WriteTo(TorchSharp.Modules.SummaryWriter,System.String,System.Collections.Generic.IReadOnlyList{System.String})", entries);
    }

    // The doc ids of every reachable type and member. Without the synthesized ones: no accessors, no compiler-generated
    // members (record equality, enum value__), no parameterless constructors (implicit ones have no documentation).
    private static HashSet<string> Reachable(bool includeSynthesized)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var type in Library.GetTypes().Where(IsReachable))
        {
            var typeName = Name(type);
            ids.Add("T:" + typeName);
            var record = type.GetMethod("<Clone>$") is not null;
            foreach (var member in type.GetMembers(Declared))
            {
                if (!includeSynthesized && (member.IsDefined(typeof(CompilerGeneratedAttribute)) || (record && IsRecordMember(member))))
                {
                    continue;
                }

                switch (member)
                {
                    case FieldInfo f when Reachable(f.IsPublic, f.IsFamily, f.IsFamilyOrAssembly) && (includeSynthesized || !f.IsSpecialName):
                        ids.Add($"F:{typeName}.{f.Name}");
                        break;
                    case ConstructorInfo c when Reachable(c.IsPublic, c.IsFamily, c.IsFamilyOrAssembly) && (includeSynthesized || c.GetParameters().Length > 0):
                        ids.Add($"M:{typeName}.{(c.IsStatic ? "#cctor" : "#ctor")}{Parameters(c.GetParameters())}");
                        break;
                    case MethodInfo m when Reachable(m.IsPublic, m.IsFamily, m.IsFamilyOrAssembly) && (includeSynthesized || !m.IsSpecialName || m.Name.StartsWith("op_", StringComparison.Ordinal)):
                        var id = $"M:{typeName}.{m.Name.Replace('.', '#')}{(m.IsGenericMethodDefinition ? "``" + m.GetGenericArguments().Length : string.Empty)}{Parameters(m.GetParameters())}";
                        ids.Add(m.Name is "op_Implicit" or "op_Explicit" ? id + "~" + Name(m.ReturnType) : id);
                        break;
                    case PropertyInfo p when p.GetAccessors(nonPublic: true).Any(a => Reachable(a.IsPublic, a.IsFamily, a.IsFamilyOrAssembly)):
                        ids.Add($"P:{typeName}.{p.Name}{Parameters(p.GetIndexParameters())}");
                        break;
                    case EventInfo e when new[] { e.AddMethod, e.RemoveMethod }.Any(a => a is not null && Reachable(a.IsPublic, a.IsFamily, a.IsFamilyOrAssembly)):
                        ids.Add($"E:{typeName}.{e.Name}");
                        break;
                }
            }
        }

        return ids;
    }

    private static bool IsRecordMember(MemberInfo member) =>
        member.Name is "Equals" or "GetHashCode" or "ToString" or "PrintMembers" or "Deconstruct" or "<Clone>$" or "op_Equality" or "op_Inequality" or "EqualityContract"
        || (member is ConstructorInfo c && c.GetParameters() is [var only] && only.ParameterType == c.DeclaringType);

    private static bool Reachable(bool isPublic, bool isFamily, bool isFamilyOrAssembly) => isPublic || isFamily || isFamilyOrAssembly;

    private static bool IsReachable(Type type) =>
        type.IsPublic || ((type.IsNestedPublic || type.IsNestedFamily || type.IsNestedFamORAssem) && IsReachable(type.DeclaringType!));

    private static string Parameters(ParameterInfo[] parameters) =>
        parameters.Length == 0 ? string.Empty : "(" + string.Join(",", parameters.Select(p => Name(p.ParameterType))) + ")";

    private static string Name(Type type)
    {
        if (type.IsGenericParameter)
        {
            return (type.DeclaringMethod is null ? "`" : "``") + type.GenericParameterPosition;
        }

        if (type.IsByRef)
        {
            return Name(type.GetElementType()!) + "@";
        }

        if (type.IsPointer)
        {
            return Name(type.GetElementType()!) + "*";
        }

        if (type.IsArray)
        {
            var rank = type.GetArrayRank();
            return Name(type.GetElementType()!) + (type.IsSZArray ? "[]" : "[" + string.Join(",", Enumerable.Repeat("0:", rank)) + "]");
        }

        var outer = type.IsNested ? Name(type.DeclaringType!) : type.Namespace;
        if (type.IsGenericType && !type.IsGenericTypeDefinition)
        {
            var definition = type.GetGenericTypeDefinition().Name;
            return $"{outer}.{definition[..definition.IndexOf('`', StringComparison.Ordinal)]}{{{string.Join(",", type.GetGenericArguments().Select(Name))}}}";
        }

        return string.IsNullOrEmpty(outer) ? type.Name : outer + "." + type.Name;
    }
}
