using System;
using Btw.Information;
using Xunit;

namespace Btw.Tests.Information;

/// <summary>The shrinkage rule of <see cref="BtwShrinkage.EmpiricalBayes"/> against hand-computed values.</summary>
public class EmpiricalBayesShrinkageTests
{
    [Fact]
    public void The_noise_spread_factor_is_the_chi_square_quantile_over_its_degrees_of_freedom()
    {
        foreach (var df in new[] { 1, 2, 3, 4, 9, 10, 11, 20, 63, 1000 })
        {
            var exact = MathNet.Numerics.Distributions.ChiSquared.InvCDF(df, 0.95) / df;
            Assert.Equal(exact, EmpiricalBayesShrinkage.NoiseSpreadFactor(df), df <= 10 ? 1e-9 : 1e-3 * exact);
        }
    }

    [Fact]
    public void Values_further_apart_than_their_noise_are_shrunk_by_the_hand_computed_factors()
    {
        // vbar = 0.3, S = ((0.3)^2 + 0 + (0.3)^2) / 2 = 0.09, mean s^2 = 0.01, c = 5.991465 / 2, tau^2 = 0.09 - c * 0.01.
        double[] v = [0.6, 0.3, 0.0];
        double[] se = [0.1, 0.1, 0.1];
        var shrunk = new double[3];
        var factors = new double[3];
        EmpiricalBayesShrinkage.Shrink(v, se, [true, true, true], shrunk, factors);
        var tau2 = 0.09 - (5.991464547107979 / 2 * 0.01);
        var b = 0.01 / (0.01 + tau2);
        Assert.All(factors, f => Assert.Equal(b, f, 14));
        Assert.Equal(0.3 + ((1 - b) * 0.3), shrunk[0], 14);
        Assert.Equal(0.3, shrunk[1], 14);
        Assert.Equal(0.3 - ((1 - b) * 0.3), shrunk[2], 14);
    }

    [Fact]
    public void Differences_within_the_noise_give_equal_values_and_exact_statistics_are_kept()
    {
        var shrunk = new double[3];
        var factors = new double[3];
        EmpiricalBayesShrinkage.Shrink([0.5, 0.4, 0.3], [0.1, 0.1, 0.1], [true, true, true], shrunk, factors);
        Assert.All(shrunk, v => Assert.Equal(0.4, v, 14));
        Assert.Equal([1.0, 1.0, 1.0], factors);

        EmpiricalBayesShrinkage.Shrink([0.5, 0.4, 0.3], [0.0, 0.0, 0.0], [true, true, true], shrunk, factors);
        Assert.Equal([0.5, 0.4, 0.3], shrunk);
        Assert.Equal([0.0, 0.0, 0.0], factors);
    }

    [Fact]
    public void Undefined_modalities_and_infinite_errors_are_handled()
    {
        var shrunk = new double[4];
        var factors = new double[4];

        // The undefined modality (index 1) is copied and takes no part; the infinite error moves its modality to the mean.
        EmpiricalBayesShrinkage.Shrink([0.9, 7.0, 0.1, 0.5], [0.001, 0.0, 0.001, double.PositiveInfinity], [true, false, true, true], shrunk, factors);
        Assert.Equal(7.0, shrunk[1]);
        Assert.Equal(0.0, factors[1]);
        Assert.Equal(1.0, factors[3]);
        Assert.Equal(0.5, shrunk[3], 14);

        // Fewer than two defined modalities: nothing to compare, nothing shrunk.
        EmpiricalBayesShrinkage.Shrink([0.9, 0.1, 0.2, 0.3], [0.5, 0.5, 0.5, 0.5], [true, false, false, false], shrunk, factors);
        Assert.Equal([0.9, 0.1, 0.2, 0.3], shrunk);
        Assert.Equal(new double[4], factors);
    }
}
