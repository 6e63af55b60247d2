using System;
using System.Linq;
using Btw.Information;
using Xunit;
using Xunit.Abstractions;

namespace Btw.Tests.Information;

/// <summary>
/// Calibration of the modality-level standard errors (<see cref="GroupedResampling"/>) by simulation against known
/// distributions: many independent draws of n pairs, each estimate with its own standard error; the 95% interval
/// estimate ± q SE (q = Student t with 9 degrees of freedom, 2.262) must contain the estimator's mean over the draws (the centre of its true sampling distribution at
/// this n) in 95% ± 5 points of the draws. Seeds are fixed, so the coverages are fixed numbers; the bigger calibration
/// run is the benchmark's <c>calibration</c> mode (docs/statistics.md).
/// </summary>
public class StandardErrorCalibrationTests(ITestOutputHelper output)
{
    /// <summary>KSG (regression) on a bivariate normal with correlation rho: true MI = -ln(1 - rho^2) / 2 nats.</summary>
    [Theory]
    [InlineData(60, 0.6, 300)]
    [InlineData(200, 0.6, 300)]
    [InlineData(200, 0.2, 300)]
    [InlineData(6000, 0.6, 150)]
    public void Ksg_intervals_cover_the_sampling_spread_at_the_stated_level(int n, double rho, int draws)
    {
        var (coverage, meanSe, sd) = Simulate(n, draws, seed: 1800 + n, (random, _) =>
        {
            var (x, y) = CalibrationDraws.Gaussian(random, n, rho);
            var mi = MutualInformation.Ksg(x, y);
            var se = GroupedResampling.StandardError(n, 0, rows => KsgEstimator.EstimateUnclipped(GroupedResampling.Take(x, rows), GroupedResampling.Take(y, rows), 3));
            return (mi, se);
        });
        output.WriteLine($"n {n}: coverage {coverage:0.000}, mean SE {meanSe:0.0000}, SD of the estimates {sd:0.0000}");
        Assert.InRange(coverage, 0.90, 1.0);
    }

    /// <summary>Plug-in MI (classification) of a noisy 5-class channel: b = a with probability 0.6, else uniform.</summary>
    [Theory]
    [InlineData(60, 300)]
    [InlineData(120, 300)]
    [InlineData(6000, 200)]
    [InlineData(100_000, 200)]
    public void Discrete_mi_intervals_cover_the_sampling_spread_at_the_stated_level(int n, int draws)
    {
        var (coverage, meanSe, sd) = Simulate(n, draws, seed: 2800 + n, (random, _) =>
        {
            var (a, b) = CalibrationDraws.Channel(random, n, classes: 5, keep: 0.6);
            var mi = MutualInformation.Discrete(a, b);
            var se = GroupedResampling.StandardError(n, 0, rows => MutualInformation.Discrete(rows.Select(i => a[i]).ToArray(), rows.Select(i => b[i]).ToArray()));
            return (mi, se);
        });
        output.WriteLine($"n {n}: coverage {coverage:0.000}, mean SE {meanSe:0.0000}, SD of the estimates {sd:0.0000}");
        Assert.InRange(coverage, 0.90, 1.0);
    }

    /// <summary>Pearson correlation of a bivariate normal with rho = 0.5.</summary>
    [Theory]
    [InlineData(30)]
    [InlineData(120)]
    public void Correlation_intervals_cover_the_sampling_spread_at_the_stated_level(int n)
    {
        var (coverage, meanSe, sd) = Simulate(n, 300, seed: 3800 + n, (random, _) =>
        {
            var (x, y) = CalibrationDraws.Gaussian(random, n, 0.5);
            var r = ModalityShares.Pearson(x, y)!.Value;
            var se = GroupedResampling.StandardError(n, 0, rows => ModalityShares.Pearson(GroupedResampling.Take(x, rows), GroupedResampling.Take(y, rows)) ?? 0.0);
            return (r, se);
        });
        output.WriteLine($"n {n}: coverage {coverage:0.000}, mean SE {meanSe:0.0000}, SD of the estimates {sd:0.0000}");
        Assert.InRange(coverage, 0.90, 1.0);
    }

