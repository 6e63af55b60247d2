using System;
using System.Collections.Generic;

namespace Btw;

/// <summary>TEMPORARY O(n^2) stand-in until the O(n log n) implementation lands.</summary>
public static class MutualInformation
{
    /// <summary>KSG estimate in nats (sklearn semantics).</summary>
    /// <param name="x">x</param>
    /// <param name="y">y</param>
    /// <param name="k">k</param>
    /// <returns>nats</returns>
    public static double Ksg(ReadOnlySpan<double> x, ReadOnlySpan<double> y, int k = 3)
    {
        var n = x.Length;
        if (n <= k)
        {
            return 0;
        }

        var sx = Std(x);
        var sy = Std(y);
        if (sx == 0 || sy == 0)
        {
            return 0;
        }

        var xs = new double[n];
        var ys = new double[n];
        for (var i = 0; i < n; i++)
        {
            xs[i] = x[i] / sx;
            ys[i] = y[i] / sy;
        }

        double sum = 0;
        var d = new double[n - 1];
        for (var i = 0; i < n; i++)
        {
            var t = 0;
            for (var j = 0; j < n; j++)
            {
                if (j != i)
                {
                    d[t++] = Math.Max(Math.Abs(xs[i] - xs[j]), Math.Abs(ys[i] - ys[j]));
                }
            }

            Array.Sort(d);
            var radius = Math.BitDecrement(d[k - 1]);
            if (d[k - 1] == 0)
            {
                radius = 0;
            }

            int nx = 0, ny = 0;
            for (var j = 0; j < n; j++)
            {
                if (j == i)
                {
                    continue;
                }

                if (Math.Abs(xs[i] - xs[j]) <= radius)
                {
                    nx++;
                }

                if (Math.Abs(ys[i] - ys[j]) <= radius)
                {
                    ny++;
                }
            }

            sum += Psi(nx + 1) + Psi(ny + 1);
        }

        return Math.Max(0, Psi(n) + Psi(k) - (sum / n));
    }

    /// <summary>Plug-in MI in nats.</summary>
    /// <param name="a">a</param>
    /// <param name="b">b</param>
    /// <returns>nats</returns>
    public static double Discrete(ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        var n = a.Length;
        var joint = new Dictionary<(int, int), int>();
        var ca = new Dictionary<int, int>();
        var cb = new Dictionary<int, int>();
        for (var i = 0; i < n; i++)
        {
            joint[(a[i], b[i])] = joint.GetValueOrDefault((a[i], b[i])) + 1;
            ca[a[i]] = ca.GetValueOrDefault(a[i]) + 1;
            cb[b[i]] = cb.GetValueOrDefault(b[i]) + 1;
        }

        if (ca.Count <= 1 || cb.Count <= 1)
        {
            return 0;
        }

        double mi = 0;
        foreach (var ((i, j), c) in joint)
        {
            mi += c / (double)n * Math.Log(c * (double)n / ((double)ca[i] * cb[j]));
        }

        return Math.Max(0, mi);
    }

    private static double Std(ReadOnlySpan<double> v)
    {
        double mean = 0;
        foreach (var x in v)
        {
            mean += x;
        }

        mean /= v.Length;
        double s = 0;
        foreach (var x in v)
        {
            s += (x - mean) * (x - mean);
        }

        return Math.Sqrt(s / v.Length);
    }

    private static double Psi(int n) => MathNet.Numerics.SpecialFunctions.DiGamma(n);
}
