using System;

namespace Btw.Kernels;

/// <summary>Scalar helpers of the kernels' host paths, each matching its torch counterpart.</summary>
internal static class HostMath
{
    /// <summary>Index of the first maximum, a NaN counting as the maximum (torch.argmax).</summary>
    public static int ArgMax(ReadOnlySpan<double> x)
    {
        var best = 0;
        for (var c = 1; c < x.Length; c++)
        {
            if (double.IsNaN(x[best]))
            {
                break;
            }

            if (double.IsNaN(x[c]) || x[c] > x[best])
            {
                best = c;
            }
        }

        return best;
    }

    /// <summary>torch.isfinite(x).all().</summary>
    public static bool AllFinite(ReadOnlySpan<double> x)
    {
        foreach (var v in x)
        {
            if (!double.IsFinite(v))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>torch.clamp_min: NaN stays NaN.</summary>
    public static double ClampMin(double value, double minimum) => value < minimum ? minimum : value;
}
