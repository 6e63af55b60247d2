using System;
using System.Collections.Generic;
using MathNet.Numerics.Distributions;

namespace Btw;

/// <summary>
/// A paired difference over seeds, baseline - candidate, with its two-sided Student-t interval:
/// mean +- t(1 - (1 - level) / 2, n - 1) * sd / sqrt(n), sd the sample standard deviation (n - 1 denominator).
/// </summary>
internal readonly record struct PairedInterval(double Mean, double StdDev, double Lower, double Upper)
{
    /// <summary>The interval of baseline[s] - candidate[s] over the seeds s (same order, n &gt;= 2) at <paramref name="level"/> in (0, 1).</summary>
    public static PairedInterval Of(IReadOnlyList<double> baseline, IReadOnlyList<double> candidate, double level)
    {
        var n = baseline.Count;
        var differences = new double[n];
        var sum = 0.0;
        for (var s = 0; s < n; s++)
        {
            differences[s] = baseline[s] - candidate[s];
            sum += differences[s];
        }

        var mean = sum / n;
        var squares = 0.0;
        foreach (var d in differences)
        {
            squares += (d - mean) * (d - mean);
        }

        var sd = Math.Sqrt(squares / (n - 1));
        var half = Quantile(level, n - 1) * sd / Math.Sqrt(n);
        return new PairedInterval(mean, sd, mean - half, mean + half);
    }

    /// <summary>The Student-t quantile t(1 - (1 - level) / 2, df) of a two-sided interval at <paramref name="level"/>.</summary>
    public static double Quantile(double level, int degreesOfFreedom) =>
        StudentT.InvCDF(0, 1, degreesOfFreedom, 1 - (1 - level) / 2);
}
