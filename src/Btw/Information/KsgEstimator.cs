using System;
using System.Buffers;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;

namespace Btw.Information;

/// <summary>
/// The Kraskov-Stoegbauer-Grassberger mutual-information estimator (algorithm 1) between two continuous
/// variables, reproducing scikit-learn 1.2.1's <c>_compute_mi_cc</c> as called by
/// <c>mutual_info_regression</c> (without its 1e-10 jitter). See <see cref="MutualInformation.Ksg(ReadOnlySpan{double}, ReadOnlySpan{double}, int)"/>
/// for the semantics; this type holds the machinery.
/// </summary>
/// <remarks>
/// Steps, O(n log n) overall: (1) divide x and y by their standard deviations (NumPy's ddof-0 std, summed
/// in NumPy's order, no centring); (2) sort the scaled x and y with their ranks (<see cref="SortedMarginal"/>,
/// radix sort, O(n)) and build a <see cref="ChebyshevKdTree"/> from them (O(n log n)); (3) for each point,
/// r = nextafter(k-th neighbour Chebyshev distance, 0) from the tree (O(log n) expected), stored by rank;
/// then, sweeping each sorted marginal in order, n_x (n_y) = the number of other points whose |x_j - x_i|
/// (|y_j - y_i|) is &lt;= r, by searches around the point's rank (O(log n_x); the predicate
/// <c>fl(|x_j - x_i|) &lt;= r</c> is monotone in x_j, so the search counts exactly the points scikit-learn's
/// KDTree counts); (4) build integer
/// histograms of n_x and n_y and return psi(n) + psi(k) - sum_c h_x(c) psi(c + 1) / n -
/// sum_c h_y(c) psi(c + 1) / n. For n &gt;= <see cref="ParallelThreshold"/> every step runs on several threads
/// (range checks, NumPy's block sums and the scaling, the radix sorts, the tree's top partitions and subtrees, the
/// queries, the counts and the histograms), always split into fixed chunks that do not depend on the thread count; the
/// per-point results are independent of each other, the block sums are added in NumPy's order and the integer
/// histograms are order-free, so the result is bit-identical for any thread count. Memory: O(n), a little
/// over 100 bytes per point at the peak, all of it rented from <see cref="ArrayPool{T}.Shared"/>.
/// </remarks>
internal static class KsgEstimator
{
    /// <summary>Below this many points everything runs on the calling thread.</summary>
    internal const int ParallelThreshold = 1 << 14;

    /// <summary>Leaves per parallel work item of the neighbour search.</summary>
    private const int LeavesPerChunk = 256;

    /// <summary>Elements per parallel work item of the linear passes (range check, scaling, histograms).</summary>
    private const int ElementsPerChunk = 1 << 16;

    /// <summary>Ranks per parallel work item of the marginal counts.</summary>
    private const int RanksPerChunk = 8192;

    /// <summary>The smallest positive normal double.</summary>
    private const double SmallestNormal = 2.2250738585072014E-308;

    /// <summary>The largest number of points accepted (the tree's slot arrays must stay below 2^31 entries).</summary>
    internal const int MaxPoints = 1 << 30;

    /// <summary>Largest k whose scratch goes on the stack.</summary>
    private const int StackScratchLimit = 128;

    /// <summary>
    /// Validates the arguments and returns the estimate in nats (clipped at 0).
    /// </summary>
    /// <param name="x">First variable.</param>
    /// <param name="y">Second variable, same length.</param>
    /// <param name="k">Number of neighbours, &gt;= 1.</param>
    /// <param name="maxDegreeOfParallelism">-1 for the default, 1 for the calling thread only.</param>
    internal static double Estimate(ReadOnlySpan<double> x, ReadOnlySpan<double> y, int k, int maxDegreeOfParallelism = -1)
        => Math.Max(0.0, EstimateUnclipped(x, y, k, maxDegreeOfParallelism));

