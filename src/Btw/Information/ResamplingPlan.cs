namespace Btw.Information;

/// <summary>
/// The subsets <see cref="GroupedResampling"/> evaluates a statistic on: g index arrays in increasing order, the groups
/// themselves when <paramref name="Split"/> (disjoint-group estimate) or the leave-one-group-out complements otherwise
/// (jackknife); none when n &lt; 2. <paramref name="Coverage"/> is the share of the n samples that the disjoint groups
/// hold (1 unless the groups were capped at <see cref="GroupedResampling.GroupCap"/>; 1 for the jackknife).
/// </summary>
internal sealed record ResamplingPlan(int[][] Subsets, bool Split, double Coverage);
