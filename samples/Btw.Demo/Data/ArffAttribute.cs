using System;
using System.Collections.Generic;

namespace Btw.Demo.Data;

/// <summary>One <c>@attribute</c> declaration of an ARFF file: a numeric column or a nominal one with its values.</summary>
internal sealed class ArffAttribute
{
    public ArffAttribute(string name, IReadOnlyList<string>? nominalValues)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        NominalValues = nominalValues;
    }

    /// <summary>The attribute's name as written (quotes removed).</summary>
    public string Name { get; }

    /// <summary>The allowed values of a nominal attribute, in declaration order; null for a numeric one.</summary>
    public IReadOnlyList<string>? NominalValues { get; }

    public bool IsNominal => NominalValues is not null;

    /// <summary>The 0-based index of <paramref name="value"/> among the nominal values.</summary>
    public int IndexOf(string value, int line)
    {
        if (NominalValues is null)
        {
            throw new InvalidOperationException($"Attribute '{Name}' is numeric, not nominal.");
        }

        for (var i = 0; i < NominalValues.Count; i++)
        {
            if (string.Equals(NominalValues[i], value, StringComparison.Ordinal))
            {
                return i;
            }
        }

        throw new FormatException($"Line {line}: value '{value}' of nominal attribute '{Name}' is not one of {{{string.Join(",", NominalValues)}}}.");
    }
}
