using System;
using System.Linq;
using Btw.Demo.Data;
using Btw.Demo.Scenarios;
using Xunit;

namespace Btw.Samples.Tests.Scenarios;

public class ScenarioBuilderTests
{
    /// <summary>A 3-class, two-view toy split: view a = the row index, view b = minus the row index.</summary>
    private static MultiViewDataset Toy(int rows, int offset, Func<int, int> label)
    {
        var a = Enumerable.Range(0, rows).SelectMany(r => new[] { (float)(r + offset), (float)(r + offset) + 0.5f }).ToArray();
        var b = Enumerable.Range(0, rows).Select(r => -(float)(r + offset)).ToArray();
        return MultiViewDataset.Classification("toy", new[] { new DatasetView("a", new[] { "a1", "a2" }, a), new DatasetView("b", new[] { "b1" }, b) }, Enumerable.Range(0, rows).Select(label).ToArray(), new[] { "x", "y", "z" });
    }

    private static DataSplit ToySplit(Func<int, int> label, int train = 300, int other = 100) =>
        new(Toy(train, 0, label), Toy(other, 10_000, label), Toy(other, 20_000, label), "toy");

    [Fact]
    public void Noise_views_have_the_stated_shape_unit_scale_and_do_not_depend_on_the_labels()
    {
        var split = ToySplit(r => r % 3);
        var noisy = ScenarioBuilder.AddNoiseViews(split, count: 2, width: 5, seed: 11);
        var relabelled = ScenarioBuilder.AddNoiseViews(ToySplit(r => (r * 7 + 1) % 3), count: 2, width: 5, seed: 11);

        foreach (var (part, original) in new[] { (noisy.Train, split.Train), (noisy.Validation, split.Validation), (noisy.Test, split.Test) })
        {
            Assert.Equal(new[] { "a", "b", "noise1", "noise2" }, part.ViewNames);
            Assert.Equal(original.Rows, part.Rows);
            Assert.Equal(new[] { 2, 1, 5, 5 }, part.Views.Select(v => v.Width));
            Assert.Equal(original.Views[0].Values, part.Views[0].Values);
            Assert.Equal(original.Labels, part.Labels);
        }

        // The same noise whatever the labels: a function of the seed, the part and the row count only.
        Assert.Equal(noisy.Train.Views[2].Values, relabelled.Train.Views[2].Values);
        Assert.Equal(noisy.Test.Views[3].Values, relabelled.Test.Views[3].Values);
        Assert.NotEqual(noisy.Train.Views[2].Values.Take(100), noisy.Validation.Views[2].Values.Take(100));
        Assert.NotEqual(noisy.Train.Views[2].Values, noisy.Train.Views[3].Values);

        // N(0, 1): 1,500 values per view of the training part; the mean is within 4 standard errors of 0, the SD near 1,
        // and each class's mean is within 4 standard errors of 0 too.
        var values = noisy.Train.Views[2].Values.Select(v => (double)v).ToArray();
        var mean = values.Average();
        var sd = Math.Sqrt(values.Average(v => (v - mean) * (v - mean)));
        Assert.InRange(mean, -4 / Math.Sqrt(values.Length), 4 / Math.Sqrt(values.Length));
        Assert.InRange(sd, 0.93, 1.07);
        for (var c = 0; c < 3; c++)
        {
            var rows = Enumerable.Range(0, noisy.Train.Rows).Where(r => noisy.Train.Labels![r] == c).ToArray();
            var classMean = rows.SelectMany(r => noisy.Train.Views[2].Values.Skip(r * 5).Take(5)).Average(v => (double)v);
            Assert.InRange(classMean, -4 / Math.Sqrt(rows.Length * 5), 4 / Math.Sqrt(rows.Length * 5));
        }
    }

