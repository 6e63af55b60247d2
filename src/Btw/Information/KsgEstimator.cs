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
/// sum_c h_y(c) psi(c + 1) / n. Steps 2 and 3 (and the top of the tree build) run on several threads for
/// n &gt;= <see cref="ParallelThreshold"/>; every per-point result is independent of the others and integer
/// histograms are order-free, so the result is bit-identical for any thread count. Memory: O(n), a little
/// over 100 bytes per point at the peak, all of it rented from <see cref="ArrayPool{T}.Shared"/>.
/// </remarks>
internal static class KsgEstimator
{
    /// <summary>Below this many points everything runs on the calling thread.</summary>
    internal const int ParallelThreshold = 1 << 14;

    /// <summary>Leaves per parallel work item of the neighbour search.</summary>
    private const int LeavesPerChunk = 256;

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
    internal static double EstimateUnclipped(ReadOnlySpan<double> x, ReadOnlySpan<double> y, int k, int maxDegreeOfParallelism = -1)
    {
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

        (double minX, double maxX) = FiniteRange(x, nameof(x));
        (double minY, double maxY) = FiniteRange(y, nameof(y));
        int n = x.Length;
        if (n <= k || minX == maxX || minY == maxY)
        {
            return 0.0;
        }

        // Threads: at most one per core (more only adds contention to this CPU-bound work).
        int cores = Environment.ProcessorCount;
        int dop = n < ParallelThreshold ? 1 : maxDegreeOfParallelism > 0 ? Math.Min(maxDegreeOfParallelism, cores) : cores;
        double[]? xs = ArrayPool<double>.Shared.Rent(n);
        double[]? ys = ArrayPool<double>.Shared.Rent(n);
        SortedMarginal? marginalX = null;
        SortedMarginal? marginalY = null;
        try
        {
            Standardize(x, xs.AsSpan(0, n));
            Standardize(y, ys.AsSpan(0, n));
            if (dop == 1)
            {
                marginalX = SortedMarginal.Create(xs.AsSpan(0, n));
                marginalY = SortedMarginal.Create(ys.AsSpan(0, n));
            }
            else
            {
                // The two marginals are sorted concurrently.
                double[] sx = xs;
                double[] sy = ys;
                Parallel.Invoke(
                    new ParallelOptions { MaxDegreeOfParallelism = dop },
                    () => marginalX = SortedMarginal.Create(sx.AsSpan(0, n)),
                    () => marginalY = SortedMarginal.Create(sy.AsSpan(0, n)));
            }

            // The scaled values live on in the marginals (sorted, with ranks).
            ArrayPool<double>.Shared.Return(xs);
            ArrayPool<double>.Shared.Return(ys);
            xs = null;
            ys = null;
            return EstimateFromMarginals(marginalX!, marginalY!, k, dop);
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
    private static double EstimateFromMarginals(SortedMarginal marginalX, SortedMarginal marginalY, int k, int dop)
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
                ComputeRadii(tree, radiusX, radiusY, k, dop);
            }

            countX = ArrayPool<int>.Shared.Rent(n);
            countY = ArrayPool<int>.Shared.Rent(n);
            CountMarginals(marginalX, marginalY, radiusX, radiusY, countX, countY, dop);
            double meanX = MeanDigammaOfCountPlusOne(countX.AsSpan(0, n));
            double meanY = MeanDigammaOfCountPlusOne(countY.AsSpan(0, n));
            return Digamma.OfPositiveInteger(n) + Digamma.OfPositiveInteger(k) - meanX - meanY;
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
        if (dop == 1)
        {
            for (int c = 0; c < chunks; c++)
            {
                RadiiChunk(tree, radiusX, radiusY, k, c);
            }
        }
        else
        {
            Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = dop }, c => RadiiChunk(tree, radiusX, radiusY, k, c));
        }
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
        if (dop == 1)
        {
            for (int c = 0; c < 2 * chunks; c++)
            {
                CountChunk(c < chunks ? marginalX : marginalY, c < chunks ? radiusX : radiusY, c < chunks ? countX : countY, c % chunks);
            }
        }
        else
        {
            Parallel.For(
                0,
                2 * chunks,
                new ParallelOptions { MaxDegreeOfParallelism = dop },
                c => CountChunk(c < chunks ? marginalX : marginalY, c < chunks ? radiusX : radiusY, c < chunks ? countX : countY, c % chunks));
        }
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

            // Neumaier-compensated sum of h[c] * psi(c + 1) in increasing c.
            double sum = 0.0;
            double compensation = 0.0;
            for (int c = 0; c <= max; c++)
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
        finally
        {
            ArrayPool<int>.Shared.Return(histogram);
        }
    }

    /// <summary>Checks that every value is finite and returns the minimum and maximum.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static (double Min, double Max) FiniteRange(ReadOnlySpan<double> values, string paramName)
    {
        double min = double.PositiveInfinity;
        double max = double.NegativeInfinity;
        for (int i = 0; i < values.Length; i++)
        {
            double v = values[i];
            if (!double.IsFinite(v))
            {
                throw new ArgumentException(
                    $"{paramName}[{i}] is {v}; mutual information needs finite values.", paramName);
            }

            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }

        return (min, max);
    }
}
