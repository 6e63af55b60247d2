using System;
using Btw.Information;
using Btw.Tests.Support;
using Xunit;

namespace Btw.Tests.Information;

/// <summary>The O(n log n) KSG against the O(n^2) oracle, exactly (bit for bit), on inputs with and without ties.</summary>
public class KsgBruteForceTests
{
    /// <summary>Random inputs of varied shape: continuous, on a coarse grid (ties), duplicated points, extreme scales.</summary>
    private static (double[] X, double[] Y) RandomInput(ReferenceRandom rng, int n, int kind = -1)
    {
        var x = new double[n];
        var y = new double[n];
        kind = kind < 0 ? rng.NextInt(6) : kind;
        double gridX = 1 + rng.NextInt(6);
        double gridY = 1 + rng.NextInt(6);
        double scale = kind == 5 ? Math.Pow(10, rng.NextInt(2) == 0 ? -150 : 150) : 1.0;
        for (int i = 0; i < n; i++)
        {
            double a = rng.NextNormal();
            double b = (0.6 * a) + (0.8 * rng.NextNormal());
            switch (kind)
            {
                case 0: // continuous
                    x[i] = a;
                    y[i] = b;
                    break;
                case 1: // ties in both margins
                    x[i] = Math.Round(a * gridX) / gridX;
                    y[i] = Math.Round(b * gridY) / gridY;
                    break;
                case 2: // ties in x only
                    x[i] = Math.Round(a * gridX);
                    y[i] = b;
                    break;
                case 3: // whole duplicated points
                    if (i > 0 && rng.NextDouble() < 0.4)
                    {
                        int j = rng.NextInt(i);
                        x[i] = x[j];
                        y[i] = y[j];
                    }
                    else
                    {
                        x[i] = a;
                        y[i] = b;
                    }

                    break;
                case 4: // a few distinct values only (distances of 0 and exact ties of distances)
                    x[i] = rng.NextInt(3);
                    y[i] = rng.NextInt(3) + x[i];
                    break;
                default: // extreme magnitudes
                    x[i] = a * scale;
                    y[i] = b * scale;
                    break;
            }
        }

        return (x, y);
    }

    [Fact]
    public void Fast_estimator_equals_brute_force_exactly_on_random_small_inputs()
    {
        var rng = new ReferenceRandom(424242);
        for (int trial = 0; trial < 400; trial++)
        {
            int n = 1 + rng.NextInt(80);
            int k = 1 + rng.NextInt(6);
            (double[] x, double[] y) = RandomInput(rng, n);
            double expected = BruteForceKsg.Unclipped(x, y, k);
            double actual = KsgEstimator.EstimateUnclipped(x, y, k, maxDegreeOfParallelism: 1);
            Assert.True(
                BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(actual),
                $"trial {trial}, n {n}, k {k}: brute force {expected:R}, fast {actual:R}");
            double clipped = MutualInformation.Ksg(x, y, k);
            Assert.Equal(Math.Max(0.0, expected), clipped);
            Assert.True(double.IsFinite(clipped) && clipped >= 0);
        }
    }

    [Theory]
    [InlineData(2000, 3, 0)]
    [InlineData(2000, 3, 1)]
    [InlineData(3000, 7, 2)]
    [InlineData(3000, 2, 3)]
    [InlineData(2500, 1, 4)]
    [InlineData(2500, 4, 5)]
    public void Fast_estimator_equals_brute_force_exactly_on_larger_inputs(int n, int k, int kind)
    {
        var rng = new ReferenceRandom((ulong)(9000 + kind));
        (double[] x, double[] y) = RandomInput(rng, n, kind);
        double expected = BruteForceKsg.Unclipped(x, y, k);
        double actual = KsgEstimator.EstimateUnclipped(x, y, k, maxDegreeOfParallelism: 1);
        Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(actual));
    }

    [Fact]
    public void Parallel_path_equals_brute_force_exactly_with_ties()
    {
        // Above KsgEstimator.ParallelThreshold, so the tree is built and searched on several threads.
        int n = KsgEstimator.ParallelThreshold + 1000;
        var rng = new ReferenceRandom(31337);
        var x = new double[n];
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            double a = rng.NextNormal();
            x[i] = Math.Round(a * 20) / 20;
            y[i] = Math.Round((a + (0.5 * rng.NextNormal())) * 20) / 20;
        }

        double expected = BruteForceKsg.Unclipped(x, y, 3);
        Assert.Equal(expected, KsgEstimator.EstimateUnclipped(x, y, 3));
        Assert.Equal(expected, KsgEstimator.EstimateUnclipped(x, y, 3, maxDegreeOfParallelism: 1));
    }

    [Fact]
    public void Brute_force_oracle_agrees_with_mathnet_digamma_aggregation()
    {
        (double[] x, double[] y) = ReferenceDatasets.Continuous("sine", 55, 500);
        Assert.Equal(BruteForceKsg.UnclippedWithMathNet(x, y, 3), BruteForceKsg.Unclipped(x, y, 3), 1e-12);
    }
}
