using System;

namespace Btw.Tests.Support;

/// <summary>
/// A tiny portable PRNG shared with tests/reference/make_reference.py (class ReferenceRandom there), so that
/// reference inputs can be regenerated from a seed instead of being stored: SplitMix64 64-bit outputs,
/// uniform doubles (x &gt;&gt; 11) * 2^-53 in [0, 1), Box-Muller normals (one normal from two uniforms),
/// Cauchy by the tangent, Student-t with 3 degrees of freedom from four normals. Every operation is a
/// single IEEE double operation or a libm call (log, cos, tan, sin, sqrt) evaluated in the same order as
/// the Python code, so both produce bit-identical values (checked by ReferenceRandomTests).
/// </summary>
internal sealed class ReferenceRandom
{
    private ulong _state;

    /// <summary>Creates a generator with the given seed.</summary>
    public ReferenceRandom(ulong seed) => _state = seed;

    /// <summary>The next SplitMix64 output.</summary>
    public ulong NextUInt64()
    {
        unchecked
        {
            _state += 0x9E3779B97F4A7C15UL;
            ulong z = _state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }

    /// <summary>A uniform double in [0, 1): (x &gt;&gt; 11) * 2^-53.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / 9007199254740992.0);

    /// <summary>A standard normal: sqrt(-2 ln(1 - u1)) cos(2 pi u2).</summary>
    public double NextNormal()
    {
        double u1 = 1.0 - NextDouble();
        double u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>A standard Cauchy variate: tan(pi (u - 1/2)).</summary>
    public double NextCauchy() => Math.Tan(Math.PI * (NextDouble() - 0.5));

    /// <summary>A Student-t variate with 3 degrees of freedom: z / sqrt((a^2 + b^2 + c^2) / 3).</summary>
    public double NextStudentT3()
    {
        double z = NextNormal();
        double a = NextNormal();
        double b = NextNormal();
        double c = NextNormal();
        return z / Math.Sqrt(((a * a) + (b * b) + (c * c)) / 3.0);
    }

    /// <summary>An integer in [0, bound): (int)(u * bound).</summary>
    public int NextInt(int bound) => (int)(NextDouble() * bound);
}
