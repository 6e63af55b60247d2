namespace Btw.Information;

/// <summary>
/// The subsets <see cref="GroupedResampling"/> evaluates a statistic on: g index arrays in increasing order, the groups
/// themselves when <paramref name="Split"/> (disjoint-group estimate) or the leave-one-group-out complements otherwise
/// (jackknife); none when n &lt; 2.
/// </summary>
internal sealed record ResamplingPlan(int[][] Subsets, bool Split);
