using System;
using System.Collections.Generic;
using System.Globalization;

namespace Btw.Demo.Scenarios;

/// <summary>
/// How to turn a loaded, standardised split into a scenario. The settings compose: noise views, a corrupted view
/// and a smaller training set can be combined. The data they generate depend on <see cref="DataSeed"/> only (never
/// on the training seed or the labels), so every mode and seed of an experiment sees the same data.
/// </summary>
internal sealed record ScenarioOptions
{
    /// <summary>The seed of the data the scenario generates (noise values, corrupted rows, the training subset). Default 7.</summary>
    public int DataSeed { get; init; } = 7;

    /// <summary>Number of pure-noise views to add (0 = none).</summary>
    public int NoiseViews { get; init; }

    /// <summary>Width of each noise view; null = the width of the widest real view.</summary>
    public int? NoiseWidth { get; init; }

    /// <summary>The name of the real view to corrupt; null = the first view. Used only when <see cref="CorruptFraction"/> &gt; 0.</summary>
    public string? CorruptView { get; init; }

    /// <summary>Fraction in [0, 1) of the rows of each split whose <see cref="CorruptView"/> is replaced by N(0, 1) noise (0 = none).</summary>
    public double CorruptFraction { get; init; }

    /// <summary>Number of training rows to keep (stratified for classification); null = all. Validation and test are kept whole.</summary>
    public int? TrainRows { get; init; }

    /// <summary>A short description of what the options do, for reports.</summary>
    public string Describe()
    {
        var parts = new List<string>();
        if (TrainRows is int rows)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"training split cut to {rows} rows (seeded; stratified for classification)"));
        }

        if (NoiseViews > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{NoiseViews} pure-noise view(s) of {(NoiseWidth is int w ? w.ToString(CultureInfo.InvariantCulture) : "the widest real view's")} N(0, 1) features added to every split"));
        }

        if (CorruptFraction > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"view '{CorruptView ?? "(first)"}' replaced by N(0, 1) noise on {CorruptFraction:0.##} of the rows of train, validation and test"));
        }

        return parts.Count == 0 ? "the data as shipped" : string.Join("; ", parts) + string.Create(CultureInfo.InvariantCulture, $" (data seed {DataSeed})");
    }

    /// <summary>Throws when a setting is out of range.</summary>
    public void Validate()
    {
        if (NoiseViews < 0)
        {
            throw new ArgumentException($"Noise views must be >= 0, was {NoiseViews}.");
        }

        if (NoiseWidth is < 1)
        {
            throw new ArgumentException($"Noise width must be >= 1, was {NoiseWidth}.");
        }

        if (CorruptFraction is < 0 or >= 1 || double.IsNaN(CorruptFraction))
        {
            throw new ArgumentException($"Corrupt fraction must be in [0, 1), was {CorruptFraction}.");
        }

        if (TrainRows is < 2)
        {
            throw new ArgumentException($"Training rows must be >= 2, was {TrainRows}.");
        }
    }
}
