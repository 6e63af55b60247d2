using System;
using System.Linq;
using Btw.Information;
using Btw.Tests.Support;
using Xunit;

namespace Btw.Tests.Information;

/// <summary>Closed forms, invariances, degenerate inputs and argument checks of MutualInformation.Ksg.</summary>
public class KsgPropertyTests
{
    private static double Harmonic(int m)
    {
        double h = 0;
        for (int i = 1; i <= m; i++)
        {
            h += 1.0 / i;
        }

        return h;
    }

    [Theory]
    [InlineData(0.6, 501UL)]
    [InlineData(0.9, 502UL)]
    public void Recovers_the_bivariate_gaussian_closed_form_within_0_02(double rho, ulong seed)
    {
        (double[] x, double[] y) = ReferenceDatasets.Gaussian(rho, seed, 20_000);
        double expected = -0.5 * Math.Log(1 - (rho * rho));
        double mi = MutualInformation.Ksg(x, y);
        Assert.True(Math.Abs(mi - expected) <= 0.02, $"rho {rho}: KSG {mi}, closed form {expected}");
    }

    [Fact]
    public void Negating_a_variable_gives_a_bit_identical_result()
    {
        // std(-y) = std(y) and |(-y_i) - (-y_j)| = |y_i - y_j| exactly, so a negative correlation gives the same
        // estimate as the positive one (closed form -0.5 ln(1 - rho^2) depends on rho^2 only).
        (double[] x, double[] y) = ReferenceDatasets.Gaussian(0.9, 502, 20_000);
        double[] negated = y.Select(v => -v).ToArray();
        Assert.Equal(MutualInformation.Ksg(x, y), MutualInformation.Ksg(x, negated));
        Assert.Equal(MutualInformation.Ksg(x, y), MutualInformation.Ksg(x.Select(v => -v).ToArray(), y));
    }

    [Fact]
    public void Independent_gaussians_give_nearly_zero()
    {
        (double[] x, double[] y) = ReferenceDatasets.Gaussian(0.0, 504, 20_000);
        Assert.InRange(MutualInformation.Ksg(x, y), 0.0, 0.01);
    }

    [Fact]
    public void Is_symmetric_in_x_and_y()
    {
        foreach (string g in new[] { "linear", "sine", "heavy", "ties" })
        {
            (double[] x, double[] y) = ReferenceDatasets.Continuous(g, 77, 3000);
            Assert.Equal(MutualInformation.Ksg(x, y), MutualInformation.Ksg(y, x), 1e-14);
        }
    }

    [Fact]
    public void Is_invariant_to_scaling_x_or_y_by_a_positive_constant()
    {
        (double[] x, double[] y) = ReferenceDatasets.Continuous("sine", 78, 3000);
        double mi = MutualInformation.Ksg(x, y);
        Assert.True(mi > 0.5);

        // A power of two scales every intermediate exactly: bit-identical result.
        double[] x8 = x.Select(v => v * 8.0).ToArray();
        double[] yTiny = y.Select(v => v * Math.Pow(2, -40)).ToArray();
        Assert.Equal(mi, MutualInformation.Ksg(x8, y));
        Assert.Equal(mi, MutualInformation.Ksg(x, yTiny));

        // Other constants change the scaled values by rounding only.
        double[] x37 = x.Select(v => v * 3.7).ToArray();
        double[] y0001 = y.Select(v => v * 0.001).ToArray();
        Assert.Equal(mi, MutualInformation.Ksg(x37, y0001), 1e-12);
    }

