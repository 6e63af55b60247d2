using System;
using System.Globalization;
using System.Linq;
using System.Text;
using Btw.Demo.Experiments;
using Btw.Demo.Metrics;

namespace Btw.Demo.Reporting;

/// <summary>The Markdown result tables shared by the console, report.md and RESULTS.md.</summary>
internal static class ResultTables
{
    /// <summary>The tables of a summary; <paramref name="split"/> names the split its metrics come from ("test" or "validation").</summary>
    public static string Markdown(ExperimentSummary summary, string split = "test")
    {
        ArgumentNullException.ThrowIfNull(summary);
        var sb = new StringBuilder();
        var direction = string.Join(", ", summary.Metrics.Select(m => $"{m} {(MetricSet.HigherIsBetter(m) ? "higher" : "lower")} is better"));
        foreach (var drop in summary.DropRates)
        {
            var rows = summary.Rows.Where(r => r.DropRate == drop).ToArray();
            var scale = summary.Metrics.ToDictionary(m => m, m => rows.Max(r => Math.Abs(r.Test[m].Mean)));
            Line(sb, $"#### Modality drop rate {Fmt(drop, "0.##")}: {split} metrics at the epoch selected on validation (mean ± SD over seeds; {direction})");
            Line(sb, "");
            Line(sb, "| mode | runs | " + string.Join(" | ", summary.Metrics) + " | best epoch | s/run |");
            Line(sb, "|---|---:|" + string.Concat(summary.Metrics.Select(_ => "---:|")) + "---:|---:|");
            foreach (var r in rows)
            {
                Line(sb, $"| {r.Label} | {r.Runs} | " + string.Join(" | ", summary.Metrics.Select(m => $"{Value(m, r.Test[m].Mean, scale[m])} ± {Value(m, r.Test[m].StdDev, scale[m])}"))
                    + $" | {Fmt(r.MeanBestEpoch, "0.0")} | {Fmt(r.MeanSeconds, "0.0")} |");
            }

            Line(sb, "");
            var compared = rows.Where(r => r.VersusUniform is not null).ToArray();
            if (compared.Length > 0)
            {
                Line(sb, $"Paired difference to Uniform (same seeds, same data and masks), mean [95% t-interval]; * = the interval excludes 0:");
                Line(sb, "");
                Line(sb, "| mode | pairs | " + string.Join(" | ", summary.Metrics.Select(m => "Δ " + m)) + " |");
                Line(sb, "|---|---:|" + string.Concat(summary.Metrics.Select(_ => "---:|")));
                foreach (var r in compared)
                {
                    var first = r.VersusUniform!.Values.First();
                    Line(sb, $"| {r.Label} | {first.Count} | " + string.Join(" | ", summary.Metrics.Select(m =>
                    {
                        var d = r.VersusUniform![m];
                        var interval = double.IsNaN(d.Lower) ? "[n/a]" : $"[{Signed(m, d.Lower, scale[m])}, {Signed(m, d.Upper, scale[m])}]";
                        return $"{Signed(m, d.Mean, scale[m])} {interval}{(d.Excludes0 ? " *" : "")}";
                    })) + " |");
                }

                Line(sb, "");
            }

            Line(sb, "Last-epoch mean BTW weight and mutual information (nats) per modality, mean over seeds:");
            Line(sb, "");
            Line(sb, "| mode | " + string.Join(" | ", summary.Views.Select(v => "w " + v)) + " | " + string.Join(" | ", summary.Views.Select(v => "MI " + v)) + " |");
            Line(sb, "|---|" + string.Concat(summary.Views.Select(_ => "---:|")) + string.Concat(summary.Views.Select(_ => "---:|")));
            foreach (var r in rows)
            {
                Line(sb, $"| {r.Label} | " + string.Join(" | ", r.FinalMeanWeights.Select(w => Fmt(w, "0.000"))) + " | "
                    + string.Join(" | ", r.FinalMutualInformation.Select(w => Fmt(w, "0.000"))) + " |");
            }

            Line(sb, "");
        }

        return sb.ToString();
    }

    /// <summary>
    /// A metric value: 4 decimals for scores in [0, 1] and for errors whose column (<paramref name="scale"/>,
    /// the largest absolute mean in it) is below 10; 2 decimals for errors in larger target units.
    /// </summary>
    public static string Value(string metric, double value, double scale = 0) =>
        double.IsNaN(value) ? "n/a" : Fmt(value, MetricSet.HigherIsBetter(metric) || scale < 10 ? "0.0000" : "0.00");

    public static string Signed(string metric, double value, double scale = 0) =>
        (value >= 0 ? "+" : "") + Value(metric, value, scale);

    public static string Fmt(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    private static void Line(StringBuilder sb, string text) => sb.Append(text).Append('\n');
}
