using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Btw.Demo.Metrics;
using Btw.Demo.Training;

namespace Btw.Demo.Reporting;

/// <summary>
/// PNG plots (ScottPlot): per drop rate, the validation selection metric per epoch per mode (mean over
/// seeds, shaded +- 1 SD); per drop rate and mode, the mean BTW weight of each modality per epoch.
/// </summary>
internal static class PlotWriter
{
    public const int Width = 900;
    public const int Height = 520;

    /// <summary>Writes the plots into <paramref name="directory"/> and returns their file names.</summary>
    public static IReadOnlyList<string> Write(string directory, IReadOnlyList<RunResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        Directory.CreateDirectory(directory);
        var files = new List<string>();
        if (results.Count == 0)
        {
            return files;
        }

        var metric = MetricSet.SelectionMetric(results[0].Test.Names.SequenceEqual(MetricSet.ClassificationNames) ? BtwTask.Classification : BtwTask.Regression);
        var views = results[0].ViewNames;
        foreach (var byDrop in results.GroupBy(r => r.Settings.DropRate).OrderBy(g => g.Key))
        {
            var drop = byDrop.Key.ToString("0.##", CultureInfo.InvariantCulture);
            var plot = new ScottPlot.Plot();
            foreach (var byMode in byDrop.GroupBy(r => r.Settings.Mode).OrderBy(g => g.Key))
            {
                var (xs, mean, sd) = EpochSeries(byMode.ToArray(), e => e.Validation[metric]);
                if (byMode.Count() > 1)
                {
                    var band = plot.Add.FillY(xs, mean.Zip(sd, (m, s) => m - s).ToArray(), mean.Zip(sd, (m, s) => m + s).ToArray());
                    band.FillColor = plot.Add.Palette.GetColor((int)byMode.Key).WithAlpha(0.15);
                    band.LineWidth = 0;
                }

                var line = plot.Add.Scatter(xs, mean, plot.Add.Palette.GetColor((int)byMode.Key));
                line.LegendText = $"{byMode.Key} (n={byMode.Count()})";
                line.MarkerSize = 3;
                line.LineWidth = 2;
            }

            plot.Title($"{results[0].Settings.Dataset}: validation {metric} per epoch (drop rate {drop}; mean ± SD over seeds)");
            plot.XLabel("epoch");
            plot.YLabel($"validation {metric}");
            plot.ShowLegend(ScottPlot.Edge.Right);
            var name = $"validation-{metric}-drop{drop}.png";
            plot.SavePng(Path.Combine(directory, name), Width, Height);
            files.Add(name);

            foreach (var byMode in byDrop.GroupBy(r => r.Settings.Mode).OrderBy(g => g.Key))
            {
                var weights = new ScottPlot.Plot();
                for (var j = 0; j < views.Count; j++)
                {
                    var index = j;
                    var (xs, mean, _) = EpochSeries(byMode.ToArray(), e => e.MeanWeights[index]);
                    var line = weights.Add.Scatter(xs, mean);
                    line.LegendText = views[j];
                    line.MarkerSize = 3;
                    line.LineWidth = 2;
                }

                weights.Title($"{results[0].Settings.Dataset}: mean BTW weight per modality, {byMode.Key} (drop rate {drop}; mean over {byMode.Count()} seeds)");
                weights.XLabel("epoch");
                weights.YLabel("mean weight over present training rows");
                weights.ShowLegend(ScottPlot.Edge.Right);
                var weightName = $"weights-{byMode.Key}-drop{drop}.png";
                weights.SavePng(Path.Combine(directory, weightName), Width, Height);
                files.Add(weightName);
            }
        }

        return files;
    }

    /// <summary>Per epoch (1..min epochs over runs): mean and population SD of a value over runs.</summary>
    private static (double[] Epochs, double[] Mean, double[] StdDev) EpochSeries(IReadOnlyList<RunResult> runs, Func<EpochRecord, double> value)
    {
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
}