    [Fact]
    public void Corruption_hits_the_stated_fraction_of_rows_of_train_validation_and_test_and_nothing_else()
    {
        var split = ToySplit(r => r % 3);
        var result = ScenarioBuilder.CorruptView(split, view: 0, fraction: 0.3, seed: 5);

        Assert.Equal(90, result.TrainRows.Count);
        Assert.Equal(30, result.ValidationRows.Count);
        Assert.Equal(30, result.TestRows.Count);
        foreach (var (before, after, hit) in new[] { (split.Train, result.Split.Train, result.TrainRows), (split.Validation, result.Split.Validation, result.ValidationRows), (split.Test, result.Split.Test, result.TestRows) })
        {
            Assert.Equal(hit.Count, hit.Distinct().Count());
            for (var r = 0; r < before.Rows; r++)
            {
                var changed = !before.Views[0].Row(r).SequenceEqual(after.Views[0].Row(r));
                Assert.Equal(hit.Contains(r), changed);
            }

            Assert.Equal(before.Views[1].Values, after.Views[1].Values);
            Assert.Equal(before.Labels, after.Labels);
        }

        var flags = result.Split.TrainCorrupted!;
        Assert.Equal(result.TrainRows, Enumerable.Range(0, split.Train.Rows).Where(r => flags[r, 0]));
        Assert.DoesNotContain(Enumerable.Range(0, split.Train.Rows), r => flags[r, 1]);
        Assert.Equal(result.TrainRows, ScenarioBuilder.CorruptView(split, 0, 0.3, 5).TrainRows);
        Assert.NotEqual(result.TrainRows, ScenarioBuilder.CorruptView(split, 0, 0.3, 6).TrainRows);
        Assert.Throws<ArgumentOutOfRangeException>(() => ScenarioBuilder.CorruptView(split, 2, 0.3, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => ScenarioBuilder.CorruptView(split, 0, 1.0, 5));
    }

    [Fact]
    public void A_small_training_set_is_a_seeded_stratified_subset_and_leaves_validation_and_test_alone()
    {
        // 300 rows, classes 0/1/2 in shares 1/2, 1/3, 1/6 (150/100/50).
        var split = ToySplit(r => r % 6 < 3 ? 0 : r % 6 < 5 ? 1 : 2);
        var small = ScenarioBuilder.ShrinkTraining(split, rows: 60, seed: 3);

        Assert.Equal(new[] { 30, 20, 10 }, small.Train.Labels!.GroupBy(l => l).OrderBy(g => g.Key).Select(g => g.Count()));
        Assert.Same(split.Validation, small.Validation);
        Assert.Same(split.Test, small.Test);

        // The kept rows are original training rows (view a holds the row index), distinct, and depend on the seed.
        var kept = Enumerable.Range(0, small.Train.Rows).Select(r => (int)small.Train.Views[0].Row(r)[0]).ToArray();
        Assert.Equal(60, kept.Distinct().Count());
        Assert.All(kept, r => Assert.Equal(split.Train.Labels![r], small.Train.Labels![Array.IndexOf(kept, r)]));
        var again = ScenarioBuilder.ShrinkTraining(split, 60, 3).Train.Views[0].Values;
        Assert.Equal(small.Train.Views[0].Values, again);
        Assert.NotEqual(small.Train.Views[0].Values, ScenarioBuilder.ShrinkTraining(split, 60, 4).Train.Views[0].Values);
    }

    [Fact]
    public void Apply_composes_the_presets_subset_first_then_noise_views()
    {
        var split = ToySplit(r => r % 3);
        var options = ScenarioBuilder.Preset(ScenarioKind.SmallTrain, "toy") with { DataSeed = 9 };
        var built = ScenarioBuilder.Apply(split, options);

        Assert.Equal(60, built.Train.Rows);
        Assert.Equal(100, built.Validation.Rows);
        Assert.Equal(new[] { "a", "b", "noise1", "noise2" }, built.Train.ViewNames);
        Assert.Equal(2, built.Train.Views[3].Width); // the widest real view's width
        Assert.Equal(split, ScenarioBuilder.Apply(split, ScenarioBuilder.Preset(ScenarioKind.Clean, "toy")));
        Assert.Equal(120, ScenarioBuilder.Preset(ScenarioKind.SmallTrain, "segment").TrainRows);
        Assert.Equal(0.5, ScenarioBuilder.Preset(ScenarioKind.Corruption, "diabetes").CorruptFraction);
        Assert.Throws<ArgumentException>(() => ScenarioBuilder.Apply(split, new ScenarioOptions { CorruptFraction = 0.2, CorruptView = "c" }));
    }
}
