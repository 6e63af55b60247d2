using System;
using System.Linq;
using Btw.Demo.Data;
using Xunit;

namespace Btw.Samples.Tests.Data;

public class SplitAndStandardizerTests
{
    private static MultiViewDataset Toy(int rows, int classes)
    {
        var values = Enumerable.Range(0, rows * 2).Select(i => (float)i).ToArray();
        var labels = Enumerable.Range(0, rows).Select(i => i % classes).ToArray();
        return MultiViewDataset.Classification("toy", new[] { new DatasetView("v", new[] { "a", "b" }, values) }, labels, Enumerable.Range(0, classes).Select(c => $"c{c}").ToArray());
    }

    [Fact]
    public void A_stratified_three_way_split_is_a_partition_with_the_class_shares_kept()
    {
        var data = Toy(100, 4);
        var parts = SplitMaker.Split(data, new[] { 0.6, 0.2, 0.2 }, seed: 1);

        var all = parts.SelectMany(p => p).Order().ToArray();
        Assert.Equal(Enumerable.Range(0, 100), all);
        Assert.Equal(new[] { 60, 20, 20 }, parts.Select(p => p.Length));
        foreach (var part in parts)
        {
            var perClass = part.GroupBy(r => data.Labels![r]).Select(g => g.Count()).ToArray();
            Assert.Equal(4, perClass.Length);
            Assert.Single(perClass.Distinct()); // 25 rows per class -> 15/5/5 each
        }

        Assert.Equal(parts[1], SplitMaker.Split(data, new[] { 0.6, 0.2, 0.2 }, seed: 1)[1]);
        Assert.NotEqual(parts[1], SplitMaker.Split(data, new[] { 0.6, 0.2, 0.2 }, seed: 2)[1]);
        Assert.Throws<ArgumentException>(() => SplitMaker.Split(data, new[] { 0.6, 0.3 }, 1));
    }

    [Fact]
    public void Standardisation_uses_training_statistics_only()
    {
        var train = MultiViewDataset.Regression("t", new[] { new DatasetView("v", new[] { "a", "k" }, new[] { 1f, 5f, 3f, 5f, 5f, 5f }) }, new[] { 0f, 0f, 0f });
        var other = MultiViewDataset.Regression("t", new[] { new DatasetView("v", new[] { "a", "k" }, new[] { 7f, 6f }) }, new[] { 0f });
        var s = Standardizer.Fit(train, StandardizationMode.PerFeature);

        // column a: mean 3, population sd sqrt(8/3); column k: constant -> only centred
        var sd = Math.Sqrt(8.0 / 3);
        var t = s.Apply(train).Views[0].Values;
        Assert.Equal(-2 / sd, t[0], 5);
        Assert.Equal(0, t[2], 5);
        Assert.Equal(0, t[1], 5);
        var o = s.Apply(other).Views[0].Values;
        Assert.Equal(4 / sd, o[0], 5);
        Assert.Equal(1, o[1], 5);
    }

    [Fact]
    public void Per_view_standardisation_uses_one_mean_and_sd_for_all_columns()
    {
        var train = MultiViewDataset.Regression("t", new[] { new DatasetView("v", new[] { "a", "b" }, new[] { 0f, 2f, 4f, 6f }) }, new[] { 0f, 0f });
        var s = Standardizer.Fit(train, StandardizationMode.PerView);

        Assert.Equal(new[] { 3.0, 3.0 }, s.Means[0]);
        Assert.Equal(Math.Sqrt(5), s.StdDevs[0][1], 10);
        Assert.Equal(-3 / Math.Sqrt(5), s.Apply(train).Views[0].Values[0], 5);
    }
}
