using System;
using System.Linq;
using Btw.Tests.Support;
using Xunit;
using static TorchSharp.torch;

namespace Btw.Tests.Reliability;

/// <summary>
/// NaN or infinite outputs, and finite outputs whose divergence overflows: by default an exception naming the
/// modality and the first bad row with the state untouched; under <see cref="BtwNonFinitePolicy.SkipRows"/> the rows
/// are skipped and counted. Never a NaN weight.
/// </summary>
public class NonFiniteOutputTests
{
    private const int M = 3;
    private const int C = 4;

    private static BtwWeighter Weighter(BtwNonFinitePolicy policy, BtwTask task = BtwTask.Classification, BtwWeighting? weighting = null, BtwRegressionOutput output = BtwRegressionOutput.MeanAndLogVariance)
    {
        var options = new BtwOptions { Modalities = M, Task = task, Weighting = task == BtwTask.Regression ? BtwWeighting.Kl : BtwWeighting.KlMi, RegressionOutput = task == BtwTask.Regression ? output : BtwRegressionOutput.Mean, NonFinite = policy, MinimumMiPairs = 4, Alpha = 1.0, UnseenWeights = BtwUnseenWeights.Ones };
        if (weighting is { } w)
        {
            options.Weighting = w;
        }

        var weighter = new BtwWeighter(options);
        var rng = new Random(11);
        for (var start = 0; start < 20; start += 5)
        {
            var ids = Enumerable.Range(start, 5).Select(i => (long)i).ToArray();
            var batch = task == BtwTask.Classification ? SyntheticBatch.Classification(rng, ids, M, C) : SyntheticBatch.Regression(rng, ids, M, Columns(output));
            batch.ObserveInto(weighter);
        }

        weighter.EndEpoch();
        var pending = task == BtwTask.Classification ? SyntheticBatch.Classification(rng, [1, 2, 40], M, C) : SyntheticBatch.Regression(rng, [1, 2, 40], M, Columns(output));
        pending.ObserveInto(weighter);
        return weighter;
    }

    private static int Columns(BtwRegressionOutput output) => output == BtwRegressionOutput.MeanAndLogVariance ? 2 : 0;

