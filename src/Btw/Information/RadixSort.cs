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

    /// <summary>Elements per chunk of the parallel sort (fixed: the chunks never depend on the thread count).</summary>
    internal const int ParallelChunkSize = 1 << 16;

    /// <summary>
    /// Sorts <c>keys[0 .. n)</c> ascending, moving <c>items[0 .. n)</c> along (stable), on up to
    /// <paramref name="maxDegreeOfParallelism"/> threads: each pass counts the digits of fixed chunks in parallel,
    /// gives each (digit, chunk) its output range in digit-then-chunk order, and scatters the chunks in parallel.
    /// A stable sort has exactly one result, so the output equals that of the sequential
    /// <see cref="SortPairs(Span{ulong}, Span{int}, Span{ulong}, Span{int})"/> for any thread count. The scratch
    /// arrays must hold at least n elements.
    /// </summary>
    internal static void SortPairs(ulong[] keys, int[] items, ulong[] keyScratch, int[] itemScratch, int n, int maxDegreeOfParallelism)
    {
        int chunks = ParallelChunks.Count(n, ParallelChunkSize);
        if (ParallelChunks.Sequential(maxDegreeOfParallelism, chunks))
        {
            SortPairs(keys.AsSpan(0, n), items.AsSpan(0, n), keyScratch, itemScratch);
            return;
        }

        // Every pass's digit histogram per chunk, in the input order (exact for the first pass that moves anything;
        // later passes recount, the chunks then holding other keys).
        int[] allCounts = new int[chunks * Passes * Radix];
        ParallelChunks.For(chunks, maxDegreeOfParallelism, c =>
        {
            Span<int> counts = allCounts.AsSpan(c * Passes * Radix, Passes * Radix);
            int end = Math.Min(n, (c + 1) * ParallelChunkSize);
            for (int i = c * ParallelChunkSize; i < end; i++)
            {
                ulong k = keys[i];
                for (int p = 0; p < Passes; p++)
                {
                    counts[(p * Radix) + (int)((k >> (DigitBits * p)) & DigitMask)]++;
                }
            }
        });

        int[] offsets = new int[chunks * Radix];
        ulong[] srcKeys = keys;
        int[] srcItems = items;
        ulong[] dstKeys = keyScratch;
        int[] dstItems = itemScratch;
        bool moved = false;
        for (int p = 0; p < Passes; p++)
        {
            int shift = DigitBits * p;
            int digit0 = (int)((srcKeys[0] >> shift) & DigitMask);
            int total0 = 0;
            for (int c = 0; c < chunks; c++)
            {
                total0 += allCounts[(((c * Passes) + p) * Radix) + digit0];
            }

            if (total0 == n)
            {
                continue; // every key has the same digit: the pass would not move anything
            }

            if (moved)
            {
                ParallelChunks.For(chunks, maxDegreeOfParallelism, c =>
                {
                    Span<int> counts = allCounts.AsSpan(((c * Passes) + p) * Radix, Radix);
                    counts.Clear();
                    int end = Math.Min(n, (c + 1) * ParallelChunkSize);
                    for (int i = c * ParallelChunkSize; i < end; i++)
                    {
                        counts[(int)((srcKeys[i] >> shift) & DigitMask)]++;
                    }
                });
            }

            int sum = 0;
            for (int d = 0; d < Radix; d++)
            {
                for (int c = 0; c < chunks; c++)
                {
                    offsets[(c * Radix) + d] = sum;
                    sum += allCounts[(((c * Passes) + p) * Radix) + d];
                }
            }

            ulong[] sk = srcKeys;
            int[] si = srcItems;
            ulong[] dk = dstKeys;
            int[] di = dstItems;
            ParallelChunks.For(chunks, maxDegreeOfParallelism, c =>
            {
                Span<int> next = offsets.AsSpan(c * Radix, Radix);
                int end = Math.Min(n, (c + 1) * ParallelChunkSize);
                for (int i = c * ParallelChunkSize; i < end; i++)
                {
                    ulong k = sk[i];
                    int o = next[(int)((k >> shift) & DigitMask)]++;
                    dk[o] = k;
                    di[o] = si[i];
                }
            });
            (srcKeys, dstKeys) = (dstKeys, srcKeys);
            (srcItems, dstItems) = (dstItems, srcItems);
            moved = true;
        }

        if (!ReferenceEquals(srcKeys, keys))
        {
            ulong[] sk = srcKeys;
            int[] si = srcItems;
            ParallelChunks.For(chunks, maxDegreeOfParallelism, c =>
            {
                int start = c * ParallelChunkSize;
                int length = Math.Min(n, start + ParallelChunkSize) - start;
                Array.Copy(sk, start, keys, start, length);
                Array.Copy(si, start, items, start, length);
            });
        }
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
