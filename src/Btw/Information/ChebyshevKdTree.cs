using System;
using System.Buffers;
using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Threading.Tasks;

namespace Btw.Information;

/// <summary>
/// A balanced 2-d tree over n points for exact k-nearest-neighbour distances under the Chebyshev
/// (maximum) norm, built for the all-points queries of the KSG estimator.
/// </summary>
/// <remarks>
/// <para>Layout: an implicit binary tree in heap order (root 1, children 2i and 2i + 1) whose leaves all sit
/// at the same depth and hold at most <see cref="LeafSize"/> points. Each internal node splits its points at
/// the middle along the coordinate with the larger extent, so the tree is balanced whatever the data (ties
/// included). The tree is built from the two sorted marginals (<see cref="SortedMarginal"/>): every node
/// keeps its points as (x-rank, y-rank) pairs in two lists, one in x order and one in y order, so its
/// bounding box is read off the ends of the lists and a split is a stable partition of one list by rank,
/// a sequential pass; building costs O(n log n) with no comparisons of coordinates. Each node keeps its
/// bounding box. Leaf l owns the <see cref="LeafSize"/> slots starting at <c>(l - FirstLeaf) * LeafSize</c> of two
/// coordinate arrays (structure of arrays); unused slots hold +infinity, so a leaf is scanned with a fixed
/// number of vector operations.</para>
/// <para>Query (all points are queried, in tree order): the query's own leaf fills the k-best list, then the
/// search walks up from the leaf, descending into each sibling subtree whose box is closer than the current
/// k-th best (nearer child first), and stops as soon as the Chebyshev ball of the current k-th best lies
/// inside the box of the node reached: every point outside a node lies outside its box or on its boundary.
/// A query typically scans two leaves and a handful of boxes.</para>
/// <para>Exactness: a query computes the same floating-point distances as scikit-learn
/// (<c>max(|qx - px|, |qy - py|)</c>, lane by lane in the vector path), excludes the query point by its slot
/// (not by distance, so duplicate points count as neighbours at distance 0), and prunes a subtree only when
/// the distance to its bounding box is at least the current k-th best; floating-point subtraction is
/// monotone, so the box distance never exceeds the distance to a point inside it and pruning cannot change
/// the result. The returned value is exactly the k-th smallest of the n - 1 distances from the query to
/// the other points.</para>
/// <para>Each slot also records its point's ranks in both marginals, for the marginal counts. Building may
/// use several threads; the tree is the same for any thread count.</para>
/// </remarks>
internal sealed class ChebyshevKdTree : IDisposable
{
    /// <summary>The number of slots of a leaf (the maximum number of points in it).</summary>
    internal const int LeafSize = 16;

    /// <summary>Subtrees with more points than this may be built in parallel.</summary>
    private const int ParallelBuildThreshold = 1 << 15;

    /// <summary>Pairs per chunk of the parallel passes of the build (fixed: independent of the thread count).</summary>
    private const int PartitionChunkSize = 1 << 16;

    private readonly int _count;
    private readonly int _firstLeaf;
    private readonly bool _vectorized;  // leaves scanned with 256-bit vectors (same results as the scalar loop)
    private double[]? _boxes;       // 4 per node: minX, maxX, minY, maxY
    private double[]? _slotX;       // LeafSize per leaf, +inf in unused slots
    private double[]? _slotY;
    private int[]? _slotRankX;      // rank of the slot's point in the x marginal
    private int[]? _slotRankY;
    private int[]? _leafStart;      // per leaf: number of points in the leaves before it

    // Build-time state (null afterwards).
    private RankPair[]? _byX;       // per node range: its points in x order
    private RankPair[]? _byY;       // per node range: its points in y order
    private RankPair[]? _left;      // partition scratch
    private RankPair[]? _right;
    private double[]? _sortedX;
    private double[]? _sortedY;
    private int _threads = 1;      // threads the build may use

