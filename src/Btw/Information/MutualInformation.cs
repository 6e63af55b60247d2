using System;
using System.Buffers;
using Btw.Information;

namespace Btw;

/// <summary>
/// Mutual-information estimators in nats, with the exact semantics of scikit-learn 1.2.1: the KSG
/// k-nearest-neighbour estimator of <c>mutual_info_regression</c> for continuous variables and the plug-in
/// estimator of <c>mutual_info_score</c> for labels. BTW uses them for the modality-level term (regression:
/// <see cref="Ksg(ReadOnlySpan{double}, ReadOnlySpan{double}, int)"/> between a modality's unimodal and the
/// multimodal predictions; classification: <see cref="Discrete"/> between their argmax labels).
/// </summary>
/// <remarks>All methods are thread-safe and never return NaN; results are in nats (natural logarithm).</remarks>
public static class MutualInformation
{
    /// <summary>
    /// Estimates the mutual information I(X; Y) in nats between two continuous variables from n paired
    /// samples with the Kraskov-Stoegbauer-Grassberger estimator (algorithm 1), exactly as scikit-learn
    /// 1.2.1's <c>mutual_info_regression(x.reshape(-1, 1), y, n_neighbors=k)</c> computes it, minus that
    /// function's random 1e-10 jitter. O(n log n) time, O(n) memory, several threads for large n with a
    /// result that is bit-identical for any thread count.
    /// </summary>
    /// <param name="x">Samples of X, length n, finite.</param>
    /// <param name="y">Samples of Y paired with <paramref name="x"/>, length n, finite.</param>
    /// <param name="k">Number of nearest neighbours (KSG k, scikit-learn's <c>n_neighbors</c>), at least 1;
    /// default 3.</param>
    /// <returns>
    /// The estimate in nats, &gt;= 0: max(0, psi(n) + psi(k) - mean_i psi(n_x,i + 1) - mean_i psi(n_y,i + 1)).
    /// </returns>
    /// <remarks>
    /// <para><b>Algorithm</b> (scikit-learn's <c>_compute_mi_cc</c>): x and y are each divided by their
    /// standard deviation (population, ddof 0, computed in NumPy's summation order; no centring); for each
    /// point i, eps_i is the distance to its k-th nearest other point in the joint space under the Chebyshev
    /// norm max(|dx|, |dy|), shrunk to the next smaller double, r_i = nextafter(eps_i, 0); n_x,i (n_y,i) is
    /// the number of other points j with |x_j - x_i| &lt;= r_i (|y_j - y_i| &lt;= r_i). psi is the digamma
    /// function, evaluated at integers exactly as SciPy does. The estimator is not invariant under
    /// monotone transforms, but it is invariant under positive rescaling of either variable (the standard
    /// deviation scaling), under permuting the pairs (up to rounding of the standard deviation), and symmetric
    /// in x and y (up to the last bit).</para>
    /// <para><b>Difference from scikit-learn</b>: scikit-learn adds noise of standard deviation
    /// 1e-10 * max(1, mean |v|) to the scaled values to break ties; this method adds none, so it is
    /// deterministic. On tie-free data the two agree to within about 1e-6 (the jitter occasionally moves a
    /// count by one, changing the estimate by about 1 / (n n_x)); without the jitter the agreement with
    /// scikit-learn's formula is exact up to rounding (1e-12 in the tests). On data with many ties the jitter
    /// matters: scikit-learn then estimates the MI of randomly perturbed data and its answer depends on its
    /// random state (a test case of rounded values gives 0.77 nats with the jitter and 0 without); this
    /// method returns the value of the formula for the exact data (below).</para>
    /// <para><b>Ties and duplicates</b>: duplicated x values, y values or whole points are allowed and the
    /// result is always finite and &gt;= 0. A point's own copy is excluded by position, not by distance,
    /// so its duplicates are neighbours at distance 0. If a point has at least k exact duplicates, eps_i = 0,
    /// r_i = nextafter(0, 0) = 0 and n_x,i, n_y,i count the other points with exactly the same x (y) value
    /// (at least k each). Otherwise points at a distance exactly equal to eps_i are not counted (r_i is
    /// strictly smaller), so n_x,i can be smaller than k, down to 0; psi(n_x,i + 1) &gt;= psi(1) stays finite.
    /// Heavily tied data (for example rounded or discrete values) makes the KSG estimate biased, as for
    /// scikit-learn; use <see cref="Discrete"/> for labels.</para>
    /// <para><b>Degenerate inputs</b>: returns 0 when n &lt;= k (fewer than k + 1 points, no k-th neighbour;
    /// scikit-learn raises an error there) and when x or y is constant (zero standard deviation, no
    /// information; scikit-learn would estimate the MI of its jitter).</para>
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is less than 1.</exception>
    /// <exception cref="ArgumentException">The lengths differ, a value is NaN or infinite (the message
    /// names the argument and the index), or n exceeds 2^30.</exception>
    public static double Ksg(ReadOnlySpan<double> x, ReadOnlySpan<double> y, int k = 3)
        => KsgEstimator.Estimate(x, y, k);

