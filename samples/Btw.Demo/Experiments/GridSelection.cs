using System;
using System.Collections.Generic;
using System.Linq;
using Btw.Demo.Metrics;

namespace Btw.Demo.Experiments;

/// <summary>
/// Picks a configuration on validation only: the candidate with the best mean over seeds of the selection metric
/// (macro-F1 higher, MAE lower) at each run's selected epoch. Ties go to the earlier candidate (the fixed rows come
/// first, so a knob must strictly beat them). It receives <see cref="ValidationScores"/>, which hold no test metrics.
/// </summary>
internal static class GridSelection
{
    public static string Choose(IReadOnlyList<ValidationScores> candidates, string metric)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(metric);
        if (candidates.Count == 0 || candidates.Any(c => c.Validation.Count == 0))
        {
            throw new ArgumentException("Every candidate needs at least one validation result.", nameof(candidates));
        }

        var sign = MetricSet.HigherIsBetter(metric) ? 1.0 : -1.0;
        var best = candidates[0];
        var bestScore = sign * MeanScore(best, metric);
        foreach (var candidate in candidates.Skip(1))
        {
            var score = sign * MeanScore(candidate, metric);
            if (score > bestScore)
            {
                best = candidate;
                bestScore = score;
            }
        }

        return best.Label;
    }

    /// <summary>The mean over seeds of <paramref name="metric"/>.</summary>
    public static double MeanScore(ValidationScores candidate, string metric)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        return candidate.Validation.Average(v => v[metric]);
    }
}
