using System;
using System.Linq;
using Btw.Information;
using Btw.Tests.Support;
using Xunit;

namespace Btw.Tests.Information;

/// <summary>NumPy-ordered summation (its bit-exactness against NumPy is checked in KsgReferenceTests).</summary>
public class NumpySumTests
{
    [Fact]
    public void Sums_exactly_representable_values_exactly_for_all_block_shapes()
    {
        foreach (int n in new[] { 0, 1, 7, 8, 9, 127, 128, 129, 1000, 8191, 8192, 8193, 20_000 })
        {
            double[] v = Enumerable.Range(0, n).Select(i => (double)((i % 17) - 8)).ToArray();
            Assert.Equal(v.Sum(), NumpySum.Sum(v));
        }
    }

    [Fact]
    public void Pairwise_order_differs_from_left_to_right_and_is_more_accurate()
    {
        // 1 followed by many values of 1e-16: left to right loses them all; pairwise loses only the 15 that
        // share the first 128-element leaf accumulator with the 1 (every eighth of them).
        double[] v = new double[4096];
        v[0] = 1.0;
        for (int i = 1; i < v.Length; i++)
        {
            v[i] = 1e-16;
        }

        double naive = 0;
        foreach (double d in v)
        {
            naive += d;
        }

        Assert.Equal(1.0, naive);
        Assert.Equal(1.0 + (4080 * 1e-16), NumpySum.Sum(v), 1e-15);
    }

    [Fact]
    public void Standard_deviation_is_the_population_one()
    {
        Assert.Equal(2.0, NumpySum.StandardDeviation([2, 4, 4, 4, 5, 5, 7, 9]));
        (double[] x, _) = ReferenceDatasets.Continuous("independent", 3, 50_000);
        double mean = x.Average();
        double sd = Math.Sqrt(x.Sum(v => (v - mean) * (v - mean)) / x.Length);
        Assert.Equal(sd, NumpySum.StandardDeviation(x), 1e-12);
    }
}
