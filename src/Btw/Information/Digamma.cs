using System;

namespace Btw.Information;

/// <summary>
/// The digamma function psi at positive integers, computed exactly as SciPy's <c>scipy.special.digamma</c>
/// (Cephes <c>psi</c>) does, so that estimates built from it agree with scikit-learn to the last bit:
/// for n &lt;= 10 the harmonic sum psi(n) = -EulerGamma + sum_{i=1}^{n-1} 1/i, above that the asymptotic
/// expansion psi(n) = ln n - 1/(2n) - sum_k B_2k / (2k n^2k) with seven terms (relative error below 2e-16).
/// </summary>
internal static class Digamma
{
    private const double EulerGamma = 0.57721566490153286061;

    // Cephes psi.c coefficients, highest degree first (polynomial in z = 1/n^2).
    private const double A0 = 8.33333333333333333333E-2;
    private const double A1 = -2.10927960927960927961E-2;
    private const double A2 = 7.57575757575757575758E-3;
    private const double A3 = -4.16666666666666666667E-3;
    private const double A4 = 3.96825396825396825397E-3;
    private const double A5 = -8.33333333333333333333E-3;
    private const double A6 = 8.33333333333333333333E-2;

    /// <summary>psi(n) for an integer n &gt;= 1.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> is less than 1.</exception>
    internal static double OfPositiveInteger(long n)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        if (n <= 10)
        {
            double y = 0.0;
            for (long i = 1; i < n; i++)
            {
                y += 1.0 / i;
            }

            return y - EulerGamma;
        }

        double s = n;
        double z = 1.0 / (s * s);
        double p = A0;
        p = (p * z) + A1;
        p = (p * z) + A2;
        p = (p * z) + A3;
        p = (p * z) + A4;
        p = (p * z) + A5;
        p = (p * z) + A6;
        double series = s < 1.0e17 ? z * p : 0.0;
        return Math.Log(s) - (0.5 / s) - series;
    }
}
