using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Btw.Demo.Experiments;
using Btw.Demo.Metrics;
using Btw.Demo.Training;

namespace Btw.Demo.Reporting;

/// <summary>
/// PNG plots (ScottPlot), per drop rate: a forest plot of every configuration's paired difference to Uniform
/// (<see cref="ForestPlot"/>); the validation selection metric and the training loss per epoch (mean ± 1 SD over
/// seeds; the y range is fitted to epochs 2 and later so that epoch 1 does not flatten the rest); and per featured
/// configuration the mean BTW weight (solid, left axis) and the mutual information in nats (dashed, right axis) of
/// each modality per epoch, mean ± 1 SD over seeds. Epoch e shows what EndEpoch produced at the end of epoch e: the
/// weights used during epoch e + 1 and the MI measured on epoch e's outputs.
/// </summary>
internal static class PlotWriter
{
    public const int Width = 800;
    public const int Height = 450;

    /// <summary>Curves show at most this many configurations; beyond it only <c>featured</c> ones.</summary>
    public const int MaxCurves = 7;

    /// <summary>
    /// Writes the plots into <paramref name="directory"/> and returns their file names. <paramref name="featured"/>:
    /// the configurations to draw curves and weights for (null = all, when there are at most <see cref="MaxCurves"/>).
    /// </summary>
    public static IReadOnlyList<string> Write(string directory, IReadOnlyList<RunResult> results, ExperimentSummary? summary = null, IReadOnlyCollection<string>? featured = null)
    {
        ArgumentNullException.ThrowIfNull(results);
        Directory.CreateDirectory(directory);
        var files = new List<string>();
        if (results.Count == 0)
        {
            return files;
        }

        var task = results[0].Test.Names.SequenceEqual(MetricSet.ClassificationNames) ? BtwTask.Classification : BtwTask.Regression;
        var metric = MetricSet.SelectionMetric(task);
        var dataset = results[0].Settings.Dataset;
        var labels = results.Select(r => r.Settings.Label).Distinct().ToArray();
        var shown = featured is not null ? labels.Where(featured.Contains).ToArray() : labels.Take(MaxCurves).ToArray();
        foreach (var byDrop in results.GroupBy(r => r.Settings.DropRate).OrderBy(g => g.Key))
        {
            var drop = byDrop.Key.ToString("0.##", CultureInfo.InvariantCulture);
            if (summary is not null)
            {
                var forestMetric = summary.Metrics[0];
                var rows = ForestPlot.Rows(summary, byDrop.Key, forestMetric);
                if (rows.Count > 0)
                {
                    var name = $"forest-{forestMetric}-drop{drop}.png";
                    ForestPlot.Save(Path.Combine(directory, name), rows, $"{dataset}: Δ test {forestMetric} vs Uniform (drop {drop}, {byDrop.Select(r => r.Settings.Seed).Distinct().Count()} seeds)", forestMetric);
                    files.Add(name);
                }
            }

            var groups = shown.Select(label => (label, runs: byDrop.Where(r => r.Settings.Label == label).ToArray())).Where(g => g.runs.Length > 0).ToArray();
            files.Add(Curves(directory, $"validation-{metric}-drop{drop}.png", groups, e => e.Validation[metric], $"{dataset}: validation {metric} (drop {drop}; mean ± SD over seeds)", $"validation {metric}"));
            files.Add(Curves(directory, $"train-loss-drop{drop}.png", groups, e => e.TrainLoss, $"{dataset}: training loss (drop {drop}; mean ± SD over seeds)", "task + unimodal + balance loss"));
            foreach (var (label, runs) in groups)
            {
                files.Add(WeightsAndInformation(directory, $"weights-{FileSafe(label)}-drop{drop}.png", runs, $"{dataset} {label}: weight (solid), MI (dashed), ± SD, {runs.Length} seeds"));
            }
        }

        return files;
    }

    /// <summary>A label as a file-name part ('+' becomes '_').</summary>
    public static string FileSafe(string label) => (label ?? throw new ArgumentNullException(nameof(label))).Replace('+', '_');

    /// <summary>Per epoch (1..min epochs over runs): mean and population SD of a value over runs.</summary>
    public static (double[] Epochs, double[] Mean, double[] StdDev) EpochSeries(IReadOnlyList<RunResult> runs, Func<EpochRecord, double> value)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(value);
        var epochs = runs.Min(r => r.Epochs.Count);
        var xs = new double[epochs];
        var mean = new double[epochs];
        var sd = new double[epochs];
        for (var e = 0; e < epochs; e++)
        {
            var values = runs.Select(r => value(r.Epochs[e])).ToArray();
            xs[e] = e + 1;
            mean[e] = values.Average();
            sd[e] = Math.Sqrt(values.Average(v => (v - mean[e]) * (v - mean[e])));
        }

