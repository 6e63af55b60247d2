using System.Diagnostics;

namespace Btw.Information;

/// <summary>
/// Wall-clock time per phase of one KSG estimate (benchmark bookkeeping: <see cref="KsgEstimator.EstimateUnclipped"/>
/// fills it when given one; the estimate is the same with or without it). Times in <see cref="Stopwatch"/> ticks.
/// </summary>
internal sealed class KsgPhaseTimes
{
    private long _last;

    /// <summary>Input checks (finite values, range) and the standardisation (NumPy-ordered std, division).</summary>
    internal long Standardize { get; private set; }

    /// <summary>Radix sorts of the two marginals, with ranks.</summary>
    internal long Sort { get; private set; }

    /// <summary>The k-d tree build.</summary>
    internal long TreeBuild { get; private set; }

    /// <summary>The k-th neighbour distances (tree queries).</summary>
    internal long Neighbours { get; private set; }

    /// <summary>The marginal counts n_x and n_y.</summary>
    internal long Counts { get; private set; }

    /// <summary>The digamma histograms and sums.</summary>
    internal long DigammaSums { get; private set; }

    /// <summary>Starts the clock (before the first phase).</summary>
    internal void Start() => _last = Stopwatch.GetTimestamp();

    /// <summary>Ends a phase: the time since the previous mark.</summary>
    internal long Lap()
    {
        long now = Stopwatch.GetTimestamp();
        long elapsed = now - _last;
        _last = now;
        return elapsed;
    }

    /// <summary>Ends the standardisation phase.</summary>
    internal void EndStandardize() => Standardize += Lap();

    /// <summary>Ends the sorting phase.</summary>
    internal void EndSort() => Sort += Lap();

    /// <summary>Ends the tree build.</summary>
    internal void EndTreeBuild() => TreeBuild += Lap();

    /// <summary>Ends the neighbour queries.</summary>
    internal void EndNeighbours() => Neighbours += Lap();

    /// <summary>Ends the marginal counts.</summary>
    internal void EndCounts() => Counts += Lap();

    /// <summary>Ends the digamma sums.</summary>
    internal void EndDigammaSums() => DigammaSums += Lap();
}
