using System;

namespace Btw.Benchmarks;

/// <summary>Summaries of repeated timings shared by the benchmark modes.</summary>
internal static class Timings
{
    /// <summary>The upper median of <paramref name="values"/> (element n / 2 of the sorted copy; the input is left as it is).</summary>
    public static double Median(double[] values)
    {
        var sorted = (double[])values.Clone();
        Array.Sort(sorted);
        return sorted[sorted.Length / 2];
    }
}
