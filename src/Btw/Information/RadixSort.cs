using System;
using System.Buffers;
using System.Runtime.CompilerServices;

namespace Btw.Information;

/// <summary>
/// Least-significant-digit radix sort of (ulong key, int item) pairs, 8 bits per pass (passes whose digit
/// is the same for every key are skipped), and the order-preserving map from doubles to ulong keys. O(n)
/// time with at most 8 linear passes; used to sort the KSG marginals and find every point's rank at once.
/// </summary>
internal static class RadixSort
{
    private const int DigitBits = 8;
    private const int Radix = 1 << DigitBits;
    private const int DigitMask = Radix - 1;
    private const int Passes = (64 + DigitBits - 1) / DigitBits;

    /// <summary>
    /// A key whose unsigned order is the numeric order of finite doubles (negative values reversed, the
    /// sign bit flipped; -0.0 sorts just before +0.0).
    /// </summary>
    internal static ulong KeyOf(double value)
    {
        ulong bits = BitConverter.DoubleToUInt64Bits(value);
        return (bits & 0x8000_0000_0000_0000UL) != 0 ? ~bits : bits | 0x8000_0000_0000_0000UL;
    }

    /// <summary>The double whose key is <paramref name="key"/> (inverse of <see cref="KeyOf"/>).</summary>
    internal static double ValueOf(ulong key)
    {
        ulong bits = (key & 0x8000_0000_0000_0000UL) != 0 ? key & 0x7FFF_FFFF_FFFF_FFFFUL : ~key;
        return BitConverter.UInt64BitsToDouble(bits);
    }

    /// <summary>
    /// Sorts <paramref name="keys"/> ascending, moving <paramref name="items"/> along (stable). The scratch
    /// spans must be at least as long as the data.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void SortPairs(Span<ulong> keys, Span<int> items, Span<ulong> keyScratch, Span<int> itemScratch)
    {
        int n = keys.Length;
        int[] rentedCounts = ArrayPool<int>.Shared.Rent((Passes + 1) * Radix);
        try
        {
            Span<int> counts = rentedCounts.AsSpan(0, Passes * Radix);
            Span<int> offsets = rentedCounts.AsSpan(Passes * Radix, Radix);
            counts.Clear();
            for (int i = 0; i < n; i++)
            {
                ulong k = keys[i];
                for (int p = 0; p < Passes; p++)
                {
                    counts[(p * Radix) + (int)((k >> (DigitBits * p)) & DigitMask)]++;
                }
            }

            Span<ulong> srcKeys = keys;
            Span<int> srcItems = items;
            Span<ulong> dstKeys = keyScratch[..n];
            Span<int> dstItems = itemScratch[..n];
            bool inScratch = false;
            for (int p = 0; p < Passes; p++)
            {
                int shift = DigitBits * p;
                Span<int> c = counts.Slice(p * Radix, Radix);
                if (n == 0 || c[(int)((srcKeys[0] >> shift) & DigitMask)] == n)
                {
                    continue; // every key has the same digit: the pass would not move anything
                }

                int sum = 0;
                for (int d = 0; d < Radix; d++)
                {
                    offsets[d] = sum;
                    sum += c[d];
                }

                for (int i = 0; i < n; i++)
                {
                    ulong k = srcKeys[i];
                    int o = offsets[(int)((k >> shift) & DigitMask)]++;
                    dstKeys[o] = k;
                    dstItems[o] = srcItems[i];
                }

                Span<ulong> tk = srcKeys;
                srcKeys = dstKeys;
                dstKeys = tk;
                Span<int> ti = srcItems;
                srcItems = dstItems;
                dstItems = ti;
                inScratch = !inScratch;
            }

            if (inScratch)
            {
                srcKeys.CopyTo(keys);
                srcItems.CopyTo(items);
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(rentedCounts);
        }
    }
}
