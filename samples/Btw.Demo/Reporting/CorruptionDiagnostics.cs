using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Btw.Demo.Training;

namespace Btw.Demo.Reporting;

/// <summary>
/// Synthetic data only, where the truth is known: for each view that is replaced by noise in some training
/// rows, the mean final BTW weight of that view over the (present) rows where it is clean and where it is
/// noise, averaged over seeds. A weighting that recognises unreliable views gives the noisy rows less weight.
/// </summary>
internal static class CorruptionDiagnostics
{
    public static string Markdown(IReadOnlyList<RunResult> results, bool[,] corrupted)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(corrupted);
        var rows = corrupted.GetLength(0);
        var m = corrupted.GetLength(1);
        var affected = Enumerable.Range(0, m).Where(j => Enumerable.Range(0, rows).Any(r => corrupted[r, j])).ToArray();
        if (results.Count == 0 || affected.Length == 0)
        {
            return "";
        }

        var views = results[0].ViewNames;
        var sb = new StringBuilder();
        sb.Append("Known truth: mean final BTW weight of each corruptible view on training rows where it is clean vs. replaced by noise (mean over seeds; present rows only):\n\n");
        sb.Append("| drop | mode | " + string.Join(" | ", affected.Select(j => $"{views[j]} clean | {views[j]} noise")) + " |\n");
        sb.Append("|---:|---|" + string.Concat(affected.Select(_ => "---:|---:|")) + "\n");
        foreach (var group in results.GroupBy(r => (r.Settings.DropRate, r.Settings.Label)).OrderBy(g => g.Key.DropRate))
        {
            var cells = affected.Select(j =>
            {
                var clean = group.Select(run => MeanWeight(run, corrupted, j, wantCorrupted: false)).Average();
                var noisy = group.Select(run => MeanWeight(run, corrupted, j, wantCorrupted: true)).Average();
                return string.Create(CultureInfo.InvariantCulture, $"{clean:0.000} | {noisy:0.000}");
            });
            sb.Append(string.Create(CultureInfo.InvariantCulture, $"| {group.Key.DropRate:0.##} | {group.Key.Label} | ") + string.Join(" | ", cells) + " |\n");
        }

        sb.Append('\n');
        return sb.ToString();
    }

    /// <summary>Mean final weight of view <paramref name="view"/> over present training rows with the given corruption flag.</summary>
    public static double MeanWeight(RunResult run, bool[,] corrupted, int view, bool wantCorrupted)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(corrupted);
        var m = corrupted.GetLength(1);
        double sum = 0;
        var count = 0;
        for (var r = 0; r < corrupted.GetLength(0); r++)
        {
            var index = r * m + view;
            if (corrupted[r, view] != wantCorrupted || index >= run.FinalTrainingWeights.Length || !run.TrainingPresent[index] || float.IsNaN(run.FinalTrainingWeights[index]))
            {
                continue;
            }

            sum += run.FinalTrainingWeights[index];
            count++;
        }

        return count == 0 ? double.NaN : sum / count;
    }
}
