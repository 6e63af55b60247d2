using System;

namespace Btw.Information;

/// <summary>
/// Method-of-moments empirical-Bayes shrinkage of per-modality statistics toward their mean (see
/// <see cref="BtwShrinkage.EmpiricalBayes"/>): v'_m = vbar + (1 - B_m)(v_m - vbar), B_m = s_m^2 / (s_m^2 + tau^2),
/// tau^2 = max(0, sum (v_m - vbar)^2 / (d - 1) - mean s_m^2) over the d defined modalities.
/// </summary>
internal static class EmpiricalBayesShrinkage
{
    /// <summary>
    /// Writes the shrunk values (defined modalities; the others are copied) and the factors B_m in [0, 1] (0 for undefined
    /// modalities). With fewer than two defined modalities nothing is shrunk. An infinite standard error gives B_m = 1.
    /// </summary>
    public static void Shrink(ReadOnlySpan<double> values, ReadOnlySpan<double> standardErrors, ReadOnlySpan<bool> defined,
        Span<double> shrunk, Span<double> factors)
    {
        var m = values.Length;
        values.CopyTo(shrunk);
        factors.Clear();
        var d = 0;
        var mean = 0.0;
        var meanVariance = 0.0;
        for (var i = 0; i < m; i++)
        {
            if (defined[i])
            {
                d++;
                mean += values[i];
                meanVariance += standardErrors[i] * standardErrors[i];
            }
        }

        if (d < 2)
        {
            return;
        }

        mean /= d;
        meanVariance /= d;
        var between = 0.0;
        for (var i = 0; i < m; i++)
        {
            if (defined[i])
            {
                between += (values[i] - mean) * (values[i] - mean);
            }
        }

        between /= d - 1;
        var tau2 = double.IsFinite(meanVariance) ? Math.Max(0.0, between - meanVariance) : 0.0;
        for (var i = 0; i < m; i++)
        {
            if (!defined[i])
            {
                continue;
            }

            var s2 = standardErrors[i] * standardErrors[i];
            var b = s2 > 0 ? (double.IsPositiveInfinity(s2) ? 1.0 : s2 / (s2 + tau2)) : 0.0;
            factors[i] = b;
            shrunk[i] = mean + ((1.0 - b) * (values[i] - mean));
        }
    }
}
