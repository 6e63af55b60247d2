using System;
using System.Numerics;

namespace Btw;

/// <summary>
/// Introselect (nth-element partitioning) on a span ordered by a double key: afterwards the element at
/// index <c>nth</c> is the one a full sort would put there, elements before it have keys &lt;= its key and
/// elements after it keys &gt;= its key. Expected O(n); falls back to a full sort (O(n log n)) when the
/// quickselect makes too little progress, so the worst case is O(n log n). Ties are split evenly (Hoare
/// partitioning), keys must not be NaN.
/// </summary>
internal static class NthElement
{
    private const int SmallRange = 16;

    /// <summary>The sort key of an element.</summary>
    internal interface IKey<T>
    {
        /// <summary>The key of <paramref name="item"/>.</summary>
        double Key(in T item);
    }

    /// <summary>Partitions <paramref name="items"/> around index <paramref name="nth"/>.</summary>
    internal static void Select<T, TKey>(Span<T> items, int nth, TKey key)
        where TKey : struct, IKey<T>
    {
        int lo = 0;
        int hi = items.Length - 1;
        int budget = 2 * (BitOperations.Log2((uint)Math.Max(items.Length, 1)) + 1);
        while (hi > lo)
        {
            if (hi - lo < SmallRange)
            {
                InsertionSort(items.Slice(lo, hi - lo + 1), key);
                return;
            }

            if (--budget < 0)
            {
                items.Slice(lo, hi - lo + 1).Sort((a, b) => key.Key(a).CompareTo(key.Key(b)));
                return;
            }

            // Median of three, moved so that items[lo] <= items[mid] <= items[hi].
            int mid = lo + ((hi - lo) / 2);
            if (key.Key(items[mid]) < key.Key(items[lo]))
            {
                (items[mid], items[lo]) = (items[lo], items[mid]);
            }

            if (key.Key(items[hi]) < key.Key(items[lo]))
            {
                (items[hi], items[lo]) = (items[lo], items[hi]);
            }

            if (key.Key(items[hi]) < key.Key(items[mid]))
            {
                (items[hi], items[mid]) = (items[mid], items[hi]);
            }

            double pivot = key.Key(items[mid]);
            int i = lo;
            int j = hi;
            while (i <= j)
            {
                while (key.Key(items[i]) < pivot)
                {
                    i++;
                }

                while (key.Key(items[j]) > pivot)
                {
                    j--;
                }

                if (i <= j)
                {
                    (items[i], items[j]) = (items[j], items[i]);
                    i++;
                    j--;
                }
            }

            // Now items[lo..j] <= pivot, items[i..hi] >= pivot and items[j+1..i-1] == pivot.
            if (nth <= j)
            {
                hi = j;
            }
            else if (nth >= i)
            {
                lo = i;
            }
            else
            {
                return;
            }
        }
    }

    private static void InsertionSort<T, TKey>(Span<T> items, TKey key)
        where TKey : struct, IKey<T>
    {
        for (int i = 1; i < items.Length; i++)
        {
            T item = items[i];
            double k = key.Key(item);
            int j = i - 1;
            while (j >= 0 && key.Key(items[j]) > k)
            {
                items[j + 1] = items[j];
                j--;
            }

            items[j + 1] = item;
        }
    }
}
