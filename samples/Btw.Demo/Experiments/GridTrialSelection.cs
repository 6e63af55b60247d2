using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Btw.Demo.Training;

namespace Btw.Demo.Experiments;

/// <summary>
/// The grid's selection rule since issue 15: <see cref="BtwTrial"/> over the grid's finished runs. Uniform is the
/// baseline and every other configuration a candidate; the trial's callback does not train, it returns the validation
/// loss (<see cref="TrialExperiment.ValidationLoss"/>: 1 - macro-F1 or MAE at the selected epoch) of the grid's run of
/// that configuration and seed at the drop rate. A configuration is chosen only when its Bonferroni-corrected paired
/// interval over all candidates lies above 0; otherwise the choice is Uniform. The runs are identified by the trial's
/// documented sequential order (per seed: Uniform, then each candidate in the order given), and each handed options are
/// checked against the configuration expected at that position.
/// </summary>
internal static class GridTrialSelection
{
    /// <summary>Runs the trial over the runs of <paramref name="results"/> at <paramref name="dropRate"/>.</summary>
    /// <param name="results">The grid's runs: every configuration of <paramref name="configurations"/> at every seed of <paramref name="seeds"/>.</param>
    /// <param name="dropRate">The drop rate whose runs are compared.</param>
    /// <param name="configurations">The grid's configurations, Uniform among them (the baseline); the others are the candidates, in this order.</param>
    /// <param name="seeds">The grid's seeds, consecutive and ascending (at least 2).</param>
    /// <param name="modalities">The number of views.</param>
    /// <param name="task">The task.</param>
    /// <param name="template">The runs' shared settings (alpha and the evaluation default map configurations to options).</param>
    /// <exception cref="ArgumentException">Uniform is missing, the seeds are not consecutive, or a run is missing.</exception>
    public static BtwTrialResult Choose(IReadOnlyList<RunResult> results, double dropRate, IReadOnlyList<BtwConfiguration> configurations, IReadOnlyList<int> seeds,
        int modalities, BtwTask task, RunSettings template)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(configurations);
        ArgumentNullException.ThrowIfNull(seeds);
        ArgumentNullException.ThrowIfNull(template);
        var uniform = BtwConfiguration.Faithful(BtwWeighting.Uniform);
        if (!configurations.Contains(uniform))
        {
            throw new ArgumentException("The grid's selection runs through BtwTrial, whose baseline is Uniform: add Uniform to --configs.", nameof(configurations));
        }

        if (seeds.Count < 2 || seeds.Where((s, i) => s != seeds[0] + i).Any())
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"BtwTrial needs at least 2 consecutive seeds; the grid has {string.Join(", ", seeds)}."), nameof(seeds));
        }

        var candidates = configurations.Where(c => c != uniform).ToArray();
        var order = new[] { uniform }.Concat(candidates).ToArray();
        var options = order.Select(c => c.ToOptions(modalities, task, template.Alpha, template.EvaluationWeights)).ToArray();
        var byKey = results.Where(r => r.Settings.DropRate == dropRate).ToDictionary(r => (r.Settings.Label, r.Settings.Seed));
        var call = 0;
        var trial = BtwTrial.Run(modalities, task, (handed, seed) =>
        {
            var c = call++ % order.Length;
            if (handed.Weighting != options[c].Weighting || handed.Strength != options[c].Strength || handed.Shrinkage != options[c].Shrinkage
                || (c > 0 && handed.UnseenWeights != options[c].UnseenWeights))
            {
                throw new InvalidOperationException($"BtwTrial handed {handed.Weighting} where the grid expected {order[c].Label}: its run order is not the documented one.");
            }

            return byKey.TryGetValue((order[c].Label, seed), out var run)
                ? TrialExperiment.ValidationLoss(run.BestValidation, task)
                : throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The grid has no run of {order[c].Label} at seed {seed} and drop rate {dropRate}."), nameof(results));
        }, new BtwTrialOptions
        {
            Seeds = seeds.Count,
            FirstSeed = seeds[0],
            Candidates = candidates.Select((c, i) => new BtwTrialCandidate(c.Label, options[i + 1])).ToArray(),
        });
        return trial;
    }
}
