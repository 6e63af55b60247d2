using System;
using System.Collections.Generic;
using System.Linq;
using Btw.Demo.Data;
using Btw.Demo.Training;

namespace Btw.Demo.Experiments;

/// <summary>Runs a plan's grid sequentially (each run seeds torch itself, so runs are reproducible one by one).</summary>
internal static class ExperimentRunner
{
    public static IReadOnlyList<RunResult> Run(ExperimentPlan plan, DataSplit split, IRunObserver? observer = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(split);
        plan.Validate();
        var results = new List<RunResult>();
        var index = 0;
        foreach (var settings in plan.Runs())
        {
            index++;
            observer?.RunStarted(settings, index, plan.RunCount);
            var result = Trainer.Run(split, settings, (s, e) => observer?.EpochFinished(s, e));
            results.Add(result);
            observer?.RunFinished(result, index, plan.RunCount);
        }

        return results;
    }

    /// <summary>The first <paramref name="maxRows"/> rows of each split (for smoke runs and tests).</summary>
    public static DataSplit Truncate(DataSplit split, int maxRows)
    {
        ArgumentNullException.ThrowIfNull(split);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRows, 2);
        MultiViewDataset Cut(MultiViewDataset d) => d.Rows <= maxRows ? d : d.Select(Enumerable.Range(0, maxRows).ToArray());
        var train = Cut(split.Train);
        bool[,]? corrupted = null;
        if (split.TrainCorrupted is { } flags)
        {
            corrupted = new bool[train.Rows, flags.GetLength(1)];
            for (var r = 0; r < train.Rows; r++)
            {
                for (var m = 0; m < flags.GetLength(1); m++)
                {
                    corrupted[r, m] = flags[r, m];
                }
            }
        }

        return new DataSplit(train, Cut(split.Validation), Cut(split.Test), split.Description + $" Truncated to at most {maxRows} rows per split.", corrupted);
    }
}
