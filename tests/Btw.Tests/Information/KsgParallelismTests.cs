using System;
using System.Linq;
using Btw.Information;
using Btw.Tests.Support;
using Xunit;

namespace Btw.Tests.Information;

/// <summary>
/// The KSG estimator and its parallel pieces give the same bits for any degree of parallelism. The size is above every
/// parallel threshold and spans several chunks of every parallel pass (range check, NumPy-ordered sums, scaling,
/// radix sort, tree build and partitions, neighbour queries, counts, histograms).
/// </summary>
public class KsgParallelismTests
{
    private const int N = 200_000;

    private static readonly int[] Degrees = [1, 2, 3, 16];

    public static TheoryData<string> Datasets => new() { "sine", "rounded" };

    [Theory]
    [MemberData(nameof(Datasets))]
    public void Estimate_is_bit_identical_for_1_2_3_and_16_threads(string dataset)
    {
        (double[] x, double[] y) = Data(dataset);
        long[] bits = Degrees.Select(d => BitConverter.DoubleToInt64Bits(KsgEstimator.EstimateUnclipped(x, y, 3, d))).ToArray();
        Assert.All(bits, b => Assert.Equal(bits[0], b));
        Assert.True(BitConverter.Int64BitsToDouble(bits[0]) > 0.1, "a dependent pair has clearly positive MI");

        // The same through the general k-best path (k != 3).
        long[] bits5 = Degrees.Select(d => BitConverter.DoubleToInt64Bits(KsgEstimator.EstimateUnclipped(x, y, 5, d))).ToArray();
        Assert.All(bits5, b => Assert.Equal(bits5[0], b));
    }

    [Fact]
    public void Parallel_sorted_marginal_equals_the_sequential_one()
    {
        (double[] x, _) = Data("rounded");
        using SortedMarginal sequential = SortedMarginal.Create(x);
        foreach (int d in Degrees)
        {
            using SortedMarginal parallel = SortedMarginal.Create(x, x.Length, d);
            Assert.True(sequential.Sorted.SequenceEqual(parallel.Sorted));
            Assert.True(sequential.Order.SequenceEqual(parallel.Order));
            Assert.True(sequential.Rank.SequenceEqual(parallel.Rank));
        }
    }

    [Fact]
    public void Parallel_numpy_sums_are_bit_identical_to_the_sequential_ones()
    {
        (double[] x, _) = Data("sine");
        double sum = NumpySum.Sum(x);
        double variance = NumpySum.Variance(x);
        foreach (int d in Degrees)
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(sum), BitConverter.DoubleToInt64Bits(NumpySum.Sum(x, x.Length, default(NumpySum.Identity), d)));
            Assert.Equal(BitConverter.DoubleToInt64Bits(variance), BitConverter.DoubleToInt64Bits(NumpySum.Variance(x, x.Length, d)));
        }
    }

    [Fact]
    public void Parallel_range_check_names_the_first_non_finite_index()
    {
        (double[] x, double[] y) = Data("sine");
        x[150_001] = double.NaN;
        x[70_000] = double.PositiveInfinity;
        foreach (int d in Degrees)
        {
            var e = Assert.Throws<ArgumentException>(() => KsgEstimator.EstimateUnclipped(x, y, 3, d));
            Assert.Equal("x", e.ParamName);
            Assert.Contains("x[70000] is", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Parallel_digamma_mean_equals_the_sequential_one()
    {
        var random = new ReferenceRandom(91);
        int[] counts = new int[N];
        for (int i = 0; i < N; i++)
        {
            counts[i] = (int)(random.NextDouble() * random.NextDouble() * 300);
        }

        double sequential = KsgEstimator.MeanDigammaOfCountPlusOne(counts.AsSpan());
        foreach (int d in Degrees)
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(sequential), BitConverter.DoubleToInt64Bits(KsgEstimator.MeanDigammaOfCountPlusOne(counts, N, d)));
        }
    }

    private static (double[] X, double[] Y) Data(string dataset)
    {
        (double[] x, double[] y) = ReferenceDatasets.Continuous("sine", 4242, N);
        if (dataset == "rounded")
        {
            // Many ties: equal keys in the sorts, duplicate points in the tree, zero radii.
            x = x.Select(v => Math.Round(v, 2)).ToArray();
            y = y.Select(v => Math.Round(v, 2)).ToArray();
        }

        return (x, y);
    }
}
