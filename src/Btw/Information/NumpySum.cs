using System;
using System.Runtime.CompilerServices;

namespace Btw.Information;

/// <summary>
/// Summation of float64 values in exactly the order NumPy 1.24 uses for <c>np.sum</c> of a contiguous
/// float64 array: blocks of 8192 elements added left to right, each block summed pairwise (halves split at
/// a multiple of 8, leaves of at most 128 elements summed with eight interleaved accumulators). Reproducing
/// the order reproduces NumPy's rounding bit for bit, which matters where scikit-learn's results are
/// compared exactly (the standard deviation used to scale KSG inputs, the final sum of
/// <c>mutual_info_score</c>). Pairwise summation is also more accurate than a left-to-right sum.
/// </summary>
internal static class NumpySum
{
    /// <summary>NumPy's reduction buffer size (elements per block).</summary>
    private const int BufferSize = 8192;

    /// <summary>NumPy's pairwise-summation leaf size.</summary>
    private const int BlockSize = 128;

    /// <summary>A value transform applied to every element before it is summed.</summary>
    internal interface ITransform
    {
        /// <summary>The value that enters the sum for element <paramref name="value"/>.</summary>
        double Apply(double value);
    }

    /// <summary>The identity transform: a plain sum.</summary>
    internal readonly struct Identity : ITransform
    {
        /// <inheritdoc />
        public double Apply(double value) => value;
    }

    /// <summary>The squared deviation from a mean, <c>(v - mean) * (v - mean)</c> (as NumPy's <c>var</c>).</summary>
    internal readonly struct SquaredDeviation : ITransform
    {
        private readonly double _mean;

        /// <summary>Creates the transform for the given mean.</summary>
        public SquaredDeviation(double mean) => _mean = mean;

        /// <inheritdoc />
        public double Apply(double value)
        {
            double d = value - _mean;
            return d * d;
        }
    }

    /// <summary>The NumPy-ordered sum of <paramref name="values"/> (0 for an empty span).</summary>
    internal static double Sum(ReadOnlySpan<double> values) => Sum(values, default(Identity));

    /// <summary>The NumPy-ordered sum of <c>transform.Apply(v)</c> over <paramref name="values"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double Sum<T>(ReadOnlySpan<double> values, T transform)
        where T : struct, ITransform
    {
        double total = 0.0;
        for (int start = 0; start < values.Length; start += BufferSize)
        {
            int length = Math.Min(BufferSize, values.Length - start);
            total += Pairwise(values.Slice(start, length), transform);
        }

        return total;
    }

    /// <summary>
    /// The NumPy-ordered sum of <c>transform.Apply(v)</c> over <c>values[0 .. length)</c>, the 8192-element blocks
    /// summed on up to <paramref name="maxDegreeOfParallelism"/> threads and the block sums then added left to right
    /// on the calling thread: the same operations in the same order as <see cref="Sum{T}(ReadOnlySpan{double}, T)"/>,
    /// so the same bits for any thread count.
    /// </summary>
    internal static double Sum<T>(double[] values, int length, T transform, int maxDegreeOfParallelism)
        where T : struct, ITransform
    {
        int blocks = ParallelChunks.Count(length, BufferSize);
        if (ParallelChunks.Sequential(maxDegreeOfParallelism, blocks))
        {
            return Sum(values.AsSpan(0, length), transform);
        }

        double[] partial = new double[blocks];
        ParallelChunks.For(blocks, maxDegreeOfParallelism, b =>
        {
            int start = b * BufferSize;
            partial[b] = Pairwise(values.AsSpan(start, Math.Min(BufferSize, length - start)), transform);
        });
        double total = 0.0;
        foreach (double p in partial)
        {
            total += p;
        }

        return total;
    }

    /// <summary>
    /// <see cref="Variance(ReadOnlySpan{double})"/> of <c>values[0 .. length)</c> with the block sums on up to
    /// <paramref name="maxDegreeOfParallelism"/> threads (bit-identical for any thread count).
    /// </summary>
    internal static double Variance(double[] values, int length, int maxDegreeOfParallelism)
    {
        double mean = Sum(values, length, default(Identity), maxDegreeOfParallelism) / length;
        return Sum(values, length, new SquaredDeviation(mean), maxDegreeOfParallelism) / length;
    }

    /// <summary>
    /// NumPy's <c>np.std(v)</c> (ddof 0) in NumPy's operation order: the mean is the ordered sum divided by
    /// n, the variance the ordered sum of squared deviations divided by n.
    /// </summary>
    internal static double StandardDeviation(ReadOnlySpan<double> values) => Math.Sqrt(Variance(values));

    /// <summary>NumPy's <c>np.var(v)</c> (ddof 0) in NumPy's operation order (see <see cref="StandardDeviation"/>).</summary>
    internal static double Variance(ReadOnlySpan<double> values)
    {
        double mean = Sum(values) / values.Length;
        return Sum(values, new SquaredDeviation(mean)) / values.Length;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double Pairwise<T>(ReadOnlySpan<double> a, T transform)
        where T : struct, ITransform
    {
        int n = a.Length;
        if (n < 8)
        {
            double res = 0.0;
            for (int i = 0; i < n; i++)
            {
                res += transform.Apply(a[i]);
            }

            return res;
        }

        if (n <= BlockSize)
        {
            double r0 = transform.Apply(a[0]);
            double r1 = transform.Apply(a[1]);
            double r2 = transform.Apply(a[2]);
            double r3 = transform.Apply(a[3]);
            double r4 = transform.Apply(a[4]);
            double r5 = transform.Apply(a[5]);
            double r6 = transform.Apply(a[6]);
            double r7 = transform.Apply(a[7]);
            int i = 8;
            int end = n - (n % 8);
            for (; i < end; i += 8)
            {
                r0 += transform.Apply(a[i]);
                r1 += transform.Apply(a[i + 1]);
                r2 += transform.Apply(a[i + 2]);
                r3 += transform.Apply(a[i + 3]);
                r4 += transform.Apply(a[i + 4]);
                r5 += transform.Apply(a[i + 5]);
                r6 += transform.Apply(a[i + 6]);
                r7 += transform.Apply(a[i + 7]);
            }

            double res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
            for (; i < n; i++)
            {
                res += transform.Apply(a[i]);
            }

            return res;
        }

        int n2 = n / 2;
        n2 -= n2 % 8;
        return Pairwise(a[..n2], transform) + Pairwise(a[n2..], transform);
    }
}
