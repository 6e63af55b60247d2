using System;
using Btw.Information;
using Xunit;

namespace Btw.Tests.Information;

/// <summary>The integer digamma used by the KSG estimator.</summary>
public class DigammaTests
{
    private const double EulerGamma = 0.57721566490153286061;

    [Fact]
    public void Small_arguments_are_minus_euler_gamma_plus_harmonic_numbers()
    {
        Assert.Equal(-EulerGamma, Digamma.OfPositiveInteger(1));
        Assert.Equal(1 - EulerGamma, Digamma.OfPositiveInteger(2), 1e-16);
        Assert.Equal(1.5 - EulerGamma, Digamma.OfPositiveInteger(3), 1e-16);
        Assert.Equal((1 + (1 / 2.0) + (1 / 3.0)) - EulerGamma, Digamma.OfPositiveInteger(4), 1e-15);
    }

    [Fact]
    public void Agrees_with_compensated_harmonic_sums_up_to_200000()
    {
        // psi(n) = -gamma + H_{n-1}; H accumulated with Neumaier compensation (error ~1 ulp). Cephes documents a
        // peak relative error of 1.3e-15 for its asymptotic branch (n > 10), so allow 1.5e-15 relative.
        double sum = 0;
        double c = 0;
        for (int n = 1; n <= 200_000; n++)
        {
            if (n > 1)
            {
                double term = 1.0 / (n - 1);
                double t = sum + term;
                c += Math.Abs(sum) >= Math.Abs(term) ? (sum - t) + term : (term - t) + sum;
                sum = t;
            }

            double expected = (sum + c) - EulerGamma;
            double actual = Digamma.OfPositiveInteger(n);
            Assert.True(Math.Abs(actual - expected) <= 1.5e-15 * Math.Max(1, Math.Abs(expected)), $"n = {n}: {actual:R} vs {expected:R}");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(10)]
    [InlineData(11)]
    [InlineData(123)]
    [InlineData(1_000_000)]
    [InlineData(2_000_000_000)]
    public void Agrees_with_mathnet(int n)
    {
        double expected = MathNet.Numerics.SpecialFunctions.DiGamma(n);
        Assert.Equal(expected, Digamma.OfPositiveInteger(n), 1e-13 * Math.Max(1, Math.Abs(expected)));
    }

    [Fact]
    public void Rejects_arguments_below_one()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Digamma.OfPositiveInteger(0));
    }
}
