using System;
using System.Linq;

namespace Btw.Tests.Information;

/// <summary>
/// The standard-error calibration simulation shared by <see cref="StandardErrorCalibrationTests"/> and the benchmark's
/// <c>--calibration</c> mode (this file is linked into Btw.Benchmarks): the synthetic draws with known mutual information
/// and the summary of many draws' estimates with their standard errors.
/// </summary>
internal static class CalibrationDraws
{
    /// <summary>
    /// Summary of independent draws at n samples: the coverage of estimate ± q SE around the mean estimate
    /// (q = <see cref="Btw.Information.GroupedResampling.IntervalQuantile"/>), the mean SE and the SD of the estimates
    /// (n - 1 denominator).
    /// </summary>
    public static (double Coverage, double MeanSe, double SdEstimate) Summarize(int n, (double Estimate, double Se)[] results)
    {
        var draws = results.Length;
        var mean = results.Average(r => r.Estimate);
        var sd = Math.Sqrt(results.Sum(r => (r.Estimate - mean) * (r.Estimate - mean)) / (draws - 1));
        var q = Btw.Information.GroupedResampling.IntervalQuantile(n);
        var coverage = results.Count(r => Math.Abs(r.Estimate - mean) <= q * r.Se) / (double)draws;
        return (coverage, results.Average(r => r.Se), sd);
    }

    /// <summary>n pairs of a standard bivariate normal with correlation <paramref name="rho"/> (true MI = -ln(1 - rho^2) / 2 nats).</summary>
    public static (double[] X, double[] Y) Gaussian(Random random, int n, double rho)
    {
        var x = new double[n];
        var y = new double[n];
        for (var i = 0; i < n; i++)
        {
            var a = Normal(random);
            var b = Normal(random);
            x[i] = a;
            y[i] = (rho * a) + (Math.Sqrt(1 - (rho * rho)) * b);
        }

        return (x, y);
    }

    /// <summary>n pairs of a noisy channel over <paramref name="classes"/> classes: b = a with probability <paramref name="keep"/>, else uniform.</summary>
    public static (int[] A, int[] B) Channel(Random random, int n, int classes, double keep)
    {
        var a = new int[n];
        var b = new int[n];
        for (var i = 0; i < n; i++)
        {
            a[i] = random.Next(classes);
            b[i] = random.NextDouble() < keep ? a[i] : random.Next(classes);
        }

        return (a, b);
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble())) * Math.Cos(2.0 * Math.PI * random.NextDouble());
}