    private ChebyshevKdTree(int count, int depth, bool vectorized)
    {
        _count = count;
        _vectorized = vectorized;
        _firstLeaf = 1 << depth;
        _boxes = ArrayPool<double>.Shared.Rent(8 * _firstLeaf);
        _slotX = ArrayPool<double>.Shared.Rent(LeafSize * _firstLeaf);
        _slotY = ArrayPool<double>.Shared.Rent(LeafSize * _firstLeaf);
        _slotRankX = ArrayPool<int>.Shared.Rent(LeafSize * _firstLeaf);
        _slotRankY = ArrayPool<int>.Shared.Rent(LeafSize * _firstLeaf);
        _leafStart = ArrayPool<int>.Shared.Rent(_firstLeaf + 1);
    }

    /// <summary>The number of points.</summary>
    internal int Count => _count;

    /// <summary>Heap index of the first leaf; leaves are <c>FirstLeaf .. 2 * FirstLeaf - 1</c>.</summary>
    internal int FirstLeaf => _firstLeaf;

    /// <summary>First coordinates by slot (<c>LeafSize * FirstLeaf</c> slots, +inf where unused).</summary>
    internal ReadOnlySpan<double> SlotX => _slotX.AsSpan(0, LeafSize * _firstLeaf);

    /// <summary>Second coordinates by slot.</summary>
    internal ReadOnlySpan<double> SlotY => _slotY.AsSpan(0, LeafSize * _firstLeaf);

    /// <summary>Rank in the x marginal of the point in each used slot.</summary>
    internal ReadOnlySpan<int> SlotRankX => _slotRankX.AsSpan(0, LeafSize * _firstLeaf);

    /// <summary>Rank in the y marginal of the point in each used slot.</summary>
    internal ReadOnlySpan<int> SlotRankY => _slotRankY.AsSpan(0, LeafSize * _firstLeaf);

    /// <summary>Builds the tree over the points (x_i, y_i) given by their two sorted marginals.</summary>
    /// <param name="x">The sorted first coordinates (n &gt;= 1, finite).</param>
    /// <param name="y">The sorted second coordinates of the same points.</param>
    /// <param name="maxDegreeOfParallelism">As <see cref="ParallelOptions.MaxDegreeOfParallelism"/>; 1 builds sequentially.</param>
    /// <param name="vectorized">Scan leaves with 256-bit vectors when the hardware accelerates them (the
    /// default); false forces the scalar loop (for tests: the results are identical).</param>
    internal static ChebyshevKdTree Build(SortedMarginal x, SortedMarginal y, int maxDegreeOfParallelism, bool vectorized = true)
    {
        int n = x.Count;
        int depth = 0;
        while ((n + (1L << depth) - 1) >> depth > LeafSize)
        {
            depth++;
        }

        var tree = new ChebyshevKdTree(n, depth, vectorized && Vector256.IsHardwareAccelerated);
        RankPair[] byX = ArrayPool<RankPair>.Shared.Rent(n);
        RankPair[] byY = ArrayPool<RankPair>.Shared.Rent(n);
        RankPair[] left = ArrayPool<RankPair>.Shared.Rent(n + 1);
        RankPair[] right = ArrayPool<RankPair>.Shared.Rent(n + 1);
        ReadOnlySpan<int> orderX = x.Order;
        ReadOnlySpan<int> orderY = y.Order;
        ReadOnlySpan<int> rankX = x.Rank;
        ReadOnlySpan<int> rankY = y.Rank;
        int threads = maxDegreeOfParallelism > 0 ? maxDegreeOfParallelism : Environment.ProcessorCount;
        int chunks = ParallelChunks.Count(n, PartitionChunkSize);
        int[] orderXArray = x.OrderArray;
        int[] orderYArray = y.OrderArray;
        int[] rankXArray = x.RankArray;
        int[] rankYArray = y.RankArray;
        if (ParallelChunks.Sequential(threads, chunks))
        {
            for (int j = 0; j < n; j++)
            {
                byX[j] = new RankPair(j, rankY[orderX[j]]);
                byY[j] = new RankPair(rankX[orderY[j]], j);
            }
        }
        else
        {
            ParallelChunks.For(chunks, threads, c =>
            {
                int end = Math.Min(n, (c + 1) * PartitionChunkSize);
                for (int j = c * PartitionChunkSize; j < end; j++)
                {
                    byX[j] = new RankPair(j, rankYArray[orderXArray[j]]);
                    byY[j] = new RankPair(rankXArray[orderYArray[j]], j);
                }
            });
        }

        double[] sortedX = x.SortedArray;
        double[] sortedY = y.SortedArray;
        (tree._byX, tree._byY, tree._left, tree._right, tree._sortedX, tree._sortedY) = (byX, byY, left, right, sortedX, sortedY);
        tree._threads = threads;
        try
        {
            // Parallel subtrees: one level per doubling of the usable threads (two halves on two cores); the nodes of
            // those top levels also partition their points on several threads.
            int parallelLevels = threads <= 1 ? 0 : BitOperations.Log2((uint)(threads - 1)) + 1;
            if (threads <= 1 && ParallelRegionClock.IsOn)
            {
                // Serial-fraction bookkeeping: build as 16 threads would split it (the same tree), on this thread.
                parallelLevels = ParallelRegionClock.SubtreeLevels;
            }

            tree.BuildNode(1, 0, n, parallelLevels);
        }
        finally
        {
            ArrayPool<RankPair>.Shared.Return(byX);
            ArrayPool<RankPair>.Shared.Return(byY);
            ArrayPool<RankPair>.Shared.Return(left);
            ArrayPool<RankPair>.Shared.Return(right);
            (tree._byX, tree._byY, tree._left, tree._right, tree._sortedX, tree._sortedY) = (null, null, null, null, null, null);
        }

        int[] leafStart = tree._leafStart!;
        int firstLeaf = tree._firstLeaf;
        int total = 0;
        for (int l = 0; l < firstLeaf; l++)
        {
            int c = leafStart[l];
            leafStart[l] = total;
            total += c;
        }

        leafStart[firstLeaf] = total;
        return tree;
    }

