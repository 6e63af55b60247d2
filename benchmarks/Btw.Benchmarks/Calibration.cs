using System;
using System.Globalization;
using System.Linq;
using Btw.Information;
using Btw.Tests.Information;

namespace Btw.Benchmarks;

/// <summary>
/// The bigger calibration run of the modality-level standard errors (<c>--calibration [draws [n ...]]</c>, default 1,000 draws
/// per row, n = 30 to 20,000; KSG gets a quarter of the draws from n = 5,000 on and a tenth from 50,000 on): for each estimator and n, independent draws from a known distribution, each estimate with its standard
/// error from <see cref="GroupedResampling"/> exactly as EndEpoch computes it; printed: the SD of the estimates over the
/// draws (the true sampling spread), the mean standard error, their ratio, and the coverage of estimate ± q SE
/// (q = Student t with g - 1 degrees of freedom) around the mean estimate (nominal 95%). Fixed seeds.
/// </summary>
internal static class Calibration
{
    public static int Run(int draws, int[] sizes)
    {
        Console.WriteLine("estimator                  n       true MI/r   mean est   SD est    mean SE   SE/SD   coverage");
        foreach (var n in sizes.Length > 0 ? sizes : [30, 60, 120, 500, 2000, 5000, 20_000])
        {
            foreach (var rho in new[] { 0.0, 0.3, 0.6, 0.9 })
            {
                var truth = -0.5 * Math.Log(1 - (rho * rho));
                Row($"KSG (k = 3), rho {rho:0.0}", n, truth, n >= 50_000 ? draws / 10 : n >= 5000 ? draws / 4 : draws, random =>
                {
                    var (x, y) = CalibrationDraws.Gaussian(random, n, rho);
                    return (MutualInformation.Ksg(x, y),
                        GroupedResampling.StandardError(n, 0, rows => KsgEstimator.EstimateUnclipped(GroupedResampling.Take(x, rows), GroupedResampling.Take(y, rows), 3)));
                });
            }

            foreach (var keep in new[] { 0.0, 0.3, 0.6 })
            {
                var p = keep + ((1 - keep) / 5);
                var truth = Math.Log(5) + (p * Math.Log(p)) + ((1 - p) * Math.Log((1 - p) / 4));
                Row($"plug-in, 5 classes, keep {keep:0.0}", n, truth, draws, random =>
                {
                    var (a, b) = CalibrationDraws.Channel(random, n, 5, keep);
                    return (MutualInformation.Discrete(a, b),
                        GroupedResampling.StandardError(n, 0, rows => MutualInformation.Discrete(rows.Select(i => a[i]).ToArray(), rows.Select(i => b[i]).ToArray())));
                });
            }

            Row("Pearson r, rho 0.5", n, 0.5, draws, random =>
            {
                var (x, y) = CalibrationDraws.Gaussian(random, n, 0.5);
                return (ModalityShares.Pearson(x, y) ?? 0.0,
                    GroupedResampling.StandardError(n, 0, rows => ModalityShares.Pearson(GroupedResampling.Take(x, rows), GroupedResampling.Take(y, rows)) ?? 0.0));
            });
        }

        return 0;
    }

    private static void Row(string name, int n, double truth, int draws, Func<Random, (double Estimate, double Se)> draw)
    {
        var random = new Random((n * 31) + name.Length);
        var results = Enumerable.Range(0, draws).Select(_ => draw(random)).ToArray();
        var (coverage, meanSe, sd) = CalibrationDraws.Summarize(n, results);
        var mean = results.Average(r => r.Estimate);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-26} {n,6}   {truth,9:F4}   {mean,8:F4}   {sd,7:F4}   {meanSe,7:F4}   {meanSe / sd,5:F2}   {coverage * 100,5:F1}% ({draws} draws)"));
    }
}
