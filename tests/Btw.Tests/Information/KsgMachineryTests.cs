using System;
using System.Linq;
using Btw.Information;
using Btw.Tests.Support;
using Xunit;

namespace Btw.Tests.Information;

/// <summary>The internal pieces of the KSG estimator: radix sort, sorted marginals and the Chebyshev 2-d tree.</summary>
public class KsgMachineryTests
{
    [Fact]
    public void Radix_keys_preserve_the_order_of_doubles_and_round_trip()
    {
        double[] values = [double.MinValue, -1e300, -2.5, -1.0, -double.Epsilon, -0.0, 0.0, double.Epsilon, 1e-300, 0.5, 1.0, 3.0, 1e300, double.MaxValue];
        for (int i = 0; i < values.Length; i++)
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(values[i]), BitConverter.DoubleToInt64Bits(RadixSort.ValueOf(RadixSort.KeyOf(values[i]))));
            for (int j = i + 1; j < values.Length; j++)
            {
                Assert.True(RadixSort.KeyOf(values[i]) < RadixSort.KeyOf(values[j]), $"{values[i]} vs {values[j]}");
            }
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(17)]
    [InlineData(5000)]
    public void Radix_sort_sorts_pairs_stably(int n)
    {
        var rng = new ReferenceRandom((ulong)(n + 1));
        double[] values = Enumerable.Range(0, n).Select(_ => Math.Round(rng.NextNormal() * 10) / 2).ToArray(); // many ties
        ulong[] keys = values.Select(RadixSort.KeyOf).ToArray();
        int[] items = Enumerable.Range(0, n).ToArray();
        RadixSort.SortPairs(keys, items, new ulong[n], new int[n]);
        // Key order is numeric order, except that -0.0 sorts just before +0.0 (rounding produces both here).
        int[] expected = Enumerable.Range(0, n).OrderBy(i => values[i]).ThenBy(i => RadixSort.KeyOf(values[i])).ThenBy(i => i).ToArray();
        Assert.True(n < 5000 || values.Any(v => v == 0 && double.IsNegative(v)));
        Assert.Equal(expected, items);
        Assert.Equal(expected.Select(i => values[i]), keys.Select(RadixSort.ValueOf));
    }

    [Fact]
    public void Radix_sort_skips_constant_digits_correctly()
    {
        // Keys differing only in one byte, and all-equal keys.
        ulong[] keys = [0xAA00_0000_0000_0003UL, 0xAA00_0000_0000_0001UL, 0xAA00_0000_0000_0002UL];
        int[] items = [0, 1, 2];
        RadixSort.SortPairs(keys, items, new ulong[3], new int[3]);
        Assert.Equal([1, 2, 0], items);
        ulong[] same = [7, 7, 7, 7];
        int[] order = [3, 1, 2, 0];
        RadixSort.SortPairs(same, order, new ulong[4], new int[4]);
        Assert.Equal([3, 1, 2, 0], order);
    }

    [Fact]
    public void Marginal_counts_match_a_direct_count_for_any_starting_width()
    {
        var rng = new ReferenceRandom(606);
        int n = 3000;
        // Mixture: a dense block of ties, a continuous bulk and far outliers.
        double[] values = Enumerable.Range(0, n).Select(i => i % 5 == 0 ? 1.0 : i % 97 == 0 ? rng.NextCauchy() * 1e6 : rng.NextNormal()).ToArray();
        using SortedMarginal marginal = SortedMarginal.Create(values);
        Assert.Equal(values.OrderBy(v => v), marginal.Sorted.ToArray());
        for (int trial = 0; trial < 600; trial++)
        {
            int i = rng.NextInt(n);
            double r = trial % 7 == 0 ? 0.0 : Math.Abs(rng.NextNormal()) * Math.Pow(10, rng.NextInt(6) - 4);
            int expected = values.Where((v, j) => j != i && Math.Abs(v - values[i]) <= r).Count();
            int width = 1 << rng.NextInt(12);
            int rank = marginal.Rank[i];
            Assert.Equal(values[i], marginal.Sorted[rank]);
            Assert.Equal(expected, marginal.CountWithin(rank, r, ref width));
            Assert.True(width >= 2 && (width & (width - 1)) == 0);
        }

        // The extreme ranks, with a radius covering everything.
        int w = 1;
        Assert.Equal(n - 1, marginal.CountWithin(0, double.MaxValue, ref w));
        w = 1;
        Assert.Equal(n - 1, marginal.CountWithin(n - 1, double.MaxValue, ref w));
    }

    [Fact]
    public void Tree_kth_neighbour_distances_equal_brute_force_with_duplicates()
    {
        var rng = new ReferenceRandom(707);
        foreach (int n in new[] { 2, 5, 16, 17, 33, 500, 1500 })
        {
            double[] x = new double[n];
            double[] y = new double[n];
            for (int i = 0; i < n; i++)
            {
                bool duplicate = i > 0 && rng.NextDouble() < 0.2;
                int j = duplicate ? rng.NextInt(i) : i;
                x[i] = duplicate ? x[j] : Math.Round(rng.NextNormal() * 8) / 8;
                y[i] = duplicate ? y[j] : rng.NextNormal();
            }

            using SortedMarginal mx = SortedMarginal.Create(x);
            using SortedMarginal my = SortedMarginal.Create(y);
            using ChebyshevKdTree tree = ChebyshevKdTree.Build(mx, my, 1);
            using ChebyshevKdTree scalar = ChebyshevKdTree.Build(mx, my, 1, vectorized: false);
            int k = Math.Min(n - 1, 1 + rng.NextInt(5));
            var best = new double[k];
            int seen = 0;
            for (int leaf = tree.FirstLeaf; leaf < 2 * tree.FirstLeaf; leaf++)
            {
                for (int s = 0; s < tree.LeafCount(leaf); s++)
                {
                    int slot = ((leaf - tree.FirstLeaf) * ChebyshevKdTree.LeafSize) + s;
                    double qx = tree.SlotX[slot];
                    double qy = tree.SlotY[slot];
                    Assert.Equal(qx, mx.Sorted[tree.SlotRankX[slot]]);
                    Assert.Equal(qy, my.Sorted[tree.SlotRankY[slot]]);

                    // The k-th smallest distance to the other points (one copy of the query removed).
                    var distances = Enumerable.Range(0, n).Select(j => Math.Max(Math.Abs(qx - x[j]), Math.Abs(qy - y[j]))).OrderBy(d => d).Skip(1).ToArray();
                    Assert.Equal(distances[k - 1], tree.KthNeighbourDistance(leaf, s, best));
                    Assert.Equal(distances[k - 1], scalar.KthNeighbourDistance(leaf, s, best));
                    seen++;
                }
            }

            Assert.Equal(n, seen);
        }
    }
}
