using System;
using Btw.Information;

namespace Btw.Tests.Information;

/// <summary>
/// An O(n^2) KSG oracle written straight from the definition (scikit-learn's <c>_compute_mi_cc</c>): every
/// pairwise Chebyshev distance is computed, the k-th smallest over j != i is the radius, nextafter(radius, 0),
/// and the marginal counts are plain loops. It shares only the input scaling and the final digamma
/// aggregation with the library, so equality with <see cref="KsgEstimator"/> checks the tree search and the
/// counting by binary search.
/// </summary>
internal static class BruteForceKsg
{
    /// <summary>The per-point neighbour counts (n_x, n_y) of already scaled data.</summary>
    public static (int[] Nx, int[] Ny) Counts(double[] xs, double[] ys, int k)
    {
        int n = xs.Length;
        var nx = new int[n];
        var ny = new int[n];
        var smallest = new double[k];
        for (int i = 0; i < n; i++)
        {
            // The k smallest distances to the other points, kept sorted (duplicates kept).
            Array.Fill(smallest, double.PositiveInfinity);
            for (int j = 0; j < n; j++)
            {
                if (j == i)
                {
                    continue;
                }

                double d = Math.Max(Math.Abs(xs[i] - xs[j]), Math.Abs(ys[i] - ys[j]));
                if (d < smallest[k - 1])
                {
                    int m = k - 1;
                    while (m > 0 && smallest[m - 1] > d)
                    {
                        smallest[m] = smallest[m - 1];
                        m--;
                    }

                    smallest[m] = d;
                }
            }

            double kth = smallest[k - 1];
            double radius = kth > 0 ? Math.BitDecrement(kth) : 0.0;
            for (int j = 0; j < n; j++)
            {
                if (j == i)
                {
                    continue;
                }

                if (Math.Abs(xs[i] - xs[j]) <= radius)
                {
                    nx[i]++;
                }

                if (Math.Abs(ys[i] - ys[j]) <= radius)
                {
                    ny[i]++;
                }
            }
        }

        return (nx, ny);
    }

    /// <summary>The unclipped estimate, with the same degenerate-case rules as the library.</summary>
    public static double Unclipped(double[] x, double[] y, int k)
    {
        int n = x.Length;
        if (n <= k || Constant(x) || Constant(y))
        {
            return 0.0;
        }

        var xs = new double[n];
        var ys = new double[n];
        KsgEstimator.Standardize(x, xs);
        KsgEstimator.Standardize(y, ys);
        (int[] nx, int[] ny) = Counts(xs, ys, k);
        return Digamma.OfPositiveInteger(n) + Digamma.OfPositiveInteger(k)
            - KsgEstimator.MeanDigammaOfCountPlusOne(nx) - KsgEstimator.MeanDigammaOfCountPlusOne(ny);
    }

    /// <summary>The same estimate from per-point digamma values of MathNet (an independent aggregation).</summary>
    public static double UnclippedWithMathNet(double[] x, double[] y, int k)
    {
        int n = x.Length;
        var xs = new double[n];
        var ys = new double[n];
        KsgEstimator.Standardize(x, xs);
        KsgEstimator.Standardize(y, ys);
        (int[] nx, int[] ny) = Counts(xs, ys, k);
        double sx = 0;
        double sy = 0;
        for (int i = 0; i < n; i++)
        {
            sx += MathNet.Numerics.SpecialFunctions.DiGamma(nx[i] + 1.0);
            sy += MathNet.Numerics.SpecialFunctions.DiGamma(ny[i] + 1.0);
        }

        return MathNet.Numerics.SpecialFunctions.DiGamma(n) + MathNet.Numerics.SpecialFunctions.DiGamma(k) - (sx / n) - (sy / n);
    }

    private static bool Constant(double[] v)
    {
        foreach (double value in v)
        {
            if (value != v[0])
            {
                return false;
            }
        }

        return true;
    }
}
