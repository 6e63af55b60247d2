using System;
using System.Collections.Generic;
using System.Linq;

namespace Btw.Tests.Support;

/// <summary>Plain double-precision formulas written independently of the library, for expected values in tests.</summary>
internal static class HandMath
{
    public static double[] Softmax(double[] logits, double temperature = 1.0)
    {
        var max = logits.Max() / temperature;
        var e = logits.Select(v => Math.Exp((v / temperature) - max)).ToArray();
        var s = e.Sum();
        return e.Select(v => v / s).ToArray();
    }

    /// <summary>KL(p || q) = sum p log(p / q), nats, as scipy.stats.entropy(p, q).</summary>
    public static double Kl(double[] p, double[] q)
    {
        var d = 0.0;
        for (var c = 0; c < p.Length; c++)
        {
            if (p[c] > 0)
            {
                d += p[c] * Math.Log(p[c] / q[c]);
            }
        }

        return d;
    }

    public static int ArgMax(double[] v)
    {
        var best = 0;
        for (var i = 1; i < v.Length; i++)
        {
            if (v[i] > v[best])
            {
                best = i;
            }
        }

        return best;
    }

    /// <summary>Plug-in mutual information of two label sequences, nats: sum_ab p(a,b) log(p(a,b) / (p(a) p(b))).</summary>
    public static double DiscreteMi(IReadOnlyList<int> a, IReadOnlyList<int> b)
    {
        var n = (double)a.Count;
        var mi = 0.0;
        foreach (var g in a.Zip(b).GroupBy(t => t))
        {
            var pab = g.Count() / n;
            var pa = a.Count(v => v == g.Key.First) / n;
            var pb = b.Count(v => v == g.Key.Second) / n;
            mi += pab * Math.Log(pab / (pa * pb));
        }

        return Math.Max(mi, 0.0);
    }
}
