using System;
using System.Diagnostics;
using System.Globalization;

namespace Btw.Benchmarks;

/// <summary>
/// Estimates the seconds one KSG estimate over 100,000 pairs takes (<c>--ksg-estimate</c>), from timings at 2,000 and
/// 4,000 pairs and the observed growth exponent, so that benchmarks/run.sh can leave out the regression EndEpoch
/// benchmark while the library's KSG is a quadratic stand-in (hours at that size). Prints the estimate in seconds.
/// </summary>
internal static class KsgEstimate
{
    public static int Run()
    {
        var random = new Random(5);
        double Time(int n)
        {
            var x = new double[n];
            var y = new double[n];
            for (var i = 0; i < n; i++)
            {
                x[i] = random.NextDouble();
                y[i] = x[i] + (0.5 * random.NextDouble());
            }

            var best = double.MaxValue;
            for (var r = 0; r < 3; r++)
            {
                var sw = Stopwatch.StartNew();
                _ = MutualInformation.Ksg(x, y, 3);
                best = Math.Min(best, sw.Elapsed.TotalSeconds);
            }

            return best;
        }

        var small = Time(2_000);
        var large = Time(4_000);
        var exponent = Math.Clamp(Math.Log2(large / Math.Max(small, 1e-9)), 1.0, 3.0);
        var estimate = large * Math.Pow(100_000 / 4_000.0, exponent);
        Console.WriteLine(estimate.ToString("F3", CultureInfo.InvariantCulture));
        return 0;
    }
}
