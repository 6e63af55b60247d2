using System;
using System.Collections.Generic;
using System.Linq;
using Btw.Demo.Metrics;
using Btw.Demo.Training;

namespace Btw.Demo.Experiments;

/// <summary>A configuration's validation metrics at its selected epochs, one per seed: all the grid selection may read.</summary>
/// <param name="Label">The configuration's label.</param>
/// <param name="Validation">Per seed, the validation metrics at the epoch selected on validation.</param>
internal sealed record ValidationScores(string Label, IReadOnlyList<MetricSet> Validation)
{
    /// <summary>One entry per configuration at <paramref name="dropRate"/>, in the order the configurations first appear.</summary>
    public static IReadOnlyList<ValidationScores> From(IReadOnlyList<RunResult> results, double dropRate)
    {
        ArgumentNullException.ThrowIfNull(results);
        return results.Where(r => r.Settings.DropRate == dropRate)
            .GroupBy(r => r.Settings.Label)
            .Select(g => new ValidationScores(g.Key, g.OrderBy(r => r.Settings.Seed).Select(r => r.BestValidation).ToArray()))
            .ToArray();
    }
}
