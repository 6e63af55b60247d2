using System;
using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Btw.Information;

/// <summary>
/// One coordinate of the KSG points, sorted (LSD radix sort, O(n)), with each point's rank, for building the
/// <see cref="ChebyshevKdTree"/> and counting marginal neighbours: the number of other points j with
/// fl(|v_j - v_i|) &lt;= r.
/// </summary>
/// <remarks>
/// fl(v_j - v_i) is monotone non-decreasing in v_j (rounding is monotone), so above the point's rank the
/// predicate <c>sorted[j] - v &lt;= r</c> holds on a prefix and below it <c>v - sorted[j] &lt;= r</c> on a
/// suffix; the count is found by branch-free (quaternary, then binary) searches in brackets on either side of
/// the point's own rank (widened when the boundary lies beyond them), which touch only the memory around it.
/// It is exactly scikit-learn's <c>KDTree.query_radius(..., count_only=True) - 1</c>, which evaluates the same
/// predicate. Equal values get distinct consecutive ranks (in index order; -0.0 before +0.0).
/// </remarks>
internal sealed class SortedMarginal : IDisposable
{
    private readonly int _count;
    private double[]? _sorted;   // values in ascending order
    private int[]? _order;       // original index at each rank
    private int[]? _rank;        // rank of each original index

    private SortedMarginal(int count)
    {
        _count = count;
        _sorted = ArrayPool<double>.Shared.Rent(count);
        _order = ArrayPool<int>.Shared.Rent(count);
        _rank = ArrayPool<int>.Shared.Rent(count);
    }

    /// <summary>The number of values.</summary>
    internal int Count => _count;

    /// <summary>The values in ascending order.</summary>
    internal ReadOnlySpan<double> Sorted => _sorted.AsSpan(0, _count);

    /// <summary>The array behind <see cref="Sorted"/> (pooled, possibly longer than <see cref="Count"/>; do not keep).</summary>
    internal double[] SortedArray => _sorted!;

    /// <summary>The array behind <see cref="Order"/> (pooled, possibly longer than <see cref="Count"/>; do not keep).</summary>
    internal int[] OrderArray => _order!;

    /// <summary>The array behind <see cref="Rank"/> (pooled, possibly longer than <see cref="Count"/>; do not keep).</summary>
    internal int[] RankArray => _rank!;

    /// <summary>The original index of the value at each rank.</summary>
    internal ReadOnlySpan<int> Order => _order.AsSpan(0, _count);

    /// <summary>The rank of the value at each original index.</summary>
    internal ReadOnlySpan<int> Rank => _rank.AsSpan(0, _count);

    /// <summary>
    /// Sorts <c>values[0 .. n)</c> (finite) on up to <paramref name="maxDegreeOfParallelism"/> threads; the same
    /// result as <see cref="Create(ReadOnlySpan{double})"/> for any thread count.
    /// </summary>
    internal static SortedMarginal Create(double[] values, int n, int maxDegreeOfParallelism)
    {
        int chunks = ParallelChunks.Count(n, RadixSort.ParallelChunkSize);
        if (ParallelChunks.Sequential(maxDegreeOfParallelism, chunks))
        {
            return Create(values.AsSpan(0, n));
        }

        var marginal = new SortedMarginal(n);
        ulong[] keys = ArrayPool<ulong>.Shared.Rent(n);
        ulong[] keyScratch = ArrayPool<ulong>.Shared.Rent(n);
        int[] itemScratch = ArrayPool<int>.Shared.Rent(n);
        try
        {
            int[] order = marginal._order!;
            ParallelChunks.For(chunks, maxDegreeOfParallelism, c =>
            {
                int end = Math.Min(n, (c + 1) * RadixSort.ParallelChunkSize);
                for (int i = c * RadixSort.ParallelChunkSize; i < end; i++)
                {
                    keys[i] = RadixSort.KeyOf(values[i]);
                    order[i] = i;
                }
            });
            RadixSort.SortPairs(keys, order, keyScratch, itemScratch, n, maxDegreeOfParallelism);
            double[] sorted = marginal._sorted!;
            int[] rank = marginal._rank!;
            ParallelChunks.For(chunks, maxDegreeOfParallelism, c =>
            {
                int end = Math.Min(n, (c + 1) * RadixSort.ParallelChunkSize);
                for (int j = c * RadixSort.ParallelChunkSize; j < end; j++)
                {
                    sorted[j] = RadixSort.ValueOf(keys[j]);
                    rank[order[j]] = j;
                }
            });
        }
        catch
        {
            marginal.Dispose();
            throw;
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(keys);
            ArrayPool<ulong>.Shared.Return(keyScratch);
            ArrayPool<int>.Shared.Return(itemScratch);
        }

        return marginal;
    }

