using System.Runtime.InteropServices;

namespace Btw;

/// <summary>A point of the joint (x, y) space stored in a <see cref="ChebyshevKdTree"/>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct KdPoint
{
    /// <summary>The first coordinate.</summary>
    public double X;

    /// <summary>The second coordinate.</summary>
    public double Y;

    /// <summary>Creates a point.</summary>
    public KdPoint(double x, double y)
    {
        X = x;
        Y = y;
    }
}