    /// <summary>
    /// As <see cref="Estimate"/> but without the final clipping at 0 (0 is still returned for the degenerate
    /// cases: n &lt;= k, constant x or y). For tests that compare estimators bit for bit.
    /// </summary>
    /// <param name="x">First variable.</param>
    /// <param name="y">Second variable, same length.</param>
    /// <param name="k">Number of neighbours, &gt;= 1.</param>
    /// <param name="maxDegreeOfParallelism">-1 for the default (one thread per core), 1 for the calling thread only,
    /// otherwise at most this many threads (not capped by the core count, so that tests can force 16 threads on any
    /// machine; the work is split the same way whatever the value, so the result does not depend on it).</param>
    /// <param name="phases">If not null, receives the time spent in each phase.</param>
    internal static double EstimateUnclipped(ReadOnlySpan<double> x, ReadOnlySpan<double> y, int k, int maxDegreeOfParallelism = -1, KsgPhaseTimes? phases = null)
    {
        phases?.Start();
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        if (x.Length != y.Length)
        {
            throw new ArgumentException(
                $"x and y must have the same length (one pair per sample); x has {x.Length} values, y has {y.Length}.",
                nameof(y));
        }

        if (x.Length > MaxPoints)
        {
            throw new ArgumentException($"At most {MaxPoints} pairs are supported; got {x.Length}.", nameof(x));
        }

        int n = x.Length;
        int dop = n < ParallelThreshold ? 1 : maxDegreeOfParallelism > 0 ? maxDegreeOfParallelism : Environment.ProcessorCount;
        double[]? xs = ArrayPool<double>.Shared.Rent(n);
        double[]? ys = ArrayPool<double>.Shared.Rent(n);
        SortedMarginal? marginalX = null;
        SortedMarginal? marginalY = null;
        try
        {
            // One copy of each input (spans cannot be shared with worker threads); everything after it runs on dop threads.
            x.CopyTo(xs);
            y.CopyTo(ys);
            (double minX, double maxX) = FiniteRange(xs, n, nameof(x), dop);
            (double minY, double maxY) = FiniteRange(ys, n, nameof(y), dop);
            if (n <= k || minX == maxX || minY == maxY)
            {
                return 0.0;
            }

            StandardizeInPlace(xs, n, dop);
            StandardizeInPlace(ys, n, dop);
            phases?.EndStandardize();
            if (dop == 1)
            {
                marginalX = SortedMarginal.Create(xs, n, 1);
                marginalY = SortedMarginal.Create(ys, n, 1);
            }
            else
            {
                // The two marginals concurrently, each on half the threads (on 2 cores: two sequential sorts, which
                // split perfectly; on more, each sort is itself parallel). The sorts' results do not depend on it.
                double[] sx = xs;
                double[] sy = ys;
                int half = dop / 2;
                Parallel.Invoke(
                    new ParallelOptions { MaxDegreeOfParallelism = dop },
                    () => marginalX = SortedMarginal.Create(sx, n, half),
                    () => marginalY = SortedMarginal.Create(sy, n, dop - half));
            }

            // The scaled values live on in the marginals (sorted, with ranks).
            ArrayPool<double>.Shared.Return(xs);
            ArrayPool<double>.Shared.Return(ys);
            xs = null;
            ys = null;
            phases?.EndSort();
            return EstimateFromMarginals(marginalX!, marginalY!, k, dop, phases);
        }
        finally
        {
            if (xs is not null)
            {
                ArrayPool<double>.Shared.Return(xs);
                ArrayPool<double>.Shared.Return(ys!);
            }

            marginalX?.Dispose();
            marginalY?.Dispose();
        }
    }

    /// <summary>
    /// Divides <c>values[0 .. n)</c> in place by their NumPy ddof-0 standard deviation, as
    /// <see cref="Standardize"/>, with the sums and the division on up to <paramref name="dop"/> threads (the same bits
    /// for any thread count: NumPy's block structure is kept and the block sums are added in order).
    /// </summary>
    internal static void StandardizeInPlace(double[] values, int n, int dop)
    {
        double variance = NumpySum.Variance(values, n, dop);
        if (!(double.IsFinite(variance) && variance >= SmallestNormal))
        {
            Standardize(values.AsSpan(0, n), values.AsSpan(0, n)); // rare rescaling path, sequential
            return;
        }

        double sd = Math.Sqrt(variance);
        ParallelChunks.For(ParallelChunks.Count(n, ElementsPerChunk), dop, c =>
        {
            int end = Math.Min(n, (c + 1) * ElementsPerChunk);
            for (int i = c * ElementsPerChunk; i < end; i++)
            {
                values[i] /= sd;
            }
        });
    }

