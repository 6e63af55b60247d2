using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Btw.Demo.Data;
using Btw.Demo.Training;

namespace Btw.Demo.Scenarios;

/// <summary>
/// Builds the scenarios of <see cref="ScenarioKind"/> from a loaded, standardised split: pure-noise views, a view
/// corrupted on a fraction of rows, a smaller training set. Noise is N(0, 1), the scale of a standardised feature.
/// Everything generated depends on <see cref="ScenarioOptions.DataSeed"/> and the split's row counts, never on labels.
/// </summary>
internal static class ScenarioBuilder
{
    /// <summary>The missing-modality rate of <see cref="ScenarioKind.Missing"/>.</summary>
    public const double MissingDropRate = 0.3;

    /// <summary>The options of a preset on a data set (small-train keeps 120 segment rows or 60 of the other data sets).</summary>
    public static ScenarioOptions Preset(ScenarioKind kind, string dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return kind switch
        {
            ScenarioKind.NoiseViews => new ScenarioOptions { NoiseViews = 2 },
            ScenarioKind.Corruption => new ScenarioOptions { CorruptFraction = 0.5 },
            ScenarioKind.SmallTrain => new ScenarioOptions { NoiseViews = 2, TrainRows = dataset.Equals("segment", StringComparison.OrdinalIgnoreCase) ? 120 : 60 },
            _ => new ScenarioOptions(),
        };
    }

    /// <summary>Applies <paramref name="options"/>: first the training subset, then the noise views, then the corruption.</summary>
    public static DataSplit Apply(DataSplit split, ScenarioOptions options)
    {
        ArgumentNullException.ThrowIfNull(split);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (options.TrainRows is int rows && rows < split.Train.Rows)
        {
            split = ShrinkTraining(split, rows, options.DataSeed);
        }

        if (options.NoiseViews > 0)
        {
            split = AddNoiseViews(split, options.NoiseViews, options.NoiseWidth ?? split.Train.Views.Max(v => v.Width), options.DataSeed);
        }

        if (options.CorruptFraction > 0)
        {
            var view = options.CorruptView is null ? 0 : IndexOfView(split.Train, options.CorruptView);
            split = CorruptView(split, view, options.CorruptFraction, options.DataSeed).Split;
        }

        return split;
    }

    /// <summary>
    /// Adds <paramref name="count"/> views named noise1, noise2, ... of <paramref name="width"/> N(0, 1) features to
    /// every split. Their values are drawn from a generator seeded by <paramref name="seed"/> and the part (train 1,
    /// validation 2, test 3) only, so they are independent of the labels.
    /// </summary>
    public static DataSplit AddNoiseViews(DataSplit split, int count, int width, int seed)
    {
        ArgumentNullException.ThrowIfNull(split);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        var features = Enumerable.Range(1, width).Select(i => string.Create(CultureInfo.InvariantCulture, $"n{i}")).ToArray();
        MultiViewDataset Extend(MultiViewDataset data, int part)
        {
            var random = new Random(Trainer.DerivedSeed(seed, 100 + part));
            var views = data.Views.ToList();
            for (var v = 1; v <= count; v++)
            {
                views.Add(new DatasetView(string.Create(CultureInfo.InvariantCulture, $"noise{v}"), features, Gaussian(random, data.Rows * width)));
            }

            return data.WithViews(views);
        }

        bool[,]? corrupted = null;
        if (split.TrainCorrupted is { } flags)
        {
            corrupted = new bool[flags.GetLength(0), flags.GetLength(1) + count];
            for (var r = 0; r < flags.GetLength(0); r++)
            {
                for (var m = 0; m < flags.GetLength(1); m++)
                {
                    corrupted[r, m] = flags[r, m];
                }
            }
        }

        return new DataSplit(Extend(split.Train, 1), Extend(split.Validation, 2), Extend(split.Test, 3), split.Description, corrupted);
    }

