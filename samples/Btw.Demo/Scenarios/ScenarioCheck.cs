using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Btw.Demo.Experiments;
using Btw.Demo.Metrics;
using Btw.Demo.Statistics;
using Btw.Demo.Training;

namespace Btw.Demo.Scenarios;

/// <summary>
/// Is this the paper's case? Uniform's fused test score beside each modality's own head of the same Uniform models
/// (trained jointly with the fused head, unimodal loss weight as configured, evaluated at the epoch selected for the
/// fused prediction, on every test row; a missing view's head sees zeros). The paper's motivating case is a fused
/// model that is worse than, or not much better than, its best single modality.
/// </summary>
internal static class ScenarioCheck
{
    /// <summary>Per drop rate: mean ± SD over seeds of the fused and every unimodal test metric, and the fused - best single gap.</summary>
    public static string Markdown(IReadOnlyList<RunResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        foreach (var byDrop in results.Where(r => r.Settings.Label == ExperimentSummary.UniformLabel && r.TestUnimodal.Count > 0).GroupBy(r => r.Settings.DropRate).OrderBy(g => g.Key))
        {
            var runs = byDrop.OrderBy(r => r.Settings.Seed).ToArray();
            var metric = runs[0].Test.Names[0];
            var higher = MetricSet.HigherIsBetter(metric);
            var views = runs[0].ViewNames;
            var fused = SeedStatistics.MeanStd(runs.Select(r => r.Test[metric]).ToArray());
            var single = views.Select((_, j) => SeedStatistics.MeanStd(runs.Select(r => r.TestUnimodal[j][metric]).ToArray())).ToArray();
            var best = higher ? Array.IndexOf(single, single.MaxBy(s => s.Mean)) : Array.IndexOf(single, single.MinBy(s => s.Mean));
            var gap = SeedStatistics.Paired(runs.Select(r => r.Test[metric]).ToArray(), runs.Select(r => r.TestUnimodal[best][metric]).ToArray());
            var against = runs[0].Settings.Protocol == Training.TrainingProtocol.TwoStage
                ? "each view's separately trained, frozen unimodal model (two-stage protocol)"
                : "each modality's own head of the same Uniform models";
            sb.Append(inv, $"Paper's-case check (drop rate {byDrop.Key:0.##}): Uniform's fused test {metric} beside {against} (mean ± SD over {runs.Length} seeds):\n\n");
            sb.Append("| Uniform fused | " + string.Join(" | ", views.Select(v => "head " + v)) + " | fused - best single [95% CI] |\n");
            sb.Append("|---:|" + string.Concat(views.Select(_ => "---:|")) + "---:|\n");
            sb.Append(inv, $"| {fused.Mean:0.0000} ± {fused.StdDev:0.0000} | ")
                .Append(string.Join(" | ", single.Select((s, j) => string.Create(inv, $"{(j == best ? "**" : "")}{s.Mean:0.0000} ± {s.StdDev:0.0000}{(j == best ? "**" : "")}"))))
                .Append(inv, $" | {gap.Mean:+0.0000;-0.0000} [{gap.Lower:+0.0000;-0.0000}, {gap.Upper:+0.0000;-0.0000}] |\n\n");
        }

        return sb.ToString();
    }
}
