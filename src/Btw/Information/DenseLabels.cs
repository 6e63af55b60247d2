using System;
using System.Buffers;
using System.Runtime.CompilerServices;

namespace Btw.Information;

/// <summary>
/// Maps arbitrary int labels to dense codes 0 .. K-1 in increasing label order (as NumPy's
/// <c>np.unique(labels, return_inverse=True)</c>), in O(n) when the label range is at most a few times n and
/// O(n log n) otherwise, never allocating in proportion to the label values.
/// </summary>
internal static class DenseLabels
{
    /// <summary>Label ranges up to max(this, 2n) use a direct lookup table.</summary>
    private const long DirectRangeFloor = 4096;

    /// <summary>Writes the code of <c>labels[i]</c> to <c>codes[i]</c> and returns the number of classes K.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static int Encode(ReadOnlySpan<int> labels, Span<int> codes)
    {
        int n = labels.Length;
        if (n == 0)
        {
            return 0;
        }

        int min = int.MaxValue;
        int max = int.MinValue;
        foreach (int label in labels)
        {
            min = Math.Min(min, label);
            max = Math.Max(max, label);
        }

        long range = (long)max - min + 1;
        if (range <= Math.Max(2L * n, DirectRangeFloor))
        {
            return EncodeDirect(labels, codes, min, (int)range);
        }

        return EncodeSorted(labels, codes);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int EncodeDirect(ReadOnlySpan<int> labels, Span<int> codes, int min, int range)
    {
        int[] table = ArrayPool<int>.Shared.Rent(range);
        try
        {
            Span<int> map = table.AsSpan(0, range);
            map.Clear();
            foreach (int label in labels)
            {
                map[label - min] = 1;
            }

            int classes = 0;
            for (int r = 0; r < range; r++)
            {
                if (map[r] != 0)
                {
                    map[r] = classes++;
                }
            }

            for (int i = 0; i < labels.Length; i++)
            {
                codes[i] = map[labels[i] - min];
            }

            return classes;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(table);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int EncodeSorted(ReadOnlySpan<int> labels, Span<int> codes)
    {
        int n = labels.Length;
        int[] buffer = ArrayPool<int>.Shared.Rent(n);
        try
        {
            Span<int> unique = buffer.AsSpan(0, n);
            labels.CopyTo(unique);
            unique.Sort();
            int classes = 1;
            for (int i = 1; i < n; i++)
            {
                if (unique[i] != unique[classes - 1])
                {
                    unique[classes++] = unique[i];
                }
            }

            ReadOnlySpan<int> distinct = unique[..classes];
            for (int i = 0; i < n; i++)
            {
                codes[i] = distinct.BinarySearch(labels[i]);
            }

            return classes;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(buffer);
        }
    }
}
