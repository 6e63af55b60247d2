using System;
using System.Linq;
using Btw.Tests.Support;
using Xunit;
using static TorchSharp.torch;

namespace Btw.Tests.Weighting;

/// <summary>
/// Degenerate epochs have defined, documented results and never produce NaN: no observations (refused), every row skipped, a modality whose
/// predictions are constant, fewer examples than neighbours, a modality missing from every example, one class (refused), one
/// modality, an empty batch.
/// </summary>
public class DegenerateDataTests
{
    private const int M = 3;

    private static void AssertFinite(BtwEpochReport report)
    {
        Assert.All(report.Modalities, m =>
        {
            Assert.True(double.IsFinite(m.MutualInformation), $"MI of modality {m.Modality}");
            Assert.True(double.IsFinite(m.NormalizedMutualInformation), $"Ibar of modality {m.Modality}");
            Assert.True(double.IsFinite(m.Correlation), $"correlation of modality {m.Modality}");
            Assert.True(double.IsFinite(m.MeanWeight), $"mean weight of modality {m.Modality}");
            Assert.True(double.IsFinite(m.WeightStdDev), $"weight sd of modality {m.Modality}");
        });
        Assert.Equal(1.0, report.Modalities.Sum(m => m.NormalizedMutualInformation), 12);
    }

    private static void AssertFiniteNonNegative(float[] weights) =>
        Assert.All(weights, w => Assert.True(float.IsFinite(w) && w >= 0, $"weight {w}"));

    [Fact]
    public void EndEpoch_with_nothing_observed_is_refused_naming_Observe_and_changes_nothing()
    {
        using var weighter = new BtwWeighter(new BtwOptions { Modalities = M, Weighting = BtwWeighting.KlMi, MinimumMiPairs = 4 });
        var fresh = StateSnapshot.ThrowsAndLeavesStateUntouched<InvalidOperationException>(weighter, () => weighter.EndEpoch());
        Assert.Contains("Observe", fresh.Message, StringComparison.Ordinal);
        Assert.Equal(0, weighter.CompletedEpochs);

        // After a real epoch, a second EndEpoch in a row (forgotten Observe, or two threads folding at once) is refused too,
        // with or without a validation loss, and neither the epoch count nor the alpha schedule moves.
        SyntheticBatch.Classification(new Random(1), Enumerable.Range(0, 12).Select(i => (long)i).ToArray(), M, 4).ObserveInto(weighter);
        weighter.EndEpoch();
        var twice = StateSnapshot.ThrowsAndLeavesStateUntouched<InvalidOperationException>(weighter, () => weighter.EndEpoch());
        Assert.Contains("Observe", twice.Message, StringComparison.Ordinal);
        StateSnapshot.ThrowsAndLeavesStateUntouched<InvalidOperationException>(weighter, () => weighter.EndEpoch(0.5));
        Assert.Equal(1, weighter.CompletedEpochs);
        Assert.True(double.IsPositiveInfinity(weighter.BestValidationLoss));
    }

    [Fact]
    public void An_epoch_whose_every_row_was_skipped_changes_no_weight_and_reports_undefined_statistics()
    {
        using var weighter = new BtwWeighter(new BtwOptions { Modalities = M, Weighting = BtwWeighting.KlMi, MinimumMiPairs = 4, NonFinite = BtwNonFinitePolicy.SkipRows });
        SyntheticBatch.Classification(new Random(1), Enumerable.Range(0, 12).Select(i => (long)i).ToArray(), M, 4).ObserveInto(weighter);
        weighter.EndEpoch();
        var weights = StateSnapshot.Weights(weighter, [0, 5, 11]);
        var ibar = weighter.NormalizedMutualInformation.ToArray();

        var bad = SyntheticBatch.Classification(new Random(2), [0, 5, 11], M, 4);
        Array.Fill(bad.Multimodal, float.NaN);
        bad.ObserveInto(weighter);
        var empty = weighter.EndEpoch();
        Assert.Equal(2, empty.Epoch);
        Assert.Equal(0, empty.Observed);
        Assert.Equal(3, empty.Skipped);
        AssertFinite(empty);
        Assert.All(empty.Modalities, m =>
        {
            Assert.False(m.MutualInformationDefined);
            Assert.Equal(0.0, m.MutualInformation);
            Assert.Equal(1.0 / M, m.NormalizedMutualInformation);
            Assert.Equal(0.0, m.MeanWeight);
            Assert.Equal(0.0, m.WeightStdDev);
            Assert.Equal(0, m.Present);
        });
        StateSnapshot.BitIdentical(weights, StateSnapshot.Weights(weighter, [0, 5, 11]));
        Assert.Equal(ibar, weighter.NormalizedMutualInformation);
    }

