using System;
using System.Buffers;
using System.Threading.Tasks;

namespace Btw;

/// <summary>
/// A balanced 2-d tree over n points for exact k-nearest-neighbour distances under the Chebyshev
/// (maximum) norm, built for the all-points queries of the KSG estimator.
/// </summary>
/// <remarks>
/// <para>Layout: an implicit binary tree in heap order (root 1, children 2i and 2i + 1) whose leaves all sit
/// at the same depth and hold at most <see cref="LeafSize"/> points. Each internal node splits its index
/// range at the middle (an nth-element partition) along the coordinate with the larger extent, so the tree
/// is balanced whatever the data (ties included) and building costs O(n log n). The points are stored in
/// tree order (leaf by leaf), each node keeps its bounding box.</para>
/// <para>Exactness: a query computes the same floating-point distances as scikit-learn
/// (<c>max(|qx - px|, |qy - py|)</c>), excludes the query point by position (not by distance, so duplicate
/// points count as neighbours at distance 0), and prunes a subtree only when the distance to its bounding
/// box is at least the current k-th best; floating-point subtraction is monotone, so the box distance never
/// exceeds the distance to a point inside it and no pruning can change the result. The returned value is
/// therefore exactly the k-th smallest of the n - 1 distances from the query to the other points.</para>
/// <para>Building and querying are deterministic; building may use several threads, with the same
/// result.</para>
/// </remarks>
internal sealed class ChebyshevKdTree : IDisposable
{
    /// <summary>The maximum number of points in a leaf.</summary>
    internal const int LeafSize = 8;

    /// <summary>Subtrees with more points than this are built in parallel (when allowed).</summary>
    private const int ParallelBuildThreshold = 1 << 15;

    private KdPoint[]? _points;
    private double[]? _boxes;   // 4 per node: minX, maxX, minY, maxY
    private int[]? _ranges;     // 2 per node: lo, hi (exclusive)
    private readonly int _count;
    private readonly int _firstLeaf;

    private ChebyshevKdTree(int count, int depth)
    {
        _count = count;
        _firstLeaf = 1 << depth;
        int nodes = 2 * _firstLeaf;
        _points = ArrayPool<KdPoint>.Shared.Rent(count);
        _boxes = ArrayPool<double>.Shared.Rent(4 * nodes);
        _ranges = ArrayPool<int>.Shared.Rent(2 * nodes);
    }

    /// <summary>The number of points.</summary>
    internal int Count => _count;

    /// <summary>Heap index of the first leaf; leaves are <c>FirstLeaf .. 2 * FirstLeaf - 1</c>.</summary>
    internal int FirstLeaf => _firstLeaf;

    /// <summary>The points in tree order.</summary>
    internal ReadOnlySpan<KdPoint> Points => _points.AsSpan(0, _count);

    /// <summary>Builds the tree over the points (xs[i], ys[i]).</summary>
    /// <param name="xs">First coordinates, finite, length n &gt;= 1.</param>
    /// <param name="ys">Second coordinates, finite, same length.</param>
    /// <param name="maxDegreeOfParallelism">As <see cref="ParallelOptions.MaxDegreeOfParallelism"/>; 1 builds sequentially.</param>
    internal static ChebyshevKdTree Build(ReadOnlySpan<double> xs, ReadOnlySpan<double> ys, int maxDegreeOfParallelism)
    {
        int n = xs.Length;
        int depth = 0;
        while (CeilDiv(n, 1L << depth) > LeafSize)
        {
            depth++;
        }

        var tree = new ChebyshevKdTree(n, depth);
        KdPoint[] points = tree._points!;
        for (int i = 0; i < n; i++)
        {
            points[i] = new KdPoint(xs[i], ys[i]);
        }

        tree.BuildNode(1, 0, n, maxDegreeOfParallelism != 1);
        return tree;
    }

    /// <summary>The index range [lo, hi) of the points of a node.</summary>
    internal (int Lo, int Hi) Range(int node) => (_ranges![2 * node], _ranges[(2 * node) + 1]);

