using System;
using Btw.Demo.Statistics;
using Xunit;

namespace Btw.Samples.Tests.Statistics;

public class SeedStatisticsTests
{
    [Fact]
    public void Mean_and_sample_standard_deviation()
    {
        var (mean, sd) = SeedStatistics.MeanStd(new[] { 0.91, 0.93, 0.90, 0.94, 0.92 });
        Assert.Equal(0.92, mean, 12);
        Assert.Equal(0.015811388300841875, sd, 12); // numpy std(ddof=1)
        Assert.True(double.IsNaN(SeedStatistics.MeanStd(new[] { 1.0 }).StdDev));
    }

    [Fact]
    public void Paired_difference_interval_matches_scipy_t()
    {
        // scipy.stats.t.ppf(0.975, 4) = 2.7764451051977987
        var d = SeedStatistics.Paired(new[] { 0.91, 0.93, 0.90, 0.94, 0.92 }, new[] { 0.90, 0.91, 0.905, 0.92, 0.915 });

        Assert.Equal(5, d.Count);
        Assert.Equal(0.01, d.Mean, 12);
        Assert.Equal(0.010606601717798196, d.StdDev, 12);
        Assert.Equal(-0.003169835496276259, d.Lower, 9);
        Assert.Equal(0.02316983549627623, d.Upper, 9);
        Assert.False(d.Excludes0);
    }

    [Fact]
    public void A_consistent_gain_excludes_zero_and_a_single_pair_has_no_interval()
    {
        var d = SeedStatistics.Paired(new[] { 1.1, 2.11, 3.12 }, new[] { 1.0, 2.0, 3.0 });
        Assert.True(d.Excludes0);
        var one = SeedStatistics.Paired(new[] { 1.0 }, new[] { 0.5 });
        Assert.Equal(0.5, one.Mean);
        Assert.True(double.IsNaN(one.Lower));
        Assert.Throws<ArgumentException>(() => SeedStatistics.Paired(new[] { 1.0 }, new[] { 1.0, 2.0 }));
    }
}
