using System;
using System.Threading.Tasks;
using System.Runtime.CompilerServices;

namespace Btw.Information;

/// <summary>
/// The standard error of a statistic of n paired samples from g = <see cref="Groups"/> disjoint random groups of the
/// samples, without duplicating any sample (a bootstrap's duplicated rows give the KSG estimator zero distances and bias it).
/// Below <see cref="SplitThreshold"/> samples: the delete-a-group jackknife, SE^2 = (g - 1) / g * sum_j (theta_(-j) - mean)^2,
/// theta_(-j) the statistic without group j (g estimates on (1 - 1/g) n samples; delete-d with d = n/g, consistent for
/// non-smooth statistics such as the KSG estimator). From <see cref="SplitThreshold"/> samples on: the disjoint-group
/// (batch-means, m-out-of-n subsampling) estimate SE^2 = var(theta_j) * b / n, theta_j the statistic on group j alone,
/// each group b = min(n / g, <see cref="GroupCap"/>) samples (g estimates on b samples: at most one full estimate's
/// cost, and bounded whatever n), which assumes the variance falls like 1 / n, as it does for root-n consistent
/// estimators, from groups of 500 samples on. The groups are a Fisher–Yates permutation from a fixed seed
/// derived from n and the caller's stream, so the result depends neither on the thread count nor on timing.
/// </summary>
internal static class GroupedResampling
{
    /// <summary>Number of groups g (at most n).</summary>
    public const int Groups = 10;

    /// <summary>Samples from which the disjoint-group estimate replaces the jackknife.</summary>
    public const int SplitThreshold = 5000;

    /// <summary>Largest group of the disjoint-group estimate (from n = 50,000 on, the groups cover only part of the samples).</summary>
    public const int GroupCap = 5000;

    /// <summary>The most plans <see cref="Plan"/> keeps (each at most g x <see cref="GroupCap"/> indices, about 200 KB, or (g - 1) x n below the split threshold).</summary>
    public const int CachedPlans = 32;

    private static readonly System.Collections.Generic.Dictionary<(int N, ulong Stream), ResamplingPlan> PlanCache = new();

    /// <summary>The 0.975 quantiles of Student's t with 1 to 9 degrees of freedom (two-sided 95%).</summary>
    private static readonly double[] StudentT975 = [12.706204736174698, 4.302652729749464, 3.182446305284263, 2.7764451051977934,
        2.570581835636314, 2.4469118511449666, 2.3646242515927844, 2.306004135204166, 2.262157162798205];

    /// <summary>
    /// The multiplier q of the 95% interval estimate ± q SE for n samples: Student's t quantile with g - 1 degrees of
    /// freedom (g = min(10, n) groups; 2.262 from n = 10 on), since the standard error itself is estimated from g
    /// group statistics. 0 when n &lt; 2.
    /// </summary>
    public static double IntervalQuantile(int n) => n < 2 ? 0.0 : StudentT975[Math.Min(Groups, n) - 2];

    /// <summary>
    /// The standard error of <paramref name="statistic"/>, which is called with the sample indices of each subset (in
    /// increasing order) and must be thread-safe; the g subsets are evaluated in parallel. Returns
    /// <see cref="double.PositiveInfinity"/> when a subset's statistic is not finite, 0 when n &lt; 2.
    /// </summary>
    public static double StandardError(int n, ulong stream, Func<int[], double> statistic) => StandardError(Plan(n, stream), statistic);