    /// <summary>
    /// Estimates I(X; Y) in nats from single-precision samples: the values are widened to double (exactly)
    /// and passed to <see cref="Ksg(ReadOnlySpan{double}, ReadOnlySpan{double}, int)"/>, whose semantics,
    /// degenerate cases and exceptions apply.
    /// </summary>
    /// <param name="x">Samples of X, length n, finite.</param>
    /// <param name="y">Samples of Y paired with <paramref name="x"/>, length n, finite.</param>
    /// <param name="k">Number of nearest neighbours, at least 1; default 3.</param>
    /// <returns>The estimate in nats, &gt;= 0.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is less than 1.</exception>
    /// <exception cref="ArgumentException">The lengths differ, or a value is NaN or infinite.</exception>
    public static double Ksg(ReadOnlySpan<float> x, ReadOnlySpan<float> y, int k = 3)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        if (x.Length != y.Length)
        {
            throw new ArgumentException(
                $"x and y must have the same length (one pair per sample); x has {x.Length} values, y has {y.Length}.",
                nameof(y));
        }

        int n = x.Length;
        double[] wx = ArrayPool<double>.Shared.Rent(n);
        double[] wy = ArrayPool<double>.Shared.Rent(n);
        try
        {
            for (int i = 0; i < n; i++)
            {
                wx[i] = x[i];
                wy[i] = y[i];
            }

            return KsgEstimator.Estimate(wx.AsSpan(0, n), wy.AsSpan(0, n), k);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(wx);
            ArrayPool<double>.Shared.Return(wy);
        }
    }

    /// <summary>
    /// The plug-in mutual information I(A; B) in nats between two label vectors, computed from their
    /// contingency table exactly as scikit-learn 1.2.1's <c>mutual_info_score(a, b)</c>:
    /// sum over non-empty cells of (n_ij / N) ln(N n_ij / (n_i n_j)). O(n) time for label ranges up to
    /// about 2n (O(n log n) otherwise), O(n) memory whatever the label values.
    /// </summary>
    /// <param name="a">Labels of the first variable, length n; any int values (negative and large labels
    /// are fine, only equality matters).</param>
    /// <param name="b">Labels of the second variable paired with <paramref name="a"/>, length n.</param>
    /// <returns>
    /// The estimate in nats, in [0, min(H(A), H(B))]. Returns 0 when n = 0 or when either vector has a single
    /// class. As scikit-learn: each cell's term is computed as
    /// (n_ij/N)(ln n_ij - ln N) + (n_ij/N)(-ln(n_i n_j) + ln N + ln N), terms of magnitude below 2^-52 are set
    /// to 0, and the sum is clipped at 0. Invariant under relabelling either vector and symmetric in a and b
    /// up to rounding.
    /// </returns>
    /// <exception cref="ArgumentException">The lengths differ.</exception>
    public static double Discrete(ReadOnlySpan<int> a, ReadOnlySpan<int> b)
        => DiscreteEstimator.Estimate(a, b);
}