    /// <summary>
    /// Writes <c>v / std(v)</c> to <paramref name="destination"/>, std being NumPy's ddof-0 standard deviation
    /// (as scikit-learn's <c>scale(v, with_mean=False)</c>). <paramref name="v"/> must be finite and not
    /// constant. If the variance leaves the normal double range (values so large that squares overflow or so
    /// small that they underflow), the values are first multiplied by a power of two, which does not change
    /// the quotients.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Standardize(ReadOnlySpan<double> v, Span<double> destination)
    {
        double variance = NumpySum.Variance(v);
        if (double.IsFinite(variance) && variance >= SmallestNormal)
        {
            double sd = Math.Sqrt(variance);
            for (int i = 0; i < v.Length; i++)
            {
                destination[i] = v[i] / sd;
            }

            return;
        }

        double maxAbs = 0.0;
        foreach (double value in v)
        {
            maxAbs = Math.Max(maxAbs, Math.Abs(value));
        }

        double factor = Math.ScaleB(1.0, -Math.ILogB(maxAbs));
        for (int i = 0; i < v.Length; i++)
        {
            destination[i] = v[i] * factor;
        }

        double scaledSd = Math.Sqrt(NumpySum.Variance(destination));
        for (int i = 0; i < v.Length; i++)
        {
            destination[i] /= scaledSd;
        }
    }

    /// <summary>
    /// The estimate (unclipped) from the sorted marginals of standardized, finite, non-constant inputs with
    /// n &gt; k points.
    /// </summary>
    private static double EstimateFromMarginals(SortedMarginal marginalX, SortedMarginal marginalY, int k, int dop, KsgPhaseTimes? phases)
    {
        int n = marginalX.Count;
        double[] radiusX = ArrayPool<double>.Shared.Rent(n);
        double[] radiusY = ArrayPool<double>.Shared.Rent(n);
        int[]? countX = null;
        int[]? countY = null;
        try
        {
            using (ChebyshevKdTree tree = ChebyshevKdTree.Build(marginalX, marginalY, dop))
            {
                phases?.EndTreeBuild();
                ComputeRadii(tree, radiusX, radiusY, k, dop);
            }

            phases?.EndNeighbours();
            countX = ArrayPool<int>.Shared.Rent(n);
            countY = ArrayPool<int>.Shared.Rent(n);
            CountMarginals(marginalX, marginalY, radiusX, radiusY, countX, countY, dop);
            phases?.EndCounts();
            double meanX = MeanDigammaOfCountPlusOne(countX, n, dop);
            double meanY = MeanDigammaOfCountPlusOne(countY, n, dop);
            double result = Digamma.OfPositiveInteger(n) + Digamma.OfPositiveInteger(k) - meanX - meanY;
            phases?.EndDigammaSums();
            return result;
        }
        finally
        {
            ArrayPool<double>.Shared.Return(radiusX);
            ArrayPool<double>.Shared.Return(radiusY);
            if (countX is not null)
            {
                ArrayPool<int>.Shared.Return(countX);
                ArrayPool<int>.Shared.Return(countY!);
            }
        }
    }

