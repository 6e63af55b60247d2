using System;
using System.Buffers;
using System.Runtime.CompilerServices;

namespace Btw.Information;

/// <summary>
/// Plug-in (contingency-table) mutual information between two label vectors, reproducing scikit-learn
/// 1.2.1's <c>mutual_info_score(a, b)</c> operation by operation. See
/// <see cref="MutualInformation.Discrete(ReadOnlySpan{int}, ReadOnlySpan{int})"/> for the semantics.
/// </summary>
/// <remarks>
/// Labels are mapped to dense codes in increasing label order (<see cref="DenseLabels"/>); the non-zero
/// cells are visited in scikit-learn's order (row-major over sorted labels: a dense K_a x K_b table when
/// that has at most max(2n, 65536) cells (and at most 2^28), otherwise the sorted pair codes, O(n log n)). Each cell
/// contributes <c>(n_ij/N) (ln n_ij - ln N) + (n_ij/N) ((-ln(n_i n_j) + ln N) + ln N)</c>, terms of magnitude
/// below machine epsilon become 0, the terms are summed in NumPy's order and the sum is clipped at 0.
/// </remarks>
internal static class DiscreteEstimator
{
    private const long DenseCellsFloor = 1 << 16;
    private const long DenseCellsCeiling = 1 << 28;

    /// <summary>Validates the arguments and returns the estimate in nats.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static double Estimate(ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException(
                $"a and b must have the same length (one label pair per sample); a has {a.Length} labels, b has {b.Length}.",
                nameof(b));
        }

        int n = a.Length;
        if (n == 0)
        {
            return 0.0;
        }

        int[] codesA = ArrayPool<int>.Shared.Rent(n);
        int[] codesB = ArrayPool<int>.Shared.Rent(n);
        try
        {
            int ka = DenseLabels.Encode(a, codesA.AsSpan(0, n));
            int kb = DenseLabels.Encode(b, codesB.AsSpan(0, n));
            if (ka == 1 || kb == 1)
            {
                // MI <= min(H(a), H(b)) = 0 (scikit-learn returns 0.0 here too).
                return 0.0;
            }

            return FromCodes(codesA.AsSpan(0, n), ka, codesB.AsSpan(0, n), kb);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(codesA);
            ArrayPool<int>.Shared.Return(codesB);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double FromCodes(ReadOnlySpan<int> codesA, int ka, ReadOnlySpan<int> codesB, int kb)
    {
        int n = codesA.Length;
        long[] rowSums = ArrayPool<long>.Shared.Rent(ka);
        long[] colSums = ArrayPool<long>.Shared.Rent(kb);
        double[] terms = ArrayPool<double>.Shared.Rent(n);
        try
        {
            Array.Clear(rowSums, 0, ka);
            Array.Clear(colSums, 0, kb);
            for (int i = 0; i < n; i++)
            {
                rowSums[codesA[i]]++;
                colSums[codesB[i]]++;
            }

            var cell = new CellTerm(n);
            int count = (long)ka * kb <= Math.Min(Math.Max(2L * n, DenseCellsFloor), DenseCellsCeiling)
                ? DenseTerms(codesA, codesB, ka, kb, rowSums, colSums, cell, terms)
                : SparseTerms(codesA, codesB, kb, rowSums, colSums, cell, terms);
            double mi = NumpySum.Sum(terms.AsSpan(0, count));
            return Math.Max(mi, 0.0);
        }
        finally
        {
            ArrayPool<long>.Shared.Return(rowSums);
            ArrayPool<long>.Shared.Return(colSums);
            ArrayPool<double>.Shared.Return(terms);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int DenseTerms(ReadOnlySpan<int> codesA, ReadOnlySpan<int> codesB, int ka, int kb, long[] rowSums, long[] colSums, CellTerm cell, double[] terms)
    {
        int cells = ka * kb;
        int[] table = ArrayPool<int>.Shared.Rent(cells);
        try
        {
            Span<int> t = table.AsSpan(0, cells);
            t.Clear();
            for (int i = 0; i < codesA.Length; i++)
            {
                t[(codesA[i] * kb) + codesB[i]]++;
            }

            int count = 0;
            for (int r = 0; r < ka; r++)
            {
                for (int c = 0; c < kb; c++)
                {
                    int nij = t[(r * kb) + c];
                    if (nij != 0)
                    {
                        terms[count++] = cell.Term(nij, rowSums[r] * colSums[c]);
                    }
                }
            }

            return count;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(table);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int SparseTerms(ReadOnlySpan<int> codesA, ReadOnlySpan<int> codesB, int kb, long[] rowSums, long[] colSums, CellTerm cell, double[] terms)
    {
        int n = codesA.Length;
        long[] keys = ArrayPool<long>.Shared.Rent(n);
        try
        {
            Span<long> k = keys.AsSpan(0, n);
            for (int i = 0; i < n; i++)
            {
                k[i] = ((long)codesA[i] * kb) + codesB[i];
            }

            k.Sort();
            int count = 0;
            int start = 0;
            while (start < n)
            {
                long key = k[start];
                int end = start + 1;
                while (end < n && k[end] == key)
                {
                    end++;
                }

                int r = (int)(key / kb);
                int c = (int)(key % kb);
                terms[count++] = cell.Term(end - start, rowSums[r] * colSums[c]);
                start = end;
            }

            return count;
        }
        finally
        {
            ArrayPool<long>.Shared.Return(keys);
        }
    }

    /// <summary>One cell's term, in scikit-learn's operation order.</summary>
    private readonly struct CellTerm
    {
        /// <summary>np.finfo(np.float64).eps.</summary>
        private const double MachineEpsilon = 2.220446049250313e-16;

        private readonly double _total;
        private readonly double _logTotal;

        public CellTerm(int total)
        {
            _total = total;
            _logTotal = Math.Log(total);
        }

        public double Term(int nij, long outer)
        {
            double p = nij / _total;
            double logOuter = (-Math.Log(outer) + _logTotal) + _logTotal;
            double term = (p * (Math.Log(nij) - _logTotal)) + (p * logOuter);
            return Math.Abs(term) < MachineEpsilon ? 0.0 : term;
        }
    }
}