    /// <summary>
    /// The index subsets of n samples for stream <paramref name="stream"/>: below <see cref="SplitThreshold"/> the g
    /// leave-one-group-out subsets, from it on the g groups themselves; each in increasing order. Computing them once lets
    /// several statistics of the same samples share them. A plan depends on (n, stream) alone, so up to
    /// <see cref="CachedPlans"/> plans are kept and returned again (an epoch of the same size as the last one, the usual
    /// case, does not draw its permutation again; the cache is emptied when it is full and another plan is drawn); the
    /// subsets must not be modified.
    /// </summary>
    public static ResamplingPlan Plan(int n, ulong stream)
    {
        var key = (n, stream);
        lock (PlanCache)
        {
            if (PlanCache.TryGetValue(key, out var cached))
            {
                return cached;
            }
        }

        var plan = NewPlan(n, stream);
        lock (PlanCache)
        {
            if (PlanCache.Count >= CachedPlans)
            {
                PlanCache.Clear();
            }

            PlanCache[key] = plan;
        }

        return plan;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static ResamplingPlan NewPlan(int n, ulong stream)
    {
        if (n < 2)
        {
            return new ResamplingPlan([], false, 1.0);
        }

        var g = Math.Min(Groups, n);
        var split = n >= SplitThreshold;

        // Disjoint groups larger than the cap keep only the first g * cap positions of the permutation (a random subsample).
        var used = split ? (int)Math.Min(n, (long)g * GroupCap) : n;
        var group = Assign(n, g, used, stream);
        var subsets = new int[g][];
        for (var j = 0; j < g; j++)
        {
            var members = (used / g) + (j < used % g ? 1 : 0);
            subsets[j] = new int[split ? members : n - members];
        }

        var fill = new int[g];
        for (var i = 0; i < n; i++)
        {
            var own = group[i];
            if (split)
            {
                if (own < 0)
                {
                    continue;
                }

                subsets[own][fill[own]++] = i;
                continue;
            }

            for (var j = 0; j < g; j++)
            {
                if (j != own)
                {
                    subsets[j][fill[j]++] = i;
                }
            }
        }

        return new ResamplingPlan(subsets, split, split ? used / (double)n : 1.0);
    }

    /// <summary>The standard error of <paramref name="statistic"/> over the subsets of <paramref name="plan"/>.</summary>
    public static double StandardError(ResamplingPlan plan, Func<int[], double> statistic)
    {
        var subsets = plan.Subsets;
        var g = subsets.Length;
        if (g < 2)
        {
            return 0.0;
        }

        var thetas = new double[g];
        Parallel.For(0, g, j => thetas[j] = statistic(subsets[j]));
        var mean = 0.0;
        foreach (var t in thetas)
        {
            if (!double.IsFinite(t))
            {
                return double.PositiveInfinity;
            }

            mean += t;
        }

        mean /= g;
        var ss = 0.0;
        foreach (var t in thetas)
        {
            ss += (t - mean) * (t - mean);
        }

        // Disjoint groups of average size b = covered / g: Var(theta_n) = Var(theta_b) b / n = s^2 * covered / (g n).
        var variance = plan.Split ? ss / (g - 1) / g * plan.Coverage : ss * (g - 1) / g;
        return Math.Sqrt(variance);
    }

    /// <summary>The values of <paramref name="source"/> at <paramref name="indices"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double[] Take(double[] source, int[] indices)
    {
        var result = new double[indices.Length];
        for (var i = 0; i < indices.Length; i++)
        {
            result[i] = source[indices[i]];
        }

        return result;
    }

    /// <summary>
    /// Group of each sample: position i &lt; <paramref name="used"/> of a seeded random permutation goes to group i mod g
    /// (sizes differ by at most 1), the other positions to -1 (no group).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int[] Assign(int n, int g, int used, ulong stream)
    {
        var permutation = new int[n];
        for (var i = 0; i < n; i++)
        {
            permutation[i] = i;
        }

        var state = SplitMix((ulong)n * 0x9E3779B97F4A7C15UL ^ stream);
        for (var i = n - 1; i > 0; i--)
        {
            state = SplitMix(state);
            var j = (int)(state % (ulong)(i + 1));
            (permutation[i], permutation[j]) = (permutation[j], permutation[i]);
        }

        var group = new int[n];
        for (var i = 0; i < n; i++)
        {
            group[permutation[i]] = i < used ? i % g : -1;
        }

        return group;
    }

    private static ulong SplitMix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