    [Theory]
    [InlineData(BtwTask.Classification, BtwWeighting.KlMi)]
    [InlineData(BtwTask.Classification, BtwWeighting.Mi)]
    [InlineData(BtwTask.Classification, BtwWeighting.Correlation)]
    [InlineData(BtwTask.Classification, BtwWeighting.Entropy)]
    [InlineData(BtwTask.Regression, BtwWeighting.KlMi)]
    [InlineData(BtwTask.Regression, BtwWeighting.Mi)]
    [InlineData(BtwTask.Regression, BtwWeighting.Correlation)]
    [InlineData(BtwTask.Regression, BtwWeighting.Entropy)]
    public void A_modality_with_constant_predictions_has_zero_information_and_finite_weights(BtwTask task, BtwWeighting weighting)
    {
        using var weighter = new BtwWeighter(new BtwOptions { Modalities = M, Task = task, RegressionOutput = task == BtwTask.Regression ? BtwRegressionOutput.MeanAndLogVariance : BtwRegressionOutput.Mean, Weighting = weighting, MinimumMiPairs = 4, ModalityStatistics = BtwModalityStatistics.All });
        var ids = Enumerable.Range(0, 20).Select(i => (long)i).ToArray();
        var batch = task == BtwTask.Classification
            ? SyntheticBatch.Classification(new Random(2), ids, M, 4)
            : SyntheticBatch.Regression(new Random(2), ids, M, 2);
        var width = batch.Width;
        for (var i = 0; i < ids.Length; i++)
        {
            batch.Unimodal[1].AsSpan(i * width, width).Fill(0.5f); // the same output for every example
        }

        batch.ObserveInto(weighter);
        var report = weighter.EndEpoch();
        AssertFinite(report);
        Assert.True(report.Modalities[1].MutualInformationDefined);
        Assert.Equal(0.0, report.Modalities[1].MutualInformation);
        Assert.Equal(0.0, report.Modalities[1].Correlation); // a constant side has no correlation: reported as 0
        Assert.True(report.Modalities[1].NormalizedMutualInformation < report.Modalities[0].NormalizedMutualInformation);
        AssertFiniteNonNegative(StateSnapshot.Weights(weighter, ids));
    }

    [Fact]
    public void Fewer_examples_than_neighbours_leave_the_mutual_information_undefined_and_uniform()
    {
        // k = 3 needs at least 4 pairs; MinimumMiPairs = 2 would allow 3.
        using var weighter = new BtwWeighter(new BtwOptions { Modalities = M, Task = BtwTask.Regression, Weighting = BtwWeighting.KlMi, MinimumMiPairs = 2, Alpha = 1.0 });
        var batch = SyntheticBatch.Regression(new Random(3), [10, 11, 12], M, 0);
        batch.ObserveInto(weighter);
        var report = weighter.EndEpoch();
        AssertFinite(report);
        Assert.All(report.Modalities, m =>
        {
            Assert.False(m.MutualInformationDefined);
            Assert.Equal(0.0, m.MutualInformation);
            Assert.Equal(1.0 / M, m.NormalizedMutualInformation);
        });

        // With Ibar uniform, KlMi reduces to Kl: w = M * d / sum d (alpha = 1).
        var weights = StateSnapshot.Weights(weighter, batch.Ids);
        for (var i = 0; i < 3; i++)
        {
            var d = Enumerable.Range(0, M).Select(m => Math.Pow(batch.Unimodal[m][i] - (double)batch.Multimodal[i], 2) / 2).ToArray();
            for (var m = 0; m < M; m++)
            {
                Assert.Equal(M * d[m] / d.Sum(), weights[(i * M) + m], 5);
            }
        }
    }

    [Fact]
    public void A_modality_missing_from_every_example_keeps_its_weight_and_gets_the_neutral_share()
    {
        using var weighter = new BtwWeighter(new BtwOptions { Modalities = M, Weighting = BtwWeighting.KlMi, MinimumMiPairs = 4 });
        var ids = Enumerable.Range(0, 16).Select(i => (long)i).ToArray();
        var batch = SyntheticBatch.Classification(new Random(4), ids, M, 5);
        for (var i = 0; i < ids.Length; i++)
        {
            batch.Present[(i * M) + 2] = false;
            batch.Present[(i * M) + 0] = true;
        }

        batch.ObserveInto(weighter);
        var report = weighter.EndEpoch();
        AssertFinite(report);
        Assert.Equal(0, report.Modalities[2].Present);
        Assert.False(report.Modalities[2].MutualInformationDefined);
        Assert.Equal(1.0 / M, report.Modalities[2].NormalizedMutualInformation);
        Assert.Equal(0.0, report.Modalities[2].MeanWeight);

        var stored = StateSnapshot.Weights(weighter, ids);
        var present = Enumerable.Range(0, ids.Length).SelectMany(_ => new[] { true, true, false }).ToArray();
        var applied = StateSnapshot.Weights(weighter, ids, present);
        AssertFiniteNonNegative(stored);
        for (var i = 0; i < ids.Length; i++)
        {
            Assert.Equal(1f, stored[(i * M) + 2]);  // no evidence about modality 2: its stored weight stays 1
            Assert.Equal(0f, applied[(i * M) + 2]); // and a missing modality gets 0 in the forward pass
            Assert.Equal(2f, applied[(i * M) + 0] + applied[(i * M) + 1], 5);
        }
    }