        return (xs, mean, sd);
    }

    /// <summary>The y range of bands (mean ± sd) over epochs 2.. (all epochs when there is only one), padded by 5%.</summary>
    public static (double Low, double High) RangeAfterFirstEpoch(IEnumerable<(double[] Mean, double[] StdDev)> series)
    {
        ArgumentNullException.ThrowIfNull(series);
        var low = double.PositiveInfinity;
        var high = double.NegativeInfinity;
        foreach (var (mean, sd) in series)
        {
            for (var e = mean.Length > 1 ? 1 : 0; e < mean.Length; e++)
            {
                low = Math.Min(low, mean[e] - sd[e]);
                high = Math.Max(high, mean[e] + sd[e]);
            }
        }

        if (double.IsInfinity(low))
        {
            return (0, 1);
        }

        var pad = Math.Max(1e-6, (high - low) * 0.05);
        return (low - pad, high + pad);
    }

    private static string Curves(string directory, string name, (string Label, RunResult[] Runs)[] groups, Func<EpochRecord, double> value, string title, string yLabel)
    {
        var plot = new ScottPlot.Plot();
        var series = new List<(double[], double[])>();
        for (var i = 0; i < groups.Length; i++)
        {
            var (label, runs) = groups[i];
            var (xs, mean, sd) = EpochSeries(runs, value);
            series.Add((mean, sd));
            var line = BandedLine(plot, xs, mean, runs.Length > 1 ? sd : null, plot.Add.Palette.GetColor(i), 0.15);
            line.LegendText = $"{label} (n={runs.Length})";
            line.MarkerSize = 3;
            line.LineWidth = 2;
        }

        var (low, high) = RangeAfterFirstEpoch(series);
        plot.Axes.SetLimitsY(low, high);
        plot.Title(title);
        plot.XLabel("epoch");
        IntegerEpochTicks(plot);
        plot.YLabel(yLabel);
        plot.ShowLegend(ScottPlot.Edge.Right);
        plot.SavePng(Path.Combine(directory, name), Width, Height);
        return name;
    }

    private static string WeightsAndInformation(string directory, string name, RunResult[] runs, string title)
    {
        var plot = new ScottPlot.Plot();
        var views = runs[0].ViewNames;
        for (var j = 0; j < views.Count; j++)
        {
            var index = j;
            var colour = plot.Add.Palette.GetColor(j);
            var (xs, mean, sd) = EpochSeries(runs, e => e.MeanWeights[index]);
            var line = BandedLine(plot, xs, mean, sd, colour, 0.15);
            line.LegendText = $"w {views[j]}";
            line.MarkerSize = 3;
            line.LineWidth = 2;

            var (_, mi, miSd) = EpochSeries(runs, e => e.MutualInformation[index]);
            var miLine = BandedLine(plot, xs, mi, miSd, colour, 0.08, plot.Axes.Right);
            miLine.LegendText = $"MI {views[j]}";
            miLine.LinePattern = ScottPlot.LinePattern.Dashed;
            miLine.MarkerSize = 0;
            miLine.LineWidth = 1.5f;
        }

        plot.Title(title);
        plot.XLabel("epoch e: EndEpoch's output (weights used in epoch e + 1)");
        IntegerEpochTicks(plot);
        plot.Axes.Left.Label.Text = "mean weight (present rows)";
        plot.Axes.Right.Label.Text = "MI (nats)";
        plot.ShowLegend(ScottPlot.Edge.Right);
        plot.SavePng(Path.Combine(directory, name), Width, Height);
        return name;
    }

    /// <summary>
    /// Adds a line of <paramref name="mean"/> over <paramref name="xs"/> and, when <paramref name="sd"/> is given, a band of
    /// mean ± SD under it in the same colour at <paramref name="bandAlpha"/>; both on <paramref name="yAxis"/> (default: left).
    /// </summary>
    private static ScottPlot.Plottables.Scatter BandedLine(ScottPlot.Plot plot, double[] xs, double[] mean, double[]? sd, ScottPlot.Color colour,
        double bandAlpha, ScottPlot.IYAxis? yAxis = null)
    {
        if (sd is not null)
        {
            var band = plot.Add.FillY(xs, mean.Zip(sd, (m, s) => m - s).ToArray(), mean.Zip(sd, (m, s) => m + s).ToArray());
            band.FillColor = colour.WithAlpha(bandAlpha);
            band.LineWidth = 0;
            if (yAxis is not null)
            {
                band.Axes.YAxis = yAxis;
            }
        }

        var line = plot.Add.Scatter(xs, mean, colour);
        if (yAxis is not null)
        {
            line.Axes.YAxis = yAxis;
        }

        return line;
    }

    /// <summary>Epochs are whole numbers: no ticks at 1.5, 2.5, ...</summary>
    private static void IntegerEpochTicks(ScottPlot.Plot plot) =>
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
}