    /// <summary>The number of points in leaf <paramref name="leaf"/> (heap index).</summary>
    internal int LeafCount(int leaf) => _leafStart![leaf - _firstLeaf + 1] - _leafStart[leaf - _firstLeaf];

    /// <summary>The number of points in the leaves before <paramref name="leaf"/> (a compact point index base).</summary>
    internal int LeafStart(int leaf) => _leafStart![leaf - _firstLeaf];

    /// <summary>
    /// The Chebyshev distance from the point in slot <paramref name="slot"/> of leaf <paramref name="leaf"/>
    /// to its k-th nearest other point, k = <c>best.Length</c> &lt;= n - 1.
    /// </summary>
    /// <param name="leaf">Heap index of the leaf that holds the query point.</param>
    /// <param name="slot">Slot of the query point within its leaf (0 .. LeafSize - 1).</param>
    /// <param name="best">Scratch of length k (its content is overwritten).</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal double KthNeighbourDistance(int leaf, int slot, Span<double> best)
    {
        best.Fill(double.PositiveInfinity);
        int self = ((leaf - _firstLeaf) * LeafSize) + slot;
        double qx = _slotX![self];
        double qy = _slotY![self];
        double worst = ScanOwnLeaf(leaf, self, qx, qy, best);
        for (int node = leaf; node > 1; node >>= 1)
        {
            if (BallInsideBox(node, qx, qy, worst))
            {
                // Every point outside this node lies outside its box or on its boundary, so at a distance
                // >= the query's margin to the box >= worst: none can improve the k best.
                break;
            }

            int sibling = node ^ 1;
            if (BoxDistance(sibling, qx, qy) < worst)
            {
                SearchDown(sibling, qx, qy, best, ref worst);
            }
        }

        return worst;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_boxes is not null)
        {
            ArrayPool<double>.Shared.Return(_boxes);
            ArrayPool<double>.Shared.Return(_slotX!);
            ArrayPool<double>.Shared.Return(_slotY!);
            ArrayPool<int>.Shared.Return(_slotRankX!);
            ArrayPool<int>.Shared.Return(_slotRankY!);
            ArrayPool<int>.Shared.Return(_leafStart!);
            _boxes = null;
            _slotX = null;
            _slotY = null;
            _slotRankX = null;
            _slotRankY = null;
            _leafStart = null;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void SearchDown(int node, double qx, double qy, Span<double> best, ref double worst)
    {
        if (node >= _firstLeaf)
        {
            ScanLeaf(node, qx, qy, best, ref worst);
            return;
        }

        int left = 2 * node;
        int right = left + 1;
        double dl = BoxDistance(left, qx, qy);
        double dr = BoxDistance(right, qx, qy);
        if (dl <= dr)
        {
            if (dl < worst)
            {
                SearchDown(left, qx, qy, best, ref worst);
            }

            if (dr < worst)
            {
                SearchDown(right, qx, qy, best, ref worst);
            }
        }
        else
        {
            if (dr < worst)
            {
                SearchDown(right, qx, qy, best, ref worst);
            }

            if (dl < worst)
            {
                SearchDown(left, qx, qy, best, ref worst);
            }
        }
    }

    /// <summary>
    /// Offers every point of the query's own leaf except the query (slot <paramref name="self"/>) to the
    /// empty k-best list and returns the k-th best. Most of these points enter the list, so the insertion is
    /// branch-free (a sorting-network step per point: best[m], d = min(best[m], d), max(best[m], d)).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private double ScanOwnLeaf(int leaf, int self, double qx, double qy, Span<double> best)
    {
        int start = (leaf - _firstLeaf) * LeafSize;
        double[] xs = _slotX!;
        double[] ys = _slotY!;
        int k = best.Length;
        if (k == 3)
        {
            // The default k, with the list in registers (a memory-bound dependency chain otherwise).
            double b0 = double.PositiveInfinity, b1 = double.PositiveInfinity, b2 = double.PositiveInfinity;
            for (int j = start; j < start + LeafSize; j++)
            {
                double d = double.MaxNative(Math.Abs(qx - xs[j]), Math.Abs(qy - ys[j]));
                d = j == self ? double.PositiveInfinity : d;
                double t = double.MaxNative(b0, d);
                b0 = double.MinNative(b0, d);
                double u = double.MaxNative(b1, t);
                b1 = double.MinNative(b1, t);
                b2 = double.MinNative(b2, u);
            }

            best[0] = b0;
            best[1] = b1;
            best[2] = b2;
            return b2;
        }

        for (int j = start; j < start + LeafSize; j++)
        {
            double d = double.MaxNative(Math.Abs(qx - xs[j]), Math.Abs(qy - ys[j]));
            d = j == self ? double.PositiveInfinity : d;
            for (int m = 0; m < k; m++)
            {
                double b = best[m];
                best[m] = double.MinNative(b, d);
                d = double.MaxNative(b, d);
            }
        }

        return best[k - 1];
    }

    /// <summary>Offers every point of a leaf (not the query's own) to the k-best list.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ScanLeaf(int leaf, double qx, double qy, Span<double> best, ref double worst)
    {
        int start = (leaf - _firstLeaf) * LeafSize;
        if (_vectorized)
        {
            ref double xs = ref MemoryMarshal.GetArrayDataReference(_slotX!);
            ref double ys = ref MemoryMarshal.GetArrayDataReference(_slotY!);
            Vector256<double> vqx = Vector256.Create(qx);
            Vector256<double> vqy = Vector256.Create(qy);
            for (int h = 0; h < LeafSize; h += Vector256<double>.Count)
            {
                int offset = start + h;
                Vector256<double> dx = Vector256.Abs(vqx - Vector256.LoadUnsafe(ref xs, (nuint)offset));
                Vector256<double> dy = Vector256.Abs(vqy - Vector256.LoadUnsafe(ref ys, (nuint)offset));
                Vector256<double> d = Vector256.ConditionalSelect(Vector256.GreaterThan(dy, dx), dy, dx);
                uint mask = Vector256.LessThan(d, Vector256.Create(worst)).ExtractMostSignificantBits();
                while (mask != 0)
                {
                    int lane = BitOperations.TrailingZeroCount(mask);
                    mask &= mask - 1;
                    double dl = d.GetElement(lane);
                    if (dl < worst)
                    {
                        Insert(best, dl, ref worst);
                    }
                }
            }

            return;
        }

        for (int j = start; j < start + LeafSize; j++)
        {
            double d = Math.Max(Math.Abs(qx - _slotX![j]), Math.Abs(qy - _slotY![j]));
            if (d < worst)
            {
                Insert(best, d, ref worst);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Insert(Span<double> best, double d, ref double worst)
    {
        int i = best.Length - 1;
        while (i > 0 && best[i - 1] > d)
        {
            best[i] = best[i - 1];
            i--;
        }

        best[i] = d;
        worst = best[^1];
    }

    /// <summary>Lower bound of the Chebyshev distance from (qx, qy) to any point of the node.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private double BoxDistance(int node, double qx, double qy)
    {
        ref double b = ref MemoryMarshal.GetArrayDataReference(_boxes!);
        int o = 4 * node;
        double dx = Max(Max(Unsafe.Add(ref b, o) - qx, qx - Unsafe.Add(ref b, o + 1)), 0.0);
        double dy = Max(Max(Unsafe.Add(ref b, o + 2) - qy, qy - Unsafe.Add(ref b, o + 3)), 0.0);
        return Max(dx, dy);
    }

    /// <summary>
    /// Whether the Chebyshev ball of radius <paramref name="radius"/> around (qx, qy) lies within the node's
    /// bounding box: every margin, computed as the same floating-point differences a distance would use, is at
    /// least the radius.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool BallInsideBox(int node, double qx, double qy, double radius)
    {
        ref double b = ref MemoryMarshal.GetArrayDataReference(_boxes!);
        int o = 4 * node;
        double marginX = double.MinNative(qx - Unsafe.Add(ref b, o), Unsafe.Add(ref b, o + 1) - qx);
        double marginY = double.MinNative(qy - Unsafe.Add(ref b, o + 2), Unsafe.Add(ref b, o + 3) - qy);
        return double.MinNative(marginX, marginY) >= radius;
    }

    /// <summary>The larger of two non-NaN values: one vmaxsd instruction, no branch (the sign of a zero result
    /// does not matter here, it is only compared with distances).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Max(double a, double b) => double.MaxNative(a, b);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void BuildNode(int node, int lo, int hi, int parallelLevels)
    {
        RankPair[] byX = _byX!;
        RankPair[] byY = _byY!;
        double[] sx = _sortedX!;
        double[] sy = _sortedY!;
        double minX = sx[byX[lo].X];
        double maxX = sx[byX[hi - 1].X];
        double minY = sy[byY[lo].Y];
        double maxY = sy[byY[hi - 1].Y];
        int b = 4 * node;
        _boxes![b] = minX;
        _boxes[b + 1] = maxX;
        _boxes[b + 2] = minY;
        _boxes[b + 3] = maxY;
        if (node >= _firstLeaf)
        {
            int start = (node - _firstLeaf) * LeafSize;
            int count = hi - lo;
            for (int s = 0; s < LeafSize; s++)
            {
                if (s < count)
                {
                    RankPair p = byX[lo + s];
                    _slotX![start + s] = sx[p.X];
                    _slotY![start + s] = sy[p.Y];
                    _slotRankX![start + s] = p.X;
                    _slotRankY![start + s] = p.Y;
                }
                else
                {
                    _slotX![start + s] = double.PositiveInfinity;
                    _slotY![start + s] = double.PositiveInfinity;
                    _slotRankX![start + s] = -1;
                    _slotRankY![start + s] = -1;
                }
            }

            _leafStart![node - _firstLeaf] = count; // a count for now, prefix sums after the build
            return;
        }

        int mid = lo + ((hi - lo) / 2);
        bool parallelPartition = parallelLevels > 0 && hi - lo > ParallelBuildThreshold;
        if (maxX - minX >= maxY - minY)
        {
            // Left: the first half in x order. Keep the y-ordered list's order within each half.
            if (parallelPartition)
            {
                ParallelPartition<XAxis>(byY, lo, hi, mid, byX[mid].X);
            }
            else
            {
                Partition<XAxis>(byY, lo, hi, mid, byX[mid].X);
            }
        }
        else if (parallelPartition)
        {
            ParallelPartition<YAxis>(byX, lo, hi, mid, byY[mid].Y);
        }
        else
        {
            Partition<YAxis>(byX, lo, hi, mid, byY[mid].Y);
        }

        if (parallelLevels > 0 && hi - lo > ParallelBuildThreshold && _threads > 1)
        {
            Parallel.Invoke(
                () => BuildNode(2 * node, lo, mid, parallelLevels - 1),
                () => BuildNode((2 * node) + 1, mid, hi, parallelLevels - 1));
        }
        else if (parallelLevels > 0)
        {
            // On one thread (or small): the top levels go on (parallel partitions); independent subtrees below.
            long start = parallelLevels == 1 ? ParallelRegionClock.Enter() : 0;
            BuildNode(2 * node, lo, mid, parallelLevels - 1);
            BuildNode((2 * node) + 1, mid, hi, parallelLevels - 1);
            if (parallelLevels == 1)
            {
                ParallelRegionClock.Leave(start);
            }
        }
        else
        {
            BuildNode(2 * node, lo, mid, 0);
            BuildNode((2 * node) + 1, mid, hi, 0);
        }
    }

    /// <summary>
    /// Stable partition of list[lo..hi) into pairs whose rank on the axis <typeparamref name="TAxis"/> is below
    /// <paramref name="pivot"/> (exactly mid - lo of them) and the rest. The axis is a struct type parameter, so the JIT
    /// compiles one branch-free loop per axis.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Partition<TAxis>(RankPair[] list, int lo, int hi, int mid, int pivot)
        where TAxis : struct, IRankAxis
    {
        RankPair[] left = _left!;
        RankPair[] right = _right!;
        int l = lo;
        int r = lo;
        for (int i = lo; i < hi; i++)
        {
            RankPair p = list[i];
            int toLeft = default(TAxis).Rank(p) < pivot ? 1 : 0;
            left[l] = p;
            right[r] = p;
            l += toLeft;
            r += 1 - toLeft;
        }

        Debug.Assert(l == mid, "ranks are distinct, so exactly half of the points precede the pivot");
        Array.Copy(left, lo, list, lo, mid - lo);
        Array.Copy(right, lo, list, mid, hi - mid);
    }

    /// <summary>
    /// The same stable partition as <see cref="Partition{TAxis}"/>, on several threads: fixed chunks of the range count
    /// their left-going pairs, prefix sums give every chunk its output positions, the chunks scatter into the scratch
    /// list and the result is copied back. The result is that of the sequential partition (a stable partition is
    /// unique).
    /// </summary>
    private void ParallelPartition<TAxis>(RankPair[] list, int lo, int hi, int mid, int pivot)
        where TAxis : struct, IRankAxis
    {
        RankPair[] scratch = _left!;
        int chunks = ParallelChunks.Count(hi - lo, PartitionChunkSize);
        int[] leftBefore = new int[chunks + 1];
        ParallelChunks.For(chunks, _threads, c =>
        {
            int start = lo + (c * PartitionChunkSize);
            int end = Math.Min(hi, start + PartitionChunkSize);
            int count = 0;
            for (int i = start; i < end; i++)
            {
                count += default(TAxis).Rank(list[i]) < pivot ? 1 : 0;
            }

            leftBefore[c + 1] = count;
        });
        for (int c = 0; c < chunks; c++)
        {
            leftBefore[c + 1] += leftBefore[c];
        }

        Debug.Assert(leftBefore[chunks] == mid - lo, "ranks are distinct, so exactly half of the points precede the pivot");
        ParallelChunks.For(chunks, _threads, c =>
        {
            int start = lo + (c * PartitionChunkSize);
            int end = Math.Min(hi, start + PartitionChunkSize);
            int l = lo + leftBefore[c];
            int r = mid + (start - lo - leftBefore[c]);
            for (int i = start; i < end; i++)
            {
                RankPair p = list[i];
                if (default(TAxis).Rank(p) < pivot)
                {
                    scratch[l++] = p;
                }
                else
                {
                    scratch[r++] = p;
                }
            }
        });
        ParallelChunks.For(chunks, _threads, c =>
        {
            int start = lo + (c * PartitionChunkSize);
            Array.Copy(scratch, start, list, start, Math.Min(hi, start + PartitionChunkSize) - start);
        });
    }

    /// <summary>A point as its ranks in the x and y marginals.</summary>
    private readonly record struct RankPair(int X, int Y);

    /// <summary>Selects one rank of a <see cref="RankPair"/>.</summary>
    private interface IRankAxis
    {
        int Rank(RankPair pair);
    }

    /// <summary>The x rank.</summary>
    private readonly struct XAxis : IRankAxis
    {
        public int Rank(RankPair pair) => pair.X;
    }

    /// <summary>The y rank.</summary>
    private readonly struct YAxis : IRankAxis
    {
        public int Rank(RankPair pair) => pair.Y;
    }
}
