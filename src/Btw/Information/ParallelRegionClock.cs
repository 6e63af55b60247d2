using System.Diagnostics;

namespace Btw.Information;

/// <summary>
/// Benchmark bookkeeping for the serial fraction of the KSG estimator: while switched on for the calling thread, adds
/// up the wall time spent inside work that is split into parallel parts (<see cref="ParallelChunks.For"/> calls and the
/// k-d tree's independent subtrees), outermost regions only. Run on one thread, the rest of the time is the part that
/// does not split (Amdahl's serial fraction). Off by default; costs one thread-static read per region when off.
/// </summary>
internal static class ParallelRegionClock
{
    /// <summary>The number of independent subtrees the tree build counts as parallel parts (the projection's 16 cores).</summary>
    internal const int SubtreeLevels = 4;

    [System.ThreadStatic]
    private static bool t_on;

    [System.ThreadStatic]
    private static int t_depth;

    [System.ThreadStatic]
    private static long t_ticks;

    /// <summary>Whether the clock runs on the calling thread.</summary>
    internal static bool IsOn => t_on;

    /// <summary>Switches the clock on for the calling thread and zeroes it.</summary>
    internal static void Start()
    {
        t_on = true;
        t_depth = 0;
        t_ticks = 0;
    }

    /// <summary>Switches the clock off and returns the <see cref="Stopwatch"/> ticks spent in parallel regions.</summary>
    internal static long Stop()
    {
        t_on = false;
        return t_ticks;
    }

    /// <summary>Enters a region; returns its start timestamp (0 when off or nested).</summary>
    internal static long Enter()
    {
        if (!t_on || t_depth++ > 0)
        {
            return 0;
        }

        return Stopwatch.GetTimestamp();
    }

    /// <summary>Leaves the region entered with <paramref name="start"/>.</summary>
    internal static void Leave(long start)
    {
        if (!t_on)
        {
            return;
        }

        if (--t_depth == 0)
        {
            t_ticks += Stopwatch.GetTimestamp() - start;
        }
    }
}