    /// <summary>Sorts <paramref name="values"/> (finite).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static SortedMarginal Create(ReadOnlySpan<double> values)
    {
        int n = values.Length;
        var marginal = new SortedMarginal(n);
        ulong[] keys = ArrayPool<ulong>.Shared.Rent(n);
        ulong[] keyScratch = ArrayPool<ulong>.Shared.Rent(n);
        int[] itemScratch = ArrayPool<int>.Shared.Rent(n);
        try
        {
            int[] order = marginal._order!;
            for (int i = 0; i < n; i++)
            {
                keys[i] = RadixSort.KeyOf(values[i]);
                order[i] = i;
            }

            RadixSort.SortPairs(keys.AsSpan(0, n), order.AsSpan(0, n), keyScratch, itemScratch);
            double[] sorted = marginal._sorted!;
            int[] rank = marginal._rank!;
            for (int j = 0; j < n; j++)
            {
                sorted[j] = RadixSort.ValueOf(keys[j]);
                rank[order[j]] = j;
            }
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(keys);
            ArrayPool<ulong>.Shared.Return(keyScratch);
            ArrayPool<int>.Shared.Return(itemScratch);
        }

        return marginal;
    }

    /// <summary>
    /// The number of other points whose value v_j satisfies fl(|v_j - v|) &lt;= <paramref name="radius"/>,
    /// v being the value of rank <paramref name="rank"/>.
    /// </summary>
    /// <param name="rank">The point's rank.</param>
    /// <param name="radius">The radius r &gt;= 0.</param>
    /// <param name="width">
    /// The search bracket on each side, a power of two (updated to twice the last half-width found, so that
    /// the bracket usually holds the boundary and the branch-free searches run a predictable number of
    /// steps).
    /// </param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal int CountWithin(int rank, double radius, ref int width)
    {
        double[] sorted = _sorted!;
        double v = sorted[rank];
        int upper = LastWithin(sorted, _count, rank, v, radius, width);
        int lower = FirstWithin(sorted, rank, v, radius, width);
        int half = Math.Max(upper - rank, rank - lower);
        width = (int)Math.Min(BitOperations.RoundUpToPowerOf2((uint)(2 * half) + 2), 1u << 30);
        return upper - lower;
    }

    /// <summary>The last index u &gt;= rank with sorted[u] - v &lt;= r (it holds at rank).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int LastWithin(double[] sorted, int n, int rank, double v, double r, int width)
    {
        int lo = rank;
        while (true)
        {
            // Branch-free search of [lo, lo + len) for the last index satisfying the predicate (true at lo).
            int len = Math.Min(width, n - lo);
            int start = lo;
            while (len > 3)
            {
                // Three independent probes per step (memory latency, not the comparisons, bounds this search);
                // the predicate is monotone, so the number t of probes inside locates the boundary.
                int q = len >> 2;
                int t = (sorted[lo + q] - v <= r ? 1 : 0) + (sorted[lo + (2 * q)] - v <= r ? 1 : 0)
                    + (sorted[lo + (3 * q)] - v <= r ? 1 : 0);
                lo += t * q;
                len = q + (((t + 1) >> 2) * (len - (4 * q))); // t == 3: the rest of the range, else q
            }

            while (len > 1)
            {
                int half = len >> 1;
                int inside = sorted[lo + half] - v <= r ? 1 : 0;
                lo += half & -inside; // branch-free: the outcome is unpredictable
                len -= half;
            }

            // Done unless the whole bracket satisfied it and more values follow: then widen and go on.
            if (lo != start + width - 1 || lo == n - 1 || !(sorted[lo + 1] - v <= r))
            {
                return lo;
            }

            lo++;
            width = width < (1 << 29) ? width << 1 : width;
        }
    }

    /// <summary>The first index l &lt;= rank with v - sorted[l] &lt;= r (it holds at rank).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int FirstWithin(double[] sorted, int rank, double v, double r, int width)
    {
        int hi = rank;
        while (true)
        {
            int len = Math.Min(width, hi + 1);
            int start = hi;
            while (len > 3)
            {
                int q = len >> 2;
                int t = (v - sorted[hi - q] <= r ? 1 : 0) + (v - sorted[hi - (2 * q)] <= r ? 1 : 0)
                    + (v - sorted[hi - (3 * q)] <= r ? 1 : 0);
                hi -= t * q;
                len = q + (((t + 1) >> 2) * (len - (4 * q)));
            }

            while (len > 1)
            {
                int half = len >> 1;
                int inside = v - sorted[hi - half] <= r ? 1 : 0;
                hi -= half & -inside;
                len -= half;
            }

            if (hi != start - width + 1 || hi == 0 || !(v - sorted[hi - 1] <= r))
            {
                return hi;
            }

            hi--;
            width = width < (1 << 29) ? width << 1 : width;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_sorted is not null)
        {
            ArrayPool<double>.Shared.Return(_sorted);
            ArrayPool<int>.Shared.Return(_order!);
            ArrayPool<int>.Shared.Return(_rank!);
            _sorted = null;
            _order = null;
            _rank = null;
        }
    }
}