    /// <summary>
    /// Replaces view <paramref name="view"/> by N(0, 1) noise on round(<paramref name="fraction"/> x rows) rows of each
    /// split (train, validation and test), chosen uniformly at random with a generator seeded by <paramref name="seed"/>
    /// and the part. The training rows hit are recorded in <see cref="DataSplit.TrainCorrupted"/>.
    /// </summary>
    public static CorruptedSplit CorruptView(DataSplit split, int view, double fraction, int seed)
    {
        ArgumentNullException.ThrowIfNull(split);
        ArgumentOutOfRangeException.ThrowIfNegative(view);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(view, split.Train.Views.Count);
        if (fraction is < 0 or >= 1 || double.IsNaN(fraction))
        {
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "Must be in [0, 1).");
        }

        (MultiViewDataset Data, int[] Rows) Corrupt(MultiViewDataset data, int part)
        {
            var random = new Random(Trainer.DerivedSeed(seed, 200 + part));
            var order = Enumerable.Range(0, data.Rows).ToArray();
            SplitMaker.Shuffle(order, random);
            var hit = order.Take((int)Math.Round(fraction * data.Rows, MidpointRounding.AwayFromZero)).Order().ToArray();
            var target = data.Views[view];
            var values = (float[])target.Values.Clone();
            foreach (var r in hit)
            {
                Gaussian(random, target.Width).CopyTo(values.AsSpan(r * target.Width, target.Width));
            }

            var views = data.Views.ToArray();
            views[view] = target.WithValues(values);
            return (data.WithViews(views), hit);
        }

        var (train, trainRows) = Corrupt(split.Train, 1);
        var (validation, validationRows) = Corrupt(split.Validation, 2);
        var (test, testRows) = Corrupt(split.Test, 3);
        var m = split.Train.Views.Count;
        var flags = new bool[train.Rows, m];
        if (split.TrainCorrupted is { } old)
        {
            for (var r = 0; r < train.Rows; r++)
            {
                for (var j = 0; j < m; j++)
                {
                    flags[r, j] = old[r, j];
                }
            }
        }

        foreach (var r in trainRows)
        {
            flags[r, view] = true;
        }

        var description = split.Description + string.Create(CultureInfo.InvariantCulture, $" View '{split.Train.Views[view].Name}' replaced by N(0, 1) noise on {trainRows.Length}/{validationRows.Length}/{testRows.Length} train/validation/test rows.");
        return new CorruptedSplit(new DataSplit(train, validation, test, description, flags), view, trainRows, validationRows, testRows);
    }

    /// <summary>
    /// Keeps <paramref name="rows"/> training rows, chosen with <see cref="SplitMaker.Split"/> (stratified by class for
    /// classification, seeded by <paramref name="seed"/>); validation and test are unchanged.
    /// </summary>
    public static DataSplit ShrinkTraining(DataSplit split, int rows, int seed)
    {
        ArgumentNullException.ThrowIfNull(split);
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(rows, split.Train.Rows);
        var fraction = (double)rows / split.Train.Rows;
        var kept = SplitMaker.Split(split.Train, new[] { 1 - fraction, fraction }, seed)[1];
        bool[,]? corrupted = null;
        if (split.TrainCorrupted is { } flags)
        {
            corrupted = new bool[kept.Length, flags.GetLength(1)];
            for (var r = 0; r < kept.Length; r++)
            {
                for (var m = 0; m < flags.GetLength(1); m++)
                {
                    corrupted[r, m] = flags[kept[r], m];
                }
            }
        }

        var description = split.Description + string.Create(CultureInfo.InvariantCulture, $" Training split cut to {kept.Length} rows (seed {seed}{(split.Train.Task == BtwTask.Classification ? ", stratified" : "")}).");
        return new DataSplit(split.Train.Select(kept), split.Validation, split.Test, description, corrupted);
    }

    /// <summary>The index of the view called <paramref name="name"/> (case-insensitive).</summary>
    public static int IndexOfView(MultiViewDataset data, string name)
    {
        ArgumentNullException.ThrowIfNull(data);
        for (var i = 0; i < data.Views.Count; i++)
        {
            if (data.Views[i].Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        throw new ArgumentException($"No view '{name}'; the views are {string.Join(", ", data.ViewNames)}.", nameof(name));
    }

    private static float[] Gaussian(Random random, int count)
    {
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            // Box-Muller on (0, 1]
            var u1 = 1.0 - random.NextDouble();
            var u2 = random.NextDouble();
            values[i] = (float)(Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }

        return values;
    }
}
