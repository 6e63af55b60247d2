using System;
using System.Linq;
using Xunit;

namespace Btw.Tests.Reliability;

/// <summary>
/// MergeObservations adds another weighter's pending observations to this one's. Observations made with another
/// temperature, sigma or variance floor are other numbers, and a fold with another mode, neighbour count, pair minimum,
/// MI floor, scale, EMA factor (or its schedule), warm-up, strength, instance-term direction or shrinkage gives other weights: merging such weighters must be refused, naming the setting, and
/// must change neither weighter. Settings that change neither the observations nor the fold (what unseen ids get, how
/// non-finite outputs are handled) may differ.
/// </summary>
public class MergeCompatibilityTests
{
    private const int M = 2;

    public static TheoryData<string, Action<BtwOptions>, string> DifferentSettings => new()
    {
        { "Temperature", o => o.Temperature = 2.0, "this weighter has 1, the other 2" },
        { "RegressionSigma", o => o.RegressionSigma = 0.5, "this weighter has 1, the other 0.5" },
        { "VarianceEpsilon", o => o.VarianceEpsilon = 1e-4, "this weighter has 1E-06, the other 0.0001" },
        { "Weighting", o => o.Weighting = BtwWeighting.Kl, "this weighter has KlMi, the other Kl" },
        { "Neighbors", o => o.Neighbors = 5, "this weighter has 3, the other 5" },
        { "MinimumMiPairs", o => o.MinimumMiPairs = 20, "this weighter has 10, the other 20" },
        { "MiEpsilon", o => o.MiEpsilon = 1e-3, "this weighter has 1E-05, the other 0.001" },
        { "Scale", o => o.Scale = BtwScale.SumToOne, "this weighter has PresentCount, the other SumToOne" },
        { "Alpha", o => o.Alpha = 0.9, "this weighter has 0.5, the other 0.9" },
        { "WarmupEpochs", o => o.WarmupEpochs = 2, "this weighter has 0, the other 2" },
        { "Strength", o => o.Strength = 0.5, "this weighter has 1, the other 0.5" },
        { "InstanceTerm", o => o.InstanceTerm = BtwInstanceTerm.Agreement, "this weighter has Disagreement, the other Agreement" },
        { "AlphaStep", o => o.AlphaStep = 0.1, "this weighter has 0, the other 0.1" },
        { "AlphaMin", o => o.AlphaMin = 0.2, "this weighter has 0.05, the other 0.2" },
        { "AlphaMax", o => o.AlphaMax = 0.8, "this weighter has 1, the other 0.8" },
        { "Shrinkage", o => o.Shrinkage = BtwShrinkage.EmpiricalBayes, "this weighter has None, the other EmpiricalBayes" },
    };

    [Theory]
    [MemberData(nameof(DifferentSettings))]
    public void Merging_a_weighter_with_another_statistics_setting_is_refused_naming_it(string setting, Action<BtwOptions> change, string values)
    {
        using var mine = Observed(new BtwOptions { Modalities = M }, seed: 1);
        var otherOptions = new BtwOptions { Modalities = M };
        change(otherOptions);
        using var other = Observed(otherOptions, seed: 2);
        var otherBefore = WeighterState.Snapshot(other);

        var ex = WeighterState.ThrowsAndLeavesStateUntouched<ArgumentException>(mine, () => mine.MergeObservations(other));

        Assert.Equal("other", ex.ParamName);
        Assert.Contains($"different BtwOptions.{setting}: {values};", ex.Message, StringComparison.Ordinal);
        Assert.Equal(otherBefore, WeighterState.Snapshot(other));
    }

    [Fact]
    public void An_explicit_weighting_equal_to_the_derived_default_is_accepted()
    {
        using var mine = Observed(new BtwOptions { Modalities = M }, seed: 3);                                    // KlMi by default
        using var explicitKlMi = Observed(new BtwOptions { Modalities = M, Weighting = BtwWeighting.KlMi }, seed: 4);
        mine.MergeObservations(explicitKlMi);
        Assert.Equal(32, mine.PendingObservations);
    }

    [Fact]
    public void UnseenWeights_and_NonFinite_may_differ_and_the_merge_equals_observing_in_one()
    {
        var baseOptions = new BtwOptions { Modalities = M, MinimumMiPairs = 4 };
        using var mine = Observed(baseOptions, seed: 5);
        using var other = Observed(new BtwOptions { Modalities = M, MinimumMiPairs = 4, UnseenWeights = BtwUnseenWeights.ModalityMean, NonFinite = BtwNonFinitePolicy.SkipRows }, seed: 6);
        using var single = new BtwWeighter(baseOptions);
        Batch(5).ObserveInto(single);
        Batch(6).ObserveInto(single);

        mine.MergeObservations(other);

        Assert.Equal(single.EndEpoch().ToTable(), mine.EndEpoch().ToTable());
        Assert.Equal(WeighterState.Snapshot(single), WeighterState.Snapshot(mine));
    }

    private static SyntheticBatch Batch(int seed)
        => SyntheticBatch.Classification(new Random(seed), Enumerable.Range(0, 16).Select(i => (long)((seed * 100) + i)).ToArray(), M, 3, 0.2);

    private static BtwWeighter Observed(BtwOptions options, int seed)
    {
        var weighter = new BtwWeighter(options);
        Batch(seed).ObserveInto(weighter);
        return weighter;
    }
}
