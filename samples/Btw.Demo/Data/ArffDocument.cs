using System;
using System.Collections.Generic;

namespace Btw.Demo.Data;

/// <summary>
/// A parsed ARFF file: the relation name, the attributes and the rows. Numeric values are stored as
/// doubles; a nominal value is stored as the 0-based index of its value in the attribute's declaration;
/// a missing value (<c>?</c>) is stored as <see cref="double.NaN"/>.
/// </summary>
internal sealed class ArffDocument
{
    public ArffDocument(string relation, IReadOnlyList<ArffAttribute> attributes, IReadOnlyList<double[]> rows)
    {
        Relation = relation;
        Attributes = attributes;
        Rows = rows;
    }

    public string Relation { get; }

    public IReadOnlyList<ArffAttribute> Attributes { get; }

    public IReadOnlyList<double[]> Rows { get; }

    /// <summary>The column index of the attribute called <paramref name="name"/> (ordinal, case-insensitive as ARFF keywords are).</summary>
    public int IndexOf(string name)
    {
        for (var i = 0; i < Attributes.Count; i++)
        {
            if (string.Equals(Attributes[i].Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        throw new KeyNotFoundException($"Relation '{Relation}' has no attribute '{name}'.");
    }
}
