using System;
using System.Collections.Generic;
using System.IO;

namespace Btw.Demo.Data;

/// <summary>The data sets the demo knows, by name, with their split and standardisation rules.</summary>
internal static class DatasetCatalog
{
    /// <summary>The seed of every fixed data split (independent of the training seeds).</summary>
    public const int SplitSeed = 20250825;

    public static readonly IReadOnlyList<string> Names = new[] { "segment", "diabetes", "mnist", "synthetic", "synthetic-regression" };

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
                var split = SplitMaker.ThreeWay(generated.Data, 0.6, 0.2, 0.2, SplitSeed);
                var description = FormattableString.Invariant(
                    $"Generated ({options.Task}, modalities {string.Join("/", options.Kinds)}, {options.Width} features each, corruption {options.Corruption}, generator seed {options.Seed}); ") + split.Description;
                return new DataSplit(split.Train, split.Validation, split.Test, description).Standardize(StandardizationMode.PerFeature);
            default:
                throw new ArgumentException($"Unknown data set '{name}'; expected one of {string.Join(", ", Names)}.", nameof(name));
        }
    }
}
