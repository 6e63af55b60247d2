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

    /// <summary>
    /// Arguments of <see cref="Exp"/> whose magnitude is at most this many nats go through the vectorised exponential;
    /// the others (and NaN) through <see cref="Math.Exp"/>, one at a time. TensorPrimitives.Exp switches a whole vector
    /// to another computation when one of its lanes is beyond about ±708 or NaN, so 700 keeps every vectorised lane on one path.
    /// </summary>
    public const double VectorExpLimit = 700.0;

    /// <summary>
    /// e^x for every element of <paramref name="x"/> into <paramref name="result"/> (same length, not overlapping <paramref name="x"/>),
    /// each result a function of its own argument alone: arguments within ±<see cref="VectorExpLimit"/> go through
    /// TensorPrimitives.Exp, the others (underflowing, overflowing, infinite or NaN) through <see cref="Math.Exp"/>.
    /// </summary>
    /// <remarks>
    /// TensorPrimitives.Exp alone is not: a vector with one lane beyond about ±708 (or NaN) is computed on another path,
    /// which rounds about 6 % of the ordinary lanes differently in the last bit, and which values share a vector
    /// depends on the address of the buffer (its loop is aligned to the vector size). A row next to a NaN row or a
    /// logit spread over 708 would then get bits that change with the pooled buffer's address: from run to run.
    /// </remarks>
    public static void Exp(ReadOnlySpan<double> x, Span<double> result)
    {
        if (x.IsEmpty)
        {
            return;
        }

        // The common case: one vectorised pass finds no argument out of range (MaxMagnitude returns NaN if any is NaN).
        if (Math.Abs(System.Numerics.Tensors.TensorPrimitives.MaxMagnitude(x)) <= VectorExpLimit)
        {
            System.Numerics.Tensors.TensorPrimitives.Exp(x, result);
            return;
        }

        // Out-of-range arguments are replaced by 0 for the vectorised pass (which then takes its ordinary path on every
        // vector, in place in result), and their results computed one by one.
        for (var k = 0; k < x.Length; k++)
        {
            result[k] = Math.Abs(x[k]) <= VectorExpLimit ? x[k] : 0.0;
        }

        System.Numerics.Tensors.TensorPrimitives.Exp(result, result);
        for (var k = 0; k < x.Length; k++)
        {
            if (!(Math.Abs(x[k]) <= VectorExpLimit))
            {
                result[k] = Math.Exp(x[k]);
            }
        }
    }
}
