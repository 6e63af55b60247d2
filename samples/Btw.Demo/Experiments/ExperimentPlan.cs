using System;
using System.Collections.Generic;
using System.Linq;
using Btw.Demo.Training;

namespace Btw.Demo.Experiments;

/// <summary>A grid of runs: every drop rate x configuration x seed, all with the same hyper-parameters.</summary>
internal sealed class ExperimentPlan
{
    public required string Dataset { get; init; }

    /// <summary>The weighting configurations (a faithful mode or a mode with knobs), in report order.</summary>
    public required IReadOnlyList<BtwConfiguration> Configurations { get; init; }

    public required IReadOnlyList<int> Seeds { get; init; }

    public required IReadOnlyList<double> DropRates { get; init; }

    /// <summary>The hyper-parameters shared by every run (its Mode, Seed and DropRate are replaced).</summary>
    public required RunSettings Template { get; init; }

    public int RunCount => Configurations.Count * Seeds.Count * DropRates.Count;

    /// <summary>The runs in execution order: by drop rate, then seed, then configuration (so partial results stay paired).</summary>
    public IEnumerable<RunSettings> Runs() =>
        from drop in DropRates
        from seed in Seeds
        from configuration in Configurations
        select Template with { Dataset = Dataset, Mode = configuration.Mode, Configuration = configuration, Seed = seed, DropRate = drop };

    public void Validate()
    {
        if (Configurations.Count == 0 || Seeds.Count == 0 || DropRates.Count == 0)
        {
            throw new ArgumentException("An experiment needs at least one configuration, one seed and one drop rate.");
        }

        if (Configurations.Select(c => c.Label).Distinct().Count() != Configurations.Count || Seeds.Distinct().Count() != Seeds.Count || DropRates.Distinct().Count() != DropRates.Count)
        {
            throw new ArgumentException("Configurations, seeds and drop rates must not repeat.");
        }

        foreach (var run in Runs())
        {
            run.Validate();
        }
    }
}