    [Fact]
    public void Is_invariant_to_permuting_the_pairs()
    {
        (double[] x, double[] y) = ReferenceDatasets.Continuous("heavy", 79, 5000);
        double mi = MutualInformation.Ksg(x, y);
        var rng = new ReferenceRandom(80);
        int[] order = Enumerable.Range(0, x.Length).ToArray();
        for (int i = order.Length - 1; i > 0; i--)
        {
            int j = rng.NextInt(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }

        double[] px = order.Select(i => x[i]).ToArray();
        double[] py = order.Select(i => y[i]).ToArray();
        Assert.Equal(mi, MutualInformation.Ksg(px, py), 1e-12);
    }

    [Fact]
    public void Is_not_invariant_to_a_monotone_nonlinear_transform()
    {
        // KSG works on distances, so a monotone transform changes the estimate (unlike true MI).
        (double[] x, double[] y) = ReferenceDatasets.Continuous("linear", 81, 3000);
        double[] cubed = x.Select(v => v * v * v).ToArray();
        Assert.True(Math.Abs(MutualInformation.Ksg(x, y) - MutualInformation.Ksg(cubed, y)) > 1e-3);
    }

    [Fact]
    public void Result_is_bit_identical_for_any_thread_count()
    {
        (double[] x, double[] y) = ReferenceDatasets.Continuous("sine", 82, 60_000);
        double one = KsgEstimator.EstimateUnclipped(x, y, 3, maxDegreeOfParallelism: 1);
        double two = KsgEstimator.EstimateUnclipped(x, y, 3, maxDegreeOfParallelism: 2);
        double many = KsgEstimator.EstimateUnclipped(x, y, 3, maxDegreeOfParallelism: 7);
        double auto = KsgEstimator.EstimateUnclipped(x, y, 3);
        Assert.Equal(BitConverter.DoubleToInt64Bits(one), BitConverter.DoubleToInt64Bits(two));
        Assert.Equal(BitConverter.DoubleToInt64Bits(one), BitConverter.DoubleToInt64Bits(many));
        Assert.Equal(BitConverter.DoubleToInt64Bits(one), BitConverter.DoubleToInt64Bits(auto));
    }

    [Fact]
    public void Exact_duplicate_points_give_radius_zero_and_the_hand_computed_value()
    {
        // Two clusters of 4 identical points, k = 3: every point has 3 duplicates, eps = 0, r = nextafter(0, 0) = 0,
        // n_x = n_y = 3 (the points with exactly the same value). MI = psi(8) + psi(3) - 2 psi(4) = H_7 + H_2 - 2 H_3.
        double[] x = [0, 0, 0, 0, 1, 1, 1, 1];
        double[] y = [5, 5, 5, 5, -2, -2, -2, -2];
        double expected = Harmonic(7) + Harmonic(2) - (2 * Harmonic(3));
        Assert.Equal(expected, MutualInformation.Ksg(x, y, 3), 1e-14);

        // With a ninth point at the same x as the first cluster but a new y value, that point has no exact duplicate:
        // its 3rd neighbour is at a positive distance and the others still count only their own copies in y.
        Assert.Equal(BruteForceKsg.Unclipped([.. x, 0], [.. y, 1], 3), KsgEstimator.EstimateUnclipped([.. x, 0], [.. y, 1], 3));
    }

    [Fact]
    public void Heavily_tied_data_give_a_finite_non_negative_value_also_before_clipping()
    {
        var rng = new ReferenceRandom(83);
        var x = new double[400];
        var y = new double[400];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = rng.NextInt(3);
            y[i] = rng.NextInt(2);
        }

        double unclipped = KsgEstimator.EstimateUnclipped(x, y, 3);
        Assert.True(double.IsFinite(unclipped));
        double mi = MutualInformation.Ksg(x, y);
        Assert.True(double.IsFinite(mi) && mi >= 0);
    }

    [Theory]
    [InlineData(0, 3)]
    [InlineData(1, 1)]
    [InlineData(3, 3)]
    [InlineData(5, 9)]
    public void Too_few_points_return_zero(int n, int k)
    {
        double[] x = Enumerable.Range(0, n).Select(i => (double)i).ToArray();
        double[] y = Enumerable.Range(0, n).Select(i => (double)(i * i)).ToArray();
        Assert.Equal(0.0, MutualInformation.Ksg(x, y, k));
    }

    [Fact]
    public void Four_points_and_k_3_is_the_smallest_defined_case()
    {
        double[] x = [0, 1, 2, 4];
        double[] y = [0, 1, 3, 2];
        Assert.Equal(BruteForceKsg.Unclipped(x, y, 3), KsgEstimator.EstimateUnclipped(x, y, 3));
    }

