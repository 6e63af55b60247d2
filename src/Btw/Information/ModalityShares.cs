using System;
using System.Runtime.CompilerServices;

namespace Btw.Information;

/// <summary>The modality-level shares: normalising per-modality information into weights, and the Pearson correlation behind the correlation mode.</summary>
internal static class ModalityShares
{
    /// <summary>
    /// Ibar^m = max(I^m, eps) / sum over defined m' of max(I^m', eps), times |defined| / M, for defined modalities;
    /// 1 / M for the others (a neutral share). The values of all M modalities sum to 1.
    /// </summary>
    public static void Normalize(ReadOnlySpan<double> values, ReadOnlySpan<bool> defined, double epsilon, Span<double> result)
    {
        var m = values.Length;
        var total = 0.0;
        var count = 0;
        for (var i = 0; i < m; i++)
        {
            if (defined[i])
            {
                total += Math.Max(values[i], epsilon);
                count++;
            }
        }

        for (var i = 0; i < m; i++)
        {
            result[i] = defined[i] ? Math.Max(values[i], epsilon) / total * count / m : 1.0 / m;
        }
    }

    /// <summary>Pearson correlation of two equally long samples; null when fewer than two pairs, either side is constant, or the sums overflow.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double? Pearson(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        var n = x.Length;
        if (n < 2)
        {
            return null;
        }

        double meanX = 0, meanY = 0;
        for (var i = 0; i < n; i++)
        {
            meanX += x[i];
            meanY += y[i];
        }

        meanX /= n;
        meanY /= n;
        double sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < n; i++)
        {
            var dx = x[i] - meanX;
            var dy = y[i] - meanY;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }

        if (!(sxx > 0) || !(syy > 0))
        {
            return null;
        }

        var r = sxy / (Math.Sqrt(sxx) * Math.Sqrt(syy));
        return double.IsFinite(r) ? Math.Clamp(r, -1.0, 1.0) : null;
    }
}
