using System;
using System.Collections.Generic;
using System.Linq;
using Btw.Demo.Metrics;
using Btw.Demo.Statistics;
using Btw.Demo.Training;

namespace Btw.Demo.Experiments;

/// <summary>
/// Test metrics over seeds per (drop rate, mode): mean and sample standard deviation, and the paired
/// difference to Uniform over the seeds both have, with a 95% Student-t interval. Final weights and MI
/// are the last epoch's, averaged over seeds.
/// </summary>
internal sealed class ExperimentSummary
{
    private ExperimentSummary(BtwTask task, IReadOnlyList<string> metrics, IReadOnlyList<string> views, IReadOnlyList<ModeSummary> rows)
    {
        Task = task;
        Metrics = metrics;
        Views = views;
        Rows = rows;
    }

    /// <summary>The label of the baseline every configuration is paired with (the plain mixture of experts).</summary>
    public const string UniformLabel = nameof(BtwWeighting.Uniform);

    public BtwTask Task { get; }

    public IReadOnlyList<string> Metrics { get; }

    public IReadOnlyList<string> Views { get; }

    public IReadOnlyList<ModeSummary> Rows { get; }

    public IEnumerable<double> DropRates => Rows.Select(r => r.DropRate).Distinct();

    public static ExperimentSummary From(IReadOnlyList<RunResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        if (results.Count == 0)
        {
            throw new ArgumentException("No runs to summarise.", nameof(results));
        }

        var metrics = results[0].Test.Names;
        var task = metrics.SequenceEqual(MetricSet.ClassificationNames) ? BtwTask.Classification : BtwTask.Regression;
        var views = results[0].ViewNames;
        var rows = new List<ModeSummary>();
        var order = results.Select(r => r.Settings.Label).Distinct().Select((label, i) => (label, i)).ToDictionary(p => p.label, p => p.i);
        foreach (var group in results.GroupBy(r => (r.Settings.DropRate, r.Settings.Label)).OrderBy(g => g.Key.DropRate).ThenBy(g => order[g.Key.Label]))
        {
            var runs = group.OrderBy(r => r.Settings.Seed).ToArray();
            var baseline = results.Where(r => r.Settings.DropRate == group.Key.DropRate && r.Settings.Label == UniformLabel)
                .ToDictionary(r => r.Settings.Seed);
            var test = metrics.ToDictionary(name => name, name => SeedStatistics.MeanStd(runs.Select(r => r.Test[name]).ToArray()));
            Dictionary<string, PairedDifference>? paired = null;
            var pairedRuns = runs.Where(r => baseline.ContainsKey(r.Settings.Seed)).ToArray();
            if (group.Key.Label != UniformLabel && pairedRuns.Length > 0)
            {
                paired = metrics.ToDictionary(name => name, name => SeedStatistics.Paired(
                    pairedRuns.Select(r => r.Test[name]).ToArray(),
                    pairedRuns.Select(r => baseline[r.Settings.Seed].Test[name]).ToArray()));
            }

            rows.Add(new ModeSummary(
                group.Key.Label,
                group.Key.DropRate,
                runs.Length,
                test,
                paired,
                runs.Average(r => r.BestEpoch),
                Enumerable.Range(0, views.Count).Select(j => runs.Average(r => r.Epochs[^1].MeanWeights[j])).ToArray(),
                Enumerable.Range(0, views.Count).Select(j => runs.Average(r => r.Epochs[^1].MutualInformation[j])).ToArray(),
                runs.Average(r => r.Seconds)));
        }

        return new ExperimentSummary(task, metrics, views, rows);
    }
}
