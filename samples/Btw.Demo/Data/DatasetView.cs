using System;
using System.Collections.Generic;

namespace Btw.Demo.Data;

/// <summary>
/// One modality ("view") of a data set: a named group of feature columns, stored row-major as
/// <c>float[rows * Width]</c>.
/// </summary>
internal sealed class DatasetView
{
    public DatasetView(string name, IReadOnlyList<string> featureNames, float[] values)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(featureNames);
        ArgumentNullException.ThrowIfNull(values);
        if (featureNames.Count == 0)
        {
            throw new ArgumentException($"View '{name}' has no features.", nameof(featureNames));
        }

        if (values.Length % featureNames.Count != 0)
        {
            throw new ArgumentException($"View '{name}': {values.Length} values are not a whole number of rows of width {featureNames.Count}.", nameof(values));
        }

        Name = name;
        FeatureNames = featureNames;
        Values = values;
    }

    public string Name { get; }

    public IReadOnlyList<string> FeatureNames { get; }

    public int Width => FeatureNames.Count;

    public int Rows => Values.Length / Width;

    /// <summary>Row-major values, <c>[Rows * Width]</c>.</summary>
    public float[] Values { get; }

    public ReadOnlySpan<float> Row(int row) => Values.AsSpan(row * Width, Width);

    /// <summary>A new view holding the given rows, in the given order.</summary>
    public DatasetView Select(IReadOnlyList<int> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var values = new float[rows.Count * Width];
        for (var i = 0; i < rows.Count; i++)
        {
            Row(rows[i]).CopyTo(values.AsSpan(i * Width, Width));
        }

        return new DatasetView(Name, FeatureNames, values);
    }

    public DatasetView WithValues(float[] values) => new(Name, FeatureNames, values);
}