    private static SyntheticBatch Batch(int seed) => SyntheticBatch.Classification(new Random(seed), [100, 101, 102, 103, 104, 105, 106, 107], M, C);

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void A_bad_unimodal_value_throws_naming_the_modality_and_the_first_bad_row(float bad)
    {
        using var weighter = Weighter(BtwNonFinitePolicy.Throw);
        var batch = Batch(1);
        batch.Unimodal[2][(5 * C) + 1] = bad;
        batch.Unimodal[1][(6 * C) + 3] = bad;
        var ex = StateSnapshot.ThrowsAndLeavesStateUntouched<ArgumentException>(weighter, () => batch.ObserveInto(weighter));
        Assert.Equal("unimodal", ex.ParamName);
        Assert.Contains("modality 2", ex.Message, StringComparison.Ordinal);
        Assert.Contains("row 5", ex.Message, StringComparison.Ordinal);
        Assert.Contains("SkipRows", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_multimodal_value_throws_naming_the_row()
    {
        using var weighter = Weighter(BtwNonFinitePolicy.Throw);
        var batch = Batch(2);
        batch.Multimodal[(2 * C) + 0] = float.PositiveInfinity;
        var ex = StateSnapshot.ThrowsAndLeavesStateUntouched<ArgumentException>(weighter, () => batch.ObserveInto(weighter));
        Assert.Equal("multimodal", ex.ParamName);
        Assert.Contains("row 2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SkipRows_skips_exactly_the_bad_rows_and_counts_them_in_the_report()
    {
        using var weighter = Weighter(BtwNonFinitePolicy.SkipRows);
        var batch = Batch(3);
        batch.Unimodal[0][(1 * C) + 2] = float.NaN;
        batch.Multimodal[(6 * C) + 1] = float.NegativeInfinity;
        batch.ObserveInto(weighter);
        var second = SyntheticBatch.Classification(new Random(4), [200, 201], M, C);
        second.Unimodal[1][0] = float.NaN;
        second.ObserveInto(weighter);

        Assert.Equal(3 + 6 + 1, weighter.PendingObservations);
        var report = weighter.EndEpoch();
        Assert.Equal(3, report.Skipped);
        Assert.Equal(10, report.Observed);
        Assert.All(report.Modalities, m => Assert.True(double.IsFinite(m.MeanWeight) && double.IsFinite(m.NormalizedMutualInformation)));

        long[] ids = [101, 106, 200, 100, 102, 201];
        var after = StateSnapshot.Weights(weighter, ids);
        Assert.All(after, w => Assert.True(float.IsFinite(w) && w >= 0));
        Assert.Equal([1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f], after[..(3 * M)]); // skipped: never folded in
        Assert.NotEqual([1f, 1f, 1f], after[(3 * M)..(4 * M)]);                  // kept rows were folded in
        SyntheticBatch.Classification(new Random(5), [300, 301], M, C).ObserveInto(weighter);
        Assert.Equal(0, weighter.EndEpoch().Skipped);                           // the count is per epoch
    }

    [Fact]
    public void SkipRows_with_every_row_bad_records_nothing_but_the_count()
    {
        using var weighter = Weighter(BtwNonFinitePolicy.SkipRows);
        var batch = Batch(5);
        Array.Fill(batch.Multimodal, float.NaN);
        var pending = weighter.PendingObservations;
        batch.ObserveInto(weighter);
        Assert.Equal(pending, weighter.PendingObservations);
        Assert.Equal(8, weighter.EndEpoch().Skipped);
    }

    [Fact]
    public void A_bad_value_in_a_missing_modality_is_ignored_and_the_state_still_saves_and_loads()
    {
        using var weighter = Weighter(BtwNonFinitePolicy.Throw);
        var batch = Batch(6);
        for (var i = 0; i < 8; i += 2)
        {
            batch.Present[(i * M) + 1] = false;                   // modality 1 missing in even rows ...
            Array.Fill(batch.Unimodal[1], float.NaN, i * C, C);   // ... whose head output garbage there
        }

        batch.ObserveInto(weighter);
        var reloaded = BtwWeighter.FromBytes(StateSnapshot.Snapshot(weighter));
        var report = weighter.EndEpoch();
        Assert.Equal(0, report.Skipped);
        Assert.Equal(3 + 4, report.Modalities[1].Present);
        var weights = StateSnapshot.Weights(weighter, batch.Ids);
        Assert.All(weights, w => Assert.True(float.IsFinite(w) && w >= 0));
        reloaded.EndEpoch();
        StateSnapshot.BitIdentical(weights, StateSnapshot.Weights(reloaded, batch.Ids));
    }

    [Fact]
    public void A_finite_log_variance_whose_exponential_overflows_is_treated_as_non_finite()
    {
        // exp(800) overflows float64 although 800 is a perfectly finite float32: the Gaussian KL would be inf - inf = NaN.
        using (var weighter = Weighter(BtwNonFinitePolicy.Throw, BtwTask.Regression))
        {
            var batch = SyntheticBatch.Regression(new Random(7), [100, 101, 102, 103], M, 2);
            batch.Unimodal[1][(2 * 2) + 1] = 800f; // KL = log(s_z / s_u) + s_u^2 / (2 s_z^2) + ... = -inf + inf
            var ex = StateSnapshot.ThrowsAndLeavesStateUntouched<ArgumentException>(weighter, () => batch.ObserveInto(weighter));
            Assert.Equal("unimodal", ex.ParamName);
            Assert.Contains("modality 1", ex.Message, StringComparison.Ordinal);
            Assert.Contains("row 2", ex.Message, StringComparison.Ordinal);
        }

        using (var weighter = Weighter(BtwNonFinitePolicy.SkipRows, BtwTask.Regression))
        {
            var batch = SyntheticBatch.Regression(new Random(7), [100, 101, 102, 103], M, 2);
            batch.Unimodal[1][(2 * 2) + 1] = 800f;
            batch.ObserveInto(weighter);
            var report = weighter.EndEpoch();
            Assert.Equal(1, report.Skipped);
            var weights = StateSnapshot.Weights(weighter, batch.Ids);
            Assert.All(weights, w => Assert.True(float.IsFinite(w) && w >= 0, $"weight {w}"));
            Assert.Equal([1f, 1f, 1f], weights[(2 * M)..(3 * M)]);
        }
    }

    [Fact]
    public void Float64_means_whose_squared_difference_overflows_are_treated_as_non_finite()
    {
        using var weighter = Weighter(BtwNonFinitePolicy.Throw, BtwTask.Regression, BtwWeighting.Kl, BtwRegressionOutput.Mean);
        using var scope = NewDisposeScope();
        var multi = tensor(new double[] { 0, 0, 0 });
        var uni = new[] { tensor(new double[] { 1, 2, 1e200 }), tensor(new double[] { 1, 1, 1 }), tensor(new double[] { 2, 1, 1 }) };
        var ex = StateSnapshot.ThrowsAndLeavesStateUntouched<ArgumentException>(weighter, () => weighter.Observe(tensor(new long[] { 7, 8, 9 }), uni, multi));
        Assert.Contains("modality 0", ex.Message, StringComparison.Ordinal);
        Assert.Contains("row 2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Huge_but_finite_divergences_whose_sum_overflows_still_give_proportional_weights()
    {
        // d = (0.8, 0.6, 0.5) x 1e308 are finite, their sum is not: k must still be d / sum d.
        double[] d = [0.8e308, 0.6e308, 0.5e308];
        using var weighter = new BtwWeighter(new BtwOptions { Modalities = 3, Task = BtwTask.Regression, Weighting = BtwWeighting.Kl, Alpha = 1.0 });
        using (var scope = NewDisposeScope())
        {
            weighter.Observe(tensor(new long[] { 1 }), d.Select(v => tensor(new[] { Math.Sqrt(2 * v) })).ToList(), tensor(new[] { 0.0 }));
        }

        weighter.EndEpoch();
        var w = StateSnapshot.Weights(weighter, [1]);
        var total = (0.8 + 0.6 + 0.5) / 3;
        Assert.Equal(0.8 / total, w[0], 5);
        Assert.Equal(0.6 / total, w[1], 5);
        Assert.Equal(0.5 / total, w[2], 5);
    }
}