    /// <summary>
    /// For each point, its radius r = nextafter(k-th neighbour distance, 0), stored at the point's rank in
    /// each marginal (so that the marginal counts can then sweep the sorted values in order).
    /// </summary>
    private static void ComputeRadii(ChebyshevKdTree tree, double[] radiusX, double[] radiusY, int k, int dop)
    {
        int chunks = (tree.FirstLeaf + LeavesPerChunk - 1) / LeavesPerChunk;
        ParallelChunks.For(chunks, dop, c => RadiiChunk(tree, radiusX, radiusY, k, c));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RadiiChunk(ChebyshevKdTree tree, double[] radiusX, double[] radiusY, int k, int chunk)
    {
        double[]? rented = null;
        Span<double> best = k <= StackScratchLimit
            ? stackalloc double[StackScratchLimit]
            : (rented = ArrayPool<double>.Shared.Rent(k));
        best = best[..k];
        try
        {
            int firstLeaf = tree.FirstLeaf;
            int leafStart = firstLeaf + (chunk * LeavesPerChunk);
            int leafEnd = Math.Min(leafStart + LeavesPerChunk, 2 * firstLeaf);
            ReadOnlySpan<int> rankX = tree.SlotRankX;
            ReadOnlySpan<int> rankY = tree.SlotRankY;
            for (int leaf = leafStart; leaf < leafEnd; leaf++)
            {
                int count = tree.LeafCount(leaf);
                int slotBase = (leaf - firstLeaf) * ChebyshevKdTree.LeafSize;
                for (int s = 0; s < count; s++)
                {
                    double kth = tree.KthNeighbourDistance(leaf, s, best);
                    double radius = kth > 0.0 ? Math.BitDecrement(kth) : 0.0;
                    radiusX[rankX[slotBase + s]] = radius;
                    radiusY[rankY[slotBase + s]] = radius;
                }
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<double>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// The marginal counts n_x and n_y, by rank: a sweep over each sorted marginal whose consecutive searches
    /// touch overlapping, cache-resident memory.
    /// </summary>
    private static void CountMarginals(SortedMarginal marginalX, SortedMarginal marginalY, double[] radiusX, double[] radiusY, int[] countX, int[] countY, int dop)
    {
        int n = marginalX.Count;
        int chunks = (n + RanksPerChunk - 1) / RanksPerChunk;
        ParallelChunks.For(
            2 * chunks,
            dop,
            c => CountChunk(c < chunks ? marginalX : marginalY, c < chunks ? radiusX : radiusY, c < chunks ? countX : countY, c % chunks));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CountChunk(SortedMarginal marginal, double[] radius, int[] counts, int chunk)
    {
        int start = chunk * RanksPerChunk;
        int end = Math.Min(start + RanksPerChunk, marginal.Count);
        int width = 64;
        for (int j = start; j < end; j++)
        {
            counts[j] = marginal.CountWithin(j, radius[j], ref width);
        }
    }

    /// <summary>
    /// <see cref="MeanDigammaOfCountPlusOne(ReadOnlySpan{int})"/> of <c>counts[0 .. n)</c> with the maximum and the
    /// histogram on up to <paramref name="dop"/> threads (partial integer histograms, added exactly): the same
    /// histogram, so the same sum, for any thread count.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double MeanDigammaOfCountPlusOne(int[] counts, int n, int dop)
    {
        int chunks = ParallelChunks.Count(n, ElementsPerChunk);
        if (ParallelChunks.Sequential(dop, chunks))
        {
            return MeanDigammaOfCountPlusOne(counts.AsSpan(0, n));
        }

        int[] chunkMax = new int[chunks];
        ParallelChunks.For(chunks, dop, c =>
        {
            int max = 0;
            foreach (int v in counts.AsSpan(c * ElementsPerChunk, Math.Min(n, (c + 1) * ElementsPerChunk) - (c * ElementsPerChunk)))
            {
                max = Math.Max(max, v);
            }

            chunkMax[c] = max;
        });
        int bins = 0;
        foreach (int m in chunkMax)
        {
            bins = Math.Max(bins, m + 1);
        }

        // One partial histogram per group of chunks; the groups only change which integers are added first.
        int groups = (int)Math.Min(Math.Min(Math.Max(dop, ParallelRegionClock.IsOn ? 16 : 1), chunks), Math.Max(1L, n / (4L * bins)));
        if (groups <= 1)
        {
            return MeanDigammaOfCountPlusOne(counts.AsSpan(0, n));
        }

        int[] partial = ArrayPool<int>.Shared.Rent(groups * bins);
        try
        {
            ParallelChunks.For(groups, dop, g =>
            {
                Span<int> h = partial.AsSpan(g * bins, bins);
                h.Clear();
                int start = (int)((long)n * g / groups);
                int end = (int)((long)n * (g + 1) / groups);
                for (int i = start; i < end; i++)
                {
                    h[counts[i]]++;
                }
            });
            Span<int> histogram = partial.AsSpan(0, bins);
            for (int g = 1; g < groups; g++)
            {
                ReadOnlySpan<int> h = partial.AsSpan(g * bins, bins);
                for (int c = 0; c < bins; c++)
                {
                    histogram[c] += h[c];
                }
            }

            return MeanDigammaOfHistogram(histogram, n);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(partial);
        }
    }

    /// <summary>mean over i of psi(counts[i] + 1), through an integer histogram of the counts (exact, order-free).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double MeanDigammaOfCountPlusOne(ReadOnlySpan<int> counts)
    {
        int n = counts.Length;
        int max = 0;
        foreach (int c in counts)
        {
            max = Math.Max(max, c);
        }

        int[] histogram = ArrayPool<int>.Shared.Rent(max + 1);
        try
        {
            Span<int> h = histogram.AsSpan(0, max + 1);
            h.Clear();
            foreach (int c in counts)
            {
                h[c]++;
            }

            return MeanDigammaOfHistogram(h, n);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(histogram);
        }
    }

    /// <summary>sum_c h[c] psi(c + 1) / n, Neumaier-compensated, in increasing c.</summary>
    private static double MeanDigammaOfHistogram(ReadOnlySpan<int> h, int n)
    {
        double sum = 0.0;
        double compensation = 0.0;
        for (int c = 0; c < h.Length; c++)
        {
            if (h[c] == 0)
            {
                continue;
            }

            double term = h[c] * Digamma.OfPositiveInteger(c + 1L);
            double t = sum + term;
            compensation += Math.Abs(sum) >= Math.Abs(term) ? (sum - t) + term : (term - t) + sum;
            sum = t;
        }

        return (sum + compensation) / n;
    }

    /// <summary>
    /// <see cref="FiniteRange(ReadOnlySpan{double}, string, int)"/> of <c>values[0 .. n)</c> on up to <paramref name="dop"/>
    /// threads; the exception names the first non-finite index, as the sequential check does.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static (double Min, double Max) FiniteRange(double[] values, int n, string paramName, int dop)
    {
        int chunks = ParallelChunks.Count(n, ElementsPerChunk);
        if (ParallelChunks.Sequential(dop, chunks))
        {
            return FiniteRange(values.AsSpan(0, n), paramName);
        }

        double[] mins = new double[chunks];
        double[] maxs = new double[chunks];
        bool[] bad = new bool[chunks];
        ParallelChunks.For(chunks, dop, c =>
        {
            double min = double.PositiveInfinity;
            double max = double.NegativeInfinity;
            bool finite = true;
            int end = Math.Min(n, (c + 1) * ElementsPerChunk);
            for (int i = c * ElementsPerChunk; i < end; i++)
            {
                double v = values[i];
                finite &= double.IsFinite(v);
                min = Math.Min(min, v);
                max = Math.Max(max, v);
            }

            (mins[c], maxs[c], bad[c]) = (min, max, !finite);
        });
        double lo = double.PositiveInfinity;
        double hi = double.NegativeInfinity;
        for (int c = 0; c < chunks; c++)
        {
            if (bad[c])
            {
                // Rescan the first bad chunk for the message (the same index the sequential check reports).
                int start = c * ElementsPerChunk;
                _ = FiniteRange(values.AsSpan(start, Math.Min(n, start + ElementsPerChunk) - start), paramName, start);
            }

            lo = Math.Min(lo, mins[c]);
            hi = Math.Max(hi, maxs[c]);
        }

        return (lo, hi);
    }

    /// <summary>Checks that every value is finite and returns the minimum and maximum.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static (double Min, double Max) FiniteRange(ReadOnlySpan<double> values, string paramName, int indexBase = 0)
    {
        double min = double.PositiveInfinity;
        double max = double.NegativeInfinity;
        for (int i = 0; i < values.Length; i++)
        {
            double v = values[i];
            if (!double.IsFinite(v))
            {
                throw new ArgumentException(
                    $"{paramName}[{indexBase + i}] is {v}; mutual information needs finite values.", paramName);
            }

            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }

        return (min, max);
    }
}
