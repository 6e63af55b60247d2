using System;
using System.Collections.Generic;
using System.IO;

namespace Btw.Demo.Data;

/// <summary>The data sets the demo knows, by name, with their split and standardisation rules.</summary>
internal static class DatasetCatalog
{
    /// <summary>The seed of every fixed data split (independent of the training seeds).</summary>
    public const int SplitSeed = 20250825;

    private static readonly double[] ThreeWayFractions = { 0.6, 0.2, 0.2 };

    public static readonly IReadOnlyList<string> Names = new[] { "segment", "diabetes", "mnist", "synthetic", "synthetic-regression", "digits", "breast-cancer", "movies" };

    /// <summary>
    /// The held-out data sets (issue 15): real multi-view data that no choice of the project (defaults, knobs,
    /// <c>BtwOptions.Recommended</c>) has read. They are only ever used to check a choice made elsewhere.
    /// </summary>
    public static readonly IReadOnlyList<string> HeldOut = new[] { "digits", "breast-cancer", "movies" };

    /// <summary>Loads <paramref name="name"/>, splits it and standardises it with training statistics only.</summary>
    public static DataSplit Load(string name, DemoPaths paths, SyntheticOptions? synthetic = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(paths);
        switch (name.ToUpperInvariant())
        {
            case "SEGMENT":
                return SegmentData.Load(Path.Combine(paths.DataDirectory, "segment"), SplitSeed).Standardize(StandardizationMode.PerFeature);
            case "DIABETES":
                return DiabetesData.Load(Path.Combine(paths.DataDirectory, "diabetes"), SplitSeed).Standardize(StandardizationMode.PerFeature);
            case "DIGITS":
                return DigitsData.Load(Path.Combine(paths.DataDirectory, "digits"), SplitSeed).Standardize(StandardizationMode.PerFeature);
            case "BREAST-CANCER":
                return BreastCancerData.Load(Path.Combine(paths.DataDirectory, "breast-cancer"), SplitSeed).Standardize(StandardizationMode.PerFeature);
            case "MOVIES":
                return MoviesData.Load(Path.Combine(Path.GetDirectoryName(paths.MnistCacheDirectory)!, "vega-datasets"), SplitSeed).Standardize(StandardizationMode.PerFeature);
            case "MNIST":
                return MnistData.LoadSplit(paths.MnistCacheDirectory, SplitSeed).Standardize(StandardizationMode.PerView);
            case "SYNTHETIC":
            case "SYNTHETIC-REGRESSION":
                var options = synthetic ?? new SyntheticOptions();
                if (name.Equals("synthetic-regression", StringComparison.OrdinalIgnoreCase))
                {
                    options.Task = BtwTask.Regression;
                }

                var generated = SyntheticData.Generate(options);
                var parts = SplitMaker.Split(generated.Data, ThreeWayFractions, SplitSeed);
                var corrupted = new bool[parts[0].Length, options.Kinds.Count];
                for (var r = 0; r < parts[0].Length; r++)
                {
                    for (var m = 0; m < options.Kinds.Count; m++)
                    {
                        corrupted[r, m] = generated.Corrupted[parts[0][r], m];
                    }
                }

                var description = FormattableString.Invariant(
                    $"Generated ({options.Task}, modalities {string.Join("/", options.Kinds)}, {options.Width} features each, corruption {options.Corruption}, generator seed {options.Seed}); {generated.Data.Rows} rows, {(options.Task == BtwTask.Classification ? "stratified" : "shuffled")} 60/20/20 train/validation/test (split seed {SplitSeed}): {parts[0].Length}/{parts[1].Length}/{parts[2].Length} rows.");
                return new DataSplit(generated.Data.Select(parts[0]), generated.Data.Select(parts[1]), generated.Data.Select(parts[2]), description, corrupted)
                    .Standardize(StandardizationMode.PerFeature);
            default:
                throw new ArgumentException($"Unknown data set '{name}'; expected one of {string.Join(", ", Names)}.", nameof(name));
        }
    }
}