    [Fact]
    public void A_single_class_is_refused_rather_than_giving_weights_of_one_forever()
    {
        // One logit column gives KL 0 and MI 0 for every example: weights would stay 1 silently. Refused (see SettingMismatchTests).
        using var weighter = new BtwWeighter(new BtwOptions { Modalities = M, Weighting = BtwWeighting.KlMi, MinimumMiPairs = 4 });
        var ids = Enumerable.Range(0, 10).Select(i => (long)i).ToArray();
        var batch = SyntheticBatch.Classification(new Random(5), ids, M, 1);
        var ex = StateSnapshot.ThrowsAndLeavesStateUntouched<ArgumentException>(weighter, () => batch.ObserveInto(weighter));
        Assert.Contains("C >= 2", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, weighter.PendingObservations);
    }

    [Theory]
    [InlineData(BtwWeighting.Kl)]
    [InlineData(BtwWeighting.KlMi)]
    [InlineData(BtwWeighting.Correlation)]
    public void A_single_modality_always_has_weight_one(BtwWeighting weighting)
    {
        using var weighter = new BtwWeighter(new BtwOptions { Modalities = 1, Weighting = weighting, MinimumMiPairs = 4 });
        var ids = Enumerable.Range(0, 12).Select(i => (long)i).ToArray();
        for (var e = 0; e < 3; e++)
        {
            SyntheticBatch.Classification(new Random(e), ids, 1, 3).ObserveInto(weighter);
            AssertFinite(weighter.EndEpoch());
        }

        Assert.All(StateSnapshot.Weights(weighter, ids), w => Assert.Equal(1f, w));
    }

    [Fact]
    public void Identical_predictions_in_every_modality_give_uniform_weights()
    {
        using var weighter = new BtwWeighter(new BtwOptions { Modalities = M, Weighting = BtwWeighting.KlMi, MinimumMiPairs = 4 });
        var ids = Enumerable.Range(0, 10).Select(i => (long)i).ToArray();
        var batch = SyntheticBatch.Classification(new Random(6), ids, M, 4);
        for (var m = 0; m < M; m++)
        {
            batch.Multimodal.CopyTo(batch.Unimodal[m], 0);
        }

        batch.ObserveInto(weighter);
        AssertFinite(weighter.EndEpoch());
        Assert.All(StateSnapshot.Weights(weighter, ids), w => Assert.Equal(1f, w));
    }

    [Fact]
    public void An_empty_batch_is_a_no_op_and_its_weights_are_an_empty_B_by_M_tensor()
    {
        using var weighter = new BtwWeighter(new BtwOptions { Modalities = M, Weighting = BtwWeighting.KlMi });
        using var scope = NewDisposeScope();
        var before = StateSnapshot.Snapshot(weighter);
        weighter.Observe(zeros(0, ScalarType.Int64), Enumerable.Range(0, M).Select(_ => zeros(0, 4)).ToList(), zeros(0, 4), zeros(0, M, ScalarType.Bool));
        Assert.Equal(before, StateSnapshot.Snapshot(weighter));
        Assert.Equal(new long[] { 0, M }, weighter.WeightsFor(zeros(0, ScalarType.Int64)).shape);
        Assert.Equal(new long[] { 0, M }, weighter.WeightsFor(zeros(0, ScalarType.Int64), zeros(0, M)).shape);
    }

    [Fact]
    public void Unseen_ids_get_weight_one()
    {
        using var weighter = new BtwWeighter(new BtwOptions { Modalities = M, Weighting = BtwWeighting.KlMi });
        Span<float> w = stackalloc float[M + 2];
        w.Fill(-1);
        Assert.False(weighter.TryGetWeights(long.MaxValue, w));
        Assert.Equal([1f, 1f, 1f, -1f, -1f], w.ToArray());
        Assert.All(StateSnapshot.Weights(weighter, [0, long.MaxValue]), v => Assert.Equal(1f, v));
    }
}