    [Fact]
    public void The_standard_error_is_deterministic_and_shrinks_like_one_over_root_n()
    {
        var random = new Random(5);
        var (x, y) = CalibrationDraws.Gaussian(random, 4000, 0.6);
        double Se(int n) => GroupedResampling.StandardError(n, 3, rows => MutualInformation.Ksg(GroupedResampling.Take(x, rows), GroupedResampling.Take(y, rows)));
        var small = x[..400];
        var smallY = y[..400];
        var se400 = GroupedResampling.StandardError(400, 3, rows => MutualInformation.Ksg(GroupedResampling.Take(small, rows), GroupedResampling.Take(smallY, rows)));
        Assert.Equal(Se(4000), Se(4000));
        Assert.InRange(se400 / Se(4000), Math.Sqrt(10) / 1.6, Math.Sqrt(10) * 1.6);
    }

    [Fact]
    public void The_interval_quantile_is_student_t_with_one_degree_of_freedom_less_than_the_groups()
    {
        for (var n = 2; n <= 12; n++)
        {
            var df = Math.Min(GroupedResampling.Groups, n) - 1;
            Assert.Equal(MathNet.Numerics.Distributions.StudentT.InvCDF(0, 1, df, 0.975), GroupedResampling.IntervalQuantile(n), 9);
        }

        Assert.Equal(0.0, GroupedResampling.IntervalQuantile(1));
    }

    [Fact]
    public void Above_fifty_thousand_pairs_the_groups_are_ten_disjoint_random_subsamples_of_five_thousand()
    {
        var plan = GroupedResampling.Plan(200_000, 1);
        Assert.True(plan.Split);
        Assert.Equal(0.25, plan.Coverage);
        Assert.All(plan.Subsets, s => Assert.Equal(GroupedResampling.GroupCap, s.Length));
        var all = plan.Subsets.SelectMany(s => s).ToArray();
        Assert.Equal(all.Length, all.Distinct().Count());
        Assert.All(plan.Subsets, s => Assert.True(s.SequenceEqual(s.Order())));
        Assert.InRange(all.Average(), 100_000 - 2_000, 100_000 + 2_000);   // spread over all rows, not the first ones
        Assert.True(all.Max() > 199_000 && all.Min() < 1_000);

        var full = GroupedResampling.Plan(30_000, 1);
        Assert.Equal((true, 1.0), (full.Split, full.Coverage));
        Assert.Equal(30_000, full.Subsets.Sum(s => s.Length));
        var jackknife = GroupedResampling.Plan(4_999, 1);
        Assert.False(jackknife.Split);
        Assert.All(jackknife.Subsets, s => Assert.InRange(s.Length, 4_499, 4_500));
    }

    [Fact]
    public void A_plan_is_a_function_of_n_and_the_stream_whether_it_comes_from_the_cache_or_is_drawn_again()
    {
        // (Not asserting that the second call returns the cached object: tests on other threads may evict it.)
        var first = GroupedResampling.Plan(12_345, 7);
        var copy = first.Subsets.Select(s => s.ToArray()).ToArray();
        Assert.Equal(copy, GroupedResampling.Plan(12_345, 7).Subsets);

        // More distinct plans than the cache keeps: the first is evicted and drawn again, with the same subsets.
        for (var n = 100; n < 100 + (2 * GroupedResampling.CachedPlans); n++)
        {
            _ = GroupedResampling.Plan(n, 7);
        }

        var again = GroupedResampling.Plan(12_345, 7);
        Assert.Equal(copy, again.Subsets);
        Assert.NotEqual(copy, GroupedResampling.Plan(12_345, 8).Subsets);   // another stream, other groups
    }

    [Fact]
    public void A_non_finite_group_statistic_gives_an_infinite_standard_error_and_fewer_than_two_samples_give_zero()
    {
        Assert.Equal(double.PositiveInfinity, GroupedResampling.StandardError(50, 0, rows => rows.Length < 46 ? double.NaN : 1.0));
        Assert.Equal(0.0, GroupedResampling.StandardError(1, 0, _ => 1.0));
        Assert.Equal(0.0, GroupedResampling.StandardError(50, 0, _ => 0.25));
    }

    /// <summary>Runs the draws and returns the coverage of estimate ± Z SE around the mean estimate, the mean SE and the SD of the estimates.</summary>
    internal static (double Coverage, double MeanSe, double SdEstimate) Simulate(int n, int draws, int seed, Func<Random, int, (double Estimate, double Se)> draw)
    {
        var random = new Random(seed);
        var results = Enumerable.Range(0, draws).Select(d => draw(random, d)).ToArray();
        return CalibrationDraws.Summarize(n, results);
    }
}
