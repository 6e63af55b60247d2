using System;
using System.Collections.Generic;
using System.Linq;
using Btw.Demo.Training;

namespace Btw.Demo.Experiments;

/// <summary>A grid of runs: every drop rate x mode x seed, all with the same hyper-parameters.</summary>
internal sealed class ExperimentPlan
{
    public required string Dataset { get; init; }

    public required IReadOnlyList<BtwWeighting> Modes { get; init; }

    public required IReadOnlyList<int> Seeds { get; init; }

    public required IReadOnlyList<double> DropRates { get; init; }

    /// <summary>The hyper-parameters shared by every run (its Mode, Seed and DropRate are replaced).</summary>
    public required RunSettings Template { get; init; }

    public int RunCount => Modes.Count * Seeds.Count * DropRates.Count;

    /// <summary>The runs in execution order: by drop rate, then seed, then mode (so partial results stay paired).</summary>
    public IEnumerable<RunSettings> Runs() =>
        from drop in DropRates
        from seed in Seeds
        from mode in Modes
        select Template with { Dataset = Dataset, Mode = mode, Seed = seed, DropRate = drop };

    public void Validate()
    {
        if (Modes.Count == 0 || Seeds.Count == 0 || DropRates.Count == 0)
        {
            throw new ArgumentException("An experiment needs at least one mode, one seed and one drop rate.");
        }

        if (Modes.Distinct().Count() != Modes.Count || Seeds.Distinct().Count() != Seeds.Count || DropRates.Distinct().Count() != DropRates.Count)
        {
            throw new ArgumentException("Modes, seeds and drop rates must not repeat.");
        }

        foreach (var run in Runs())
        {
            run.Validate();
        }
    }
}