    /// <summary>
    /// The Chebyshev distance from the point at tree position <paramref name="position"/> (inside leaf
    /// <paramref name="leaf"/>) to its k-th nearest other point, k = <c>best.Length</c> &lt;= n - 1.
    /// </summary>
    /// <param name="leaf">Heap index of the leaf that holds the query point.</param>
    /// <param name="position">Tree position of the query point.</param>
    /// <param name="best">Scratch of length k (its content is overwritten).</param>
    internal double KthNeighbourDistance(int leaf, int position, Span<double> best)
    {
        best.Fill(double.PositiveInfinity);
        KdPoint[] points = _points!;
        double qx = points[position].X;
        double qy = points[position].Y;
        double worst = double.PositiveInfinity;
        ScanLeaf(leaf, position, qx, qy, best, ref worst);
        for (int node = leaf; node > 1; node >>= 1)
        {
            int sibling = node ^ 1;
            if (BoxDistance(sibling, qx, qy) < worst)
            {
                SearchDown(sibling, position, qx, qy, best, ref worst);
            }
        }

        return worst;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_points is not null)
        {
            ArrayPool<KdPoint>.Shared.Return(_points);
            ArrayPool<double>.Shared.Return(_boxes!);
            ArrayPool<int>.Shared.Return(_ranges!);
            _points = null;
            _boxes = null;
            _ranges = null;
        }
    }

    private static long CeilDiv(long a, long b) => (a + b - 1) / b;

    private void SearchDown(int node, int position, double qx, double qy, Span<double> best, ref double worst)
    {
        if (node >= _firstLeaf)
        {
            ScanLeaf(node, position, qx, qy, best, ref worst);
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
                SearchDown(left, position, qx, qy, best, ref worst);
            }

            if (dr < worst)
            {
                SearchDown(right, position, qx, qy, best, ref worst);
            }
        }
        else
        {
            if (dr < worst)
            {
                SearchDown(right, position, qx, qy, best, ref worst);
            }

            if (dl < worst)
            {
                SearchDown(left, position, qx, qy, best, ref worst);
            }
        }
    }

    private void ScanLeaf(int leaf, int position, double qx, double qy, Span<double> best, ref double worst)
    {
        int lo = _ranges![2 * leaf];
        int hi = _ranges[(2 * leaf) + 1];
        KdPoint[] points = _points!;
        for (int j = lo; j < hi; j++)
        {
            double d = Math.Max(Math.Abs(qx - points[j].X), Math.Abs(qy - points[j].Y));
            if (d < worst && j != position)
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
        }
    }

    /// <summary>Lower bound of the Chebyshev distance from (qx, qy) to any point of the node.</summary>
    private double BoxDistance(int node, double qx, double qy)
    {
        double[] boxes = _boxes!;
        int b = 4 * node;
        double dx = Math.Max(Math.Max(boxes[b] - qx, qx - boxes[b + 1]), 0.0);
        double dy = Math.Max(Math.Max(boxes[b + 2] - qy, qy - boxes[b + 3]), 0.0);
        return Math.Max(dx, dy);
    }

    private void BuildNode(int node, int lo, int hi, bool parallel)
    {
        _ranges![2 * node] = lo;
        _ranges[(2 * node) + 1] = hi;
        Span<KdPoint> span = _points.AsSpan(lo, hi - lo);
        double minX = double.PositiveInfinity, maxX = double.NegativeInfinity;
        double minY = double.PositiveInfinity, maxY = double.NegativeInfinity;
        foreach (ref readonly KdPoint p in span)
        {
            minX = Math.Min(minX, p.X);
            maxX = Math.Max(maxX, p.X);
            minY = Math.Min(minY, p.Y);
            maxY = Math.Max(maxY, p.Y);
        }

        int b = 4 * node;
        _boxes![b] = minX;
        _boxes[b + 1] = maxX;
        _boxes[b + 2] = minY;
        _boxes[b + 3] = maxY;
        if (node >= _firstLeaf)
        {
            return;
        }

        int mid = lo + ((hi - lo) / 2);
        if (maxX - minX >= maxY - minY)
        {
            NthElement.Select(span, mid - lo, default(ByX));
        }
        else
        {
            NthElement.Select(span, mid - lo, default(ByY));
        }

        if (parallel && hi - lo > ParallelBuildThreshold)
        {
            Parallel.Invoke(
                () => BuildNode(2 * node, lo, mid, parallel),
                () => BuildNode((2 * node) + 1, mid, hi, parallel));
        }
        else
        {
            BuildNode(2 * node, lo, mid, parallel);
            BuildNode((2 * node) + 1, mid, hi, parallel);
        }
    }

    /// <summary>Orders points by X.</summary>
    private readonly struct ByX : NthElement.IKey<KdPoint>
    {
        public double Key(in KdPoint item) => item.X;
    }

    /// <summary>Orders points by Y.</summary>
    private readonly struct ByY : NthElement.IKey<KdPoint>
    {
        public double Key(in KdPoint item) => item.Y;
    }
}
