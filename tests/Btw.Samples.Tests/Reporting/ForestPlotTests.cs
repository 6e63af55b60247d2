using System;
using System.IO;
using System.Linq;
using Btw.Demo.Experiments;
using Btw.Demo.Metrics;
using Btw.Demo.Reporting;
using Btw.Demo.Statistics;
using Btw.Samples.Tests.Experiments;
using Xunit;

namespace Btw.Samples.Tests.Reporting;

public class ForestPlotTests
{
    private static MetricSet Accuracy(double accuracy) => new(MetricSet.ClassificationNames, new[] { accuracy, accuracy, accuracy });

    private static MetricSet Mae(double mae) => new(MetricSet.RegressionNames, new[] { mae, mae, 0.5 });

    [Fact]
    public void Rows_are_the_paired_differences_to_uniform_with_their_intervals_and_direction()
    {
        double[] uniform = { 0.90, 0.92, 0.91 };
        double[] better = { 0.93, 0.95, 0.93 };  // +0.03, +0.03, +0.02
        double[] worse = { 0.85, 0.86, 0.86 };   // -0.05, -0.06, -0.05
        double[] level = { 0.91, 0.91, 0.92 };   // +0.01, -0.01, +0.01
        var results = Enumerable.Range(0, 3).SelectMany(i => new[]
        {
            GridSelectionTests.Run("Uniform", i + 1, Accuracy(0.5), Accuracy(uniform[i])),
            GridSelectionTests.Run("Mi", i + 1, Accuracy(0.5), Accuracy(better[i])),
            GridSelectionTests.Run("KlMi", i + 1, Accuracy(0.5), Accuracy(worse[i])),
            GridSelectionTests.Run("KlMi+agree+fo", i + 1, Accuracy(0.5), Accuracy(level[i])),
        }).ToArray();

        var rows = ForestPlot.Rows(ExperimentSummary.From(results), 0, "accuracy");

        Assert.Equal(new[] { "Mi", "KlMi", "KlMi+agree+fo" }, rows.Select(r => r.Label));
        var expected = SeedStatistics.Paired(better, uniform);
        Assert.Equal(expected.Mean, rows[0].Mean, 12);
        Assert.Equal(expected.Lower, rows[0].Lower, 12);
        Assert.Equal(expected.Upper, rows[0].Upper, 12);
        Assert.Equal(0.08 / 3, rows[0].Mean, 12);
        Assert.Equal(new[] { 1, -1, 0 }, rows.Select(r => r.Better));
        Assert.Equal(-0.16 / 3, rows[1].Mean, 12);
    }

    [Fact]
    public void For_an_error_metric_a_negative_difference_is_better_and_the_plot_is_a_png()
    {
        var results = Enumerable.Range(1, 3).SelectMany(s => new[]
        {
            GridSelectionTests.Run("Uniform", s, Mae(1), Mae(44 + s)),
            GridSelectionTests.Run("Mi", s, Mae(1), Mae(42 + s + (s == 2 ? 0.5 : 0))),
        }).ToArray();

        var rows = ForestPlot.Rows(ExperimentSummary.From(results), 0, "mae");

        Assert.Single(rows);
        Assert.Equal(-2 + 0.5 / 3, rows[0].Mean, 12);
        Assert.Equal(1, rows[0].Better);

        var path = Path.Combine(Path.GetTempPath(), $"btw-forest-{Guid.NewGuid():N}.png");
        try
        {
            ForestPlot.Save(path, rows, "test", "mae");
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, File.ReadAllBytes(path).Take(4));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void The_y_range_ignores_the_first_epoch()
    {
        var (low, high) = PlotWriter.RangeAfterFirstEpoch(new[] { (new[] { 5.0, 1.0, 0.8 }, new[] { 0.0, 0.1, 0.1 }) });

        Assert.Equal(0.7 - 0.02, low, 12);
        Assert.Equal(1.1 + 0.02, high, 12);
    }
}
