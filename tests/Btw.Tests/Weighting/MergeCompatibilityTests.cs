using System;
using System.Linq;
using Btw.Tests.Support;
using Xunit;

namespace Btw.Tests.Weighting;

/// <summary>
/// MergeObservations adds another weighter's pending observations to this one's. Observations made with another
/// temperature, sigma or variance floor are other numbers, and a fold with another mode, neighbour count, pair minimum,
/// MI floor, scale, EMA factor (or its schedule), warm-up, strength or instance-term direction gives other weights: merging such weighters must be refused, naming the setting, and
/// must change neither weighter. Settings that change neither the observations nor the fold (what unseen ids get, how
/// non-finite outputs are handled) may differ.
/// </summary>
public class MergeCompatibilityTests
{
    private const int M = 2;

    private static readonly Action<BtwOptions> Classification = _ => { };
    private static readonly Action<BtwOptions> Regression = o => { o.Task = BtwTask.Regression; o.Weighting = BtwWeighting.Kl; o.RegressionOutput = BtwRegressionOutput.MeanAndLogVariance; };
    private static readonly Action<BtwOptions> MovingAlpha = o => o.AlphaStep = 0.1;

    // The setting, what both weighters share (the task or mode the setting applies to), the other's change, the values named.
    public static TheoryData<string, Action<BtwOptions>, Action<BtwOptions>, string> DifferentSettings => new()
    {
        { "Temperature", Classification, o => o.Temperature = 2.0, "this weighter has 1, the other 2" },
        { "RegressionSigma", Regression, o => o.RegressionSigma = 0.5, "this weighter has 1, the other 0.5" },
        { "VarianceEpsilon", Regression, o => o.VarianceEpsilon = 1e-4, "this weighter has 1E-06, the other 0.0001" },
        { "Weighting", Classification, o => o.Weighting = BtwWeighting.Kl, "this weighter has KlMi, the other Kl" },
        { "Neighbors", Regression, o => o.Neighbors = 5, "this weighter has 3, the other 5" },
        { "MinimumMiPairs", Classification, o => o.MinimumMiPairs = 20, "this weighter has 10, the other 20" },
        { "MiEpsilon", Classification, o => o.MiEpsilon = 1e-3, "this weighter has 1E-05, the other 0.001" },
        { "Scale", Classification, o => o.Scale = BtwScale.SumToOne, "this weighter has PresentCount, the other SumToOne" },
        { "Alpha", Classification, o => o.Alpha = 0.9, "this weighter has 0.5, the other 0.9" },
        { "WarmupEpochs", Classification, o => o.WarmupEpochs = 2, "this weighter has 0, the other 2" },
        { "Strength", Classification, o => o.Strength = 0.5, "this weighter has 1, the other 0.5" },
        { "InstanceTerm", Classification, o => o.InstanceTerm = BtwInstanceTerm.Agreement, "this weighter has Disagreement, the other Agreement" },
        { "AlphaStep", Classification, o => o.AlphaStep = 0.1, "this weighter has 0, the other 0.1" },
        { "AlphaMin", MovingAlpha, o => o.AlphaMin = 0.2, "this weighter has 0.05, the other 0.2" },
        { "AlphaMax", MovingAlpha, o => o.AlphaMax = 0.8, "this weighter has 1, the other 0.8" },
        { "Shrinkage", Classification, o => o.Shrinkage = BtwShrinkage.EmpiricalBayes, "this weighter has None, the other EmpiricalBayes" },
    };

    [Theory]
    [MemberData(nameof(DifferentSettings))]
    public void Merging_a_weighter_with_another_statistics_setting_is_refused_naming_it(string setting, Action<BtwOptions> common, Action<BtwOptions> change, string values)
    {
        var myOptions = new BtwOptions { Modalities = M, Weighting = BtwWeighting.KlMi };   // the paper's modes: Kl for regression
        common(myOptions);
        using var mine = Observed(myOptions, seed: 1);
        var otherOptions = myOptions.Clone();
        change(otherOptions);
        using var other = Observed(otherOptions, seed: 2);
        var otherBefore = StateSnapshot.Snapshot(other);

        var ex = StateSnapshot.ThrowsAndLeavesStateUntouched<ArgumentException>(mine, () => mine.MergeObservations(other));

        Assert.Equal("other", ex.ParamName);
        Assert.Contains($"different BtwOptions.{setting}: {values};", ex.Message, StringComparison.Ordinal);
        Assert.Equal(otherBefore, StateSnapshot.Snapshot(other));
    }

    [Fact]
    public void An_explicit_weighting_equal_to_the_derived_default_is_accepted()
    {
        using var mine = Observed(new BtwOptions { Modalities = M }, seed: 3);                                    // Uniform by default
        using var explicitUniform = Observed(new BtwOptions { Modalities = M, Weighting = BtwWeighting.Uniform }, seed: 4);
        mine.MergeObservations(explicitUniform);
        Assert.Equal(32, mine.PendingObservations);
    }

    [Fact]
    public void UnseenWeights_and_NonFinite_may_differ_and_the_merge_equals_observing_in_one()
    {
        var baseOptions = new BtwOptions { Modalities = M, Weighting = BtwWeighting.KlMi, MinimumMiPairs = 4, UnseenWeights = BtwUnseenWeights.Ones };
        using var mine = Observed(baseOptions, seed: 5);
        using var other = Observed(new BtwOptions { Modalities = M, Weighting = BtwWeighting.KlMi, MinimumMiPairs = 4, UnseenWeights = BtwUnseenWeights.ModalityMean, NonFinite = BtwNonFinitePolicy.SkipRows }, seed: 6);
        using var single = new BtwWeighter(baseOptions);
        Batch(5).ObserveInto(single);
        Batch(6).ObserveInto(single);

        mine.MergeObservations(other);

        Assert.Equal(single.EndEpoch().ToTable(), mine.EndEpoch().ToTable());
        Assert.Equal(StateSnapshot.Snapshot(single), StateSnapshot.Snapshot(mine));
    }

    private static SyntheticBatch Batch(int seed, BtwTask task = BtwTask.Classification)
    {
        var ids = Enumerable.Range(0, 16).Select(i => (long)((seed * 100) + i)).ToArray();
        return task == BtwTask.Classification
            ? SyntheticBatch.Classification(new Random(seed), ids, M, 3, 0.2)
            : SyntheticBatch.Regression(new Random(seed), ids, M, 2);
    }

    private static BtwWeighter Observed(BtwOptions options, int seed)
    {
        var weighter = new BtwWeighter(options);
        Batch(seed, options.Task).ObserveInto(weighter);
        return weighter;
    }
}