    [Fact]
    public void Constant_x_or_y_returns_zero()
    {
        (double[] x, double[] y) = ReferenceDatasets.Continuous("linear", 84, 500);
        double[] constant = Enumerable.Repeat(2.5, 500).ToArray();
        Assert.Equal(0.0, MutualInformation.Ksg(constant, y));
        Assert.Equal(0.0, MutualInformation.Ksg(x, constant));
        Assert.Equal(0.0, KsgEstimator.EstimateUnclipped(constant, constant, 3));
    }

    [Fact]
    public void Extreme_magnitudes_neither_overflow_nor_underflow()
    {
        (double[] x, double[] y) = ReferenceDatasets.Continuous("linear", 85, 2000);
        double mi = MutualInformation.Ksg(x, y);
        double[] huge = x.Select(v => v * Math.Pow(2, 1000)).ToArray();    // squares overflow
        double[] tiny = y.Select(v => v * Math.Pow(2, -1060)).ToArray();   // subnormal values
        Assert.Equal(mi, MutualInformation.Ksg(huge, y));
        double withTiny = MutualInformation.Ksg(x, tiny); // subnormals keep only a few significant bits
        Assert.True(double.IsFinite(withTiny) && withTiny >= 0);
        double[] huge2 = y.Select(v => v * 1e300).ToArray();
        Assert.Equal(mi, MutualInformation.Ksg(x, huge2), 1e-12);
    }

    [Fact]
    public void Float_overload_equals_the_double_overload_on_widened_values()
    {
        (double[] x, double[] y) = ReferenceDatasets.Continuous("sine", 86, 2000);
        float[] fx = x.Select(v => (float)v).ToArray();
        float[] fy = y.Select(v => (float)v).ToArray();
        double[] wx = fx.Select(v => (double)v).ToArray();
        double[] wy = fy.Select(v => (double)v).ToArray();
        Assert.Equal(MutualInformation.Ksg(wx, wy, 5), MutualInformation.Ksg(fx, fy, 5));
        Assert.Equal(0.0, MutualInformation.Ksg(new float[3], new float[3]));
    }

    [Fact]
    public void Non_finite_values_throw_naming_the_argument_and_index()
    {
        double[] ok = [1, 2, 3, 4, 5, 6];
        double[] withNan = [1, 2, 3, 4, 5, double.NaN];
        double[] withInf = [1, double.NegativeInfinity, 3, 4, 5, 6];
        var ex = Assert.Throws<ArgumentException>(() => MutualInformation.Ksg(withNan, ok));
        Assert.Equal("x", ex.ParamName);
        Assert.Contains("x[5]", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<ArgumentException>(() => MutualInformation.Ksg(ok, withInf));
        Assert.Equal("y", ex.ParamName);
        Assert.Contains("y[1]", ex.Message, StringComparison.Ordinal);
        float[] fok = [1, 2, 3, 4];
        float[] fnan = [1, float.NaN, 3, 4];
        ex = Assert.Throws<ArgumentException>(() => MutualInformation.Ksg(fnan, fok));
        Assert.Contains("x[1]", ex.Message, StringComparison.Ordinal);

        // Even when there are too few points for an estimate the input is validated.
        Assert.Throws<ArgumentException>(() => MutualInformation.Ksg([double.NaN], [1.0]));
    }

    [Fact]
    public void Length_mismatch_and_bad_k_throw()
    {
        double[] a = [1, 2, 3, 4, 5];
        double[] b = [1, 2, 3, 4];
        var ex = Assert.Throws<ArgumentException>(() => MutualInformation.Ksg(a, b));
        Assert.Contains("5", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => MutualInformation.Ksg(new float[2], new float[3]));
        var k = Assert.Throws<ArgumentOutOfRangeException>(() => MutualInformation.Ksg(a, a, 0));
        Assert.Equal("k", k.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => MutualInformation.Ksg(new float[5], new float[5], -1));
    }

    [Fact]
    public void Large_k_uses_heap_scratch_and_still_matches_brute_force()
    {
        (double[] x, double[] y) = ReferenceDatasets.Continuous("linear", 87, 600);
        Assert.Equal(BruteForceKsg.Unclipped(x, y, 200), KsgEstimator.EstimateUnclipped(x, y, 200));
    }
}
