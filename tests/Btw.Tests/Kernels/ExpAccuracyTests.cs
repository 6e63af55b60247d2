using System;
using System.Numerics.Tensors;
using Xunit;

namespace Btw.Tests.Kernels;

/// <summary>
/// The exponential of the categorical kernel's host path (TensorPrimitives.Exp, which replaced the hand-written FastMath.Exp:
/// see docs/performance.md) is as accurate as Math.Exp needs it to be for the host and device paths to agree.
/// </summary>
public class ExpAccuracyTests
{
    [Fact]
    public void Exp_matches_Math_Exp_to_1e15_relative_over_the_whole_range_and_special_values()
    {
        var random = new Random(3);
        var x = new double[20_003];
        for (var i = 0; i < x.Length; i++)
        {
            x[i] = (random.NextDouble() * 760) - 750;   // [-750, 10]: underflow, subnormal and ordinary results
        }

        x[0] = double.NaN;
        x[5] = double.NegativeInfinity;
        x[9] = double.PositiveInfinity;
        x[13] = 0.0;
        x[17] = -708.0;
        x[18] = 709.0;
        x[19] = -0.34657359027997264;                  // -ln 2 / 2, the edge of the reduced range
        x[21] = 1e-300;
        x[^1] = 1.0;                                   // the scalar tail
        var y = new double[x.Length];
        TensorPrimitives.Exp(x, y);
        for (var i = 0; i < x.Length; i++)
        {
            var expected = Math.Exp(x[i]);
            if (double.IsNaN(expected) || double.IsInfinity(expected) || expected == 0)
            {
                Assert.Equal(expected, y[i]);
                continue;
            }

            Assert.True(Math.Abs(y[i] - expected) <= 1e-15 * expected, $"exp({x[i]:R}) = {y[i]:R}, expected {expected:R}");
        }

        Assert.Equal(Math.E, y[^1], 15);
    }

    [Fact]
    public void Exp_of_every_value_of_a_fine_grid_in_the_softmax_range_is_within_two_ulp()
    {
        var x = new double[100_001];
        for (var i = 0; i < x.Length; i++)
        {
            x[i] = -50.0 + (i * 0.0005);                // [-50, 0]: the shifted logits of a softmax
        }

        var y = new double[x.Length];
        TensorPrimitives.Exp(x, y);
        for (var i = 0; i < x.Length; i++)
        {
            var expected = Math.Exp(x[i]);
            Assert.True(Math.Abs(y[i] - expected) <= 2 * Math.BitIncrement(expected) - (2 * expected), $"exp({x[i]:R}) = {y[i]:R}, expected {expected:R}");
        }
    }
}
