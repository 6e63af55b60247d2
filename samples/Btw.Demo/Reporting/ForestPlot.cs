using System;
using System.Collections.Generic;
using System.Linq;
using Btw.Demo.Experiments;
using Btw.Demo.Metrics;

namespace Btw.Demo.Reporting;

/// <summary>
/// A forest plot of the paired differences to Uniform: one row per configuration (in the summary's order), a marker at
/// the mean difference and a bar over its 95% interval, a vertical line at 0; green when the interval excludes 0 on
/// the better side, red on the worse side, grey otherwise.
/// </summary>
internal static class ForestPlot
{
    /// <summary>The rows for one drop rate and metric: every configuration that has a paired difference to Uniform.</summary>
    public static IReadOnlyList<ForestRow> Rows(ExperimentSummary summary, double dropRate, string metric)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var higher = MetricSet.HigherIsBetter(metric);
        return summary.Rows
            .Where(r => r.DropRate == dropRate && r.VersusUniform is not null)
            .Select(r =>
            {
                var d = r.VersusUniform![metric];
                var better = !d.Excludes0 ? 0 : (d.Lower > 0) == higher ? 1 : -1;
                return new ForestRow(r.Label, d.Mean, d.Lower, d.Upper, better);
            })
            .ToArray();
    }

    /// <summary>Draws <paramref name="rows"/> (top to bottom) into a PNG file.</summary>
    public static void Save(string path, IReadOnlyList<ForestRow> rows, string title, string metric, int width = 760)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var plot = new ScottPlot.Plot();
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var y = rows.Count - i;
            var colour = row.Better > 0 ? ScottPlot.Colors.ForestGreen : row.Better < 0 ? ScottPlot.Colors.FireBrick : ScottPlot.Colors.DimGray;
            if (!double.IsNaN(row.Lower))
            {
                var bar = plot.Add.Line(row.Lower, y, row.Upper, y);
                bar.LineColor = colour;
                bar.LineWidth = 2;
                bar.MarkerSize = 0;
            }

            var marker = plot.Add.Marker(row.Mean, y);
            marker.Color = colour;
            marker.Size = 8;
        }

        var zero = plot.Add.VerticalLine(0);
        zero.Color = ScottPlot.Colors.Black;
        zero.LinePattern = ScottPlot.LinePattern.Dashed;
        zero.LineWidth = 1;
        plot.Axes.Left.SetTicks(Enumerable.Range(0, rows.Count).Select(i => (double)(rows.Count - i)).ToArray(), rows.Select(r => r.Label).ToArray());
        plot.Axes.SetLimitsY(0.3, rows.Count + 0.7);
        plot.Title(title);
        plot.XLabel($"mean and 95% paired t-interval ({(MetricSet.HigherIsBetter(metric) ? "> 0 is better" : "< 0 is better")})");
        plot.SavePng(path, width, Math.Max(260, 70 + 24 * rows.Count));
    }
}
