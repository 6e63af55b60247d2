using System;
using System.Collections.Generic;
using System.Linq;
using Btw.Tests.Support;
using Xunit;
using static TorchSharp.torch;

namespace Btw.Tests.Weighting;

/// <summary>
/// The protocol's knobs on the hand-checked three-modality example: warm-up, strength, the agreement term, the alpha
/// steps, the label-free weights from outputs and the mean weights over present rows, each against values computed
/// here from the written-out formulas.
/// </summary>
public partial class HandCheckedEndToEndTests
{
    private static (List<Row> First, List<Row> Second, long[] Ids) TwoEpochs()
    {
        var first = Rounded(Epoch(seed: 11, count: 12));
        var second = Rounded(Epoch(seed: 12, count: 12)).Take(8).ToList();
        return (first, second, first.Select(r => r.Id).Append(5L).ToArray());
    }

    [Theory]
    [InlineData(BtwWeighting.Kl, 1.0, true, 0)]
    [InlineData(BtwWeighting.KlMi, 1.0, true, 0)]
    [InlineData(BtwWeighting.Kl, 0.5, false, 0)]
    [InlineData(BtwWeighting.KlMi, 0.25, true, 0)]
    [InlineData(BtwWeighting.Mi, 0.5, false, 1)]
    [InlineData(BtwWeighting.KlMi, 1.0, false, 1)]
    [InlineData(BtwWeighting.KlMi, 1.0, false, 2)]
    public void Knobs_give_the_hand_computed_weights(BtwWeighting mode, double strength, bool agreement, int warmup)
    {
        var (first, second, ids) = TwoEpochs();
        var knobs = new Knobs(strength, agreement, warmup);
        using var weighter = new BtwWeighter(new BtwOptions
        {
            Modalities = M, Weighting = mode, Alpha = Alpha, MinimumMiPairs = 4, UnseenWeights = BtwUnseenWeights.Ones,
            Strength = strength, InstanceTerm = agreement ? BtwInstanceTerm.Agreement : BtwInstanceTerm.Disagreement, WarmupEpochs = warmup,
        });
        Observe(weighter, first, batchSize: 5);
        var report1 = weighter.EndEpoch();
        AssertWeights(Expected(mode, [first], ids, 4, knobs), weighter, ids);
        Observe(weighter, second, batchSize: 3);
        var report2 = weighter.EndEpoch();
        AssertWeights(Expected(mode, [first, second], ids, 4, knobs), weighter, ids);

        Assert.Equal(warmup < 1, report1.Weighted);
        Assert.Equal(warmup < 2, report2.Weighted);
        Assert.Equal(warmup < 2, weighter.IsWeighting);

        // Warm-up epochs still measure the modality-level statistic the mode uses: the copying modality's MI is the labels'
        // entropy. Kl does not use the MI, so by default (ModalityStatistics = Used) it is not estimated.
        if (mode == BtwWeighting.Kl)
        {
            Assert.All(report1.Modalities, m => Assert.Equal((false, 0.0, BtwUniformReason.NotEstimated), (m.MutualInformationEstimated, m.MutualInformation, m.NeutralReason)));
            return;
        }

        var labels = first.Select(r => HandMath.ArgMax(r.Multi)).ToList();
        Assert.Equal(HandMath.DiscreteMi(labels, labels), report1.Modalities[0].MutualInformation, 12);
    }

    [Fact]
    public void Warm_up_keeps_every_weight_at_exactly_one()
    {
        var (first, second, ids) = TwoEpochs();
        using var weighter = new BtwWeighter(new BtwOptions { Modalities = M, Weighting = BtwWeighting.KlMi, MinimumMiPairs = 4, WarmupEpochs = 2 });
        Observe(weighter, first, batchSize: 5);
        var report = weighter.EndEpoch();
        Observe(weighter, second, batchSize: 5);
        weighter.EndEpoch();
        using var scope = NewDisposeScope();
        Assert.All(weighter.WeightsFor(tensor(ids)).data<float>().ToArray(), w => Assert.Equal(1f, w));
        Assert.Equal([1.0, 1.0, 1.0], weighter.MeanWeights);
        Assert.All(report.Modalities, m => Assert.Equal(1.0, m.MeanWeight));
        Assert.Contains("warm-up", report.ToTable(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(BtwWeighting.Kl)]
    [InlineData(BtwWeighting.Mi)]
    [InlineData(BtwWeighting.KlMi)]
    [InlineData(BtwWeighting.Entropy)]
    [InlineData(BtwWeighting.Correlation)]
    public void Strength_zero_equals_Uniform_bit_for_bit(BtwWeighting mode)
    {
        var (first, second, ids) = TwoEpochs();
        using var shrunk = new BtwWeighter(new BtwOptions { Modalities = M, Weighting = mode, Strength = 0, MinimumMiPairs = 4 });
        using var uniform = new BtwWeighter(new BtwOptions { Modalities = M, Weighting = BtwWeighting.Uniform, MinimumMiPairs = 4 });
        foreach (var epoch in new[] { first, second, first })
        {
            Observe(shrunk, epoch, batchSize: 4);
            Observe(uniform, epoch, batchSize: 4);
            shrunk.EndEpoch();
            uniform.EndEpoch();
        }

        using var scope = NewDisposeScope();
        var present = tensor(Enumerable.Range(0, ids.Length * M).Select(k => k % 4 != 2).ToArray(), new long[] { ids.Length, M });
        Assert.Equal(uniform.WeightsFor(tensor(ids)).data<float>().ToArray(), shrunk.WeightsFor(tensor(ids)).data<float>().ToArray());
        Assert.Equal(uniform.WeightsFor(tensor(ids), present).data<float>().ToArray(), shrunk.WeightsFor(tensor(ids), present).data<float>().ToArray());
        Assert.Equal(uniform.MeanWeights, shrunk.MeanWeights);
    }

    [Fact]
    public void Alpha_moves_up_when_the_validation_loss_does_not_improve_and_down_when_it_does_within_bounds()
    {
        var (first, _, ids) = TwoEpochs();
        using var weighter = new BtwWeighter(new BtwOptions
        {
            Modalities = M, Weighting = BtwWeighting.Kl, Alpha = 0.5, AlphaStep = 0.1, AlphaMin = 0.3, AlphaMax = 0.7, MinimumMiPairs = 4, UnseenWeights = BtwUnseenWeights.Ones,
        });
        double[] losses = [1.0, 0.8, 0.9, 0.95, 0.85, 0.99, 0.5, 0.4, 0.3];
        double[] expected = [0.5, 0.4, 0.5, 0.6, 0.7, 0.7, 0.6, 0.5, 0.4];
        var alphas = new List<double>();
        for (var e = 0; e < losses.Length; e++)
        {
            Observe(weighter, first, batchSize: 6);
            var report = weighter.EndEpoch(losses[e]);
            Assert.Equal(expected[e], report.Alpha, 12);
            Assert.Equal(expected[e], weighter.Alpha, 12);
            Assert.Equal(losses[e], report.ValidationLoss);
            alphas.Add(report.Alpha);
        }

        Assert.Equal(0.3, weighter.BestValidationLoss);
        AssertWeights(Expected(BtwWeighting.Kl, Enumerable.Repeat(first, losses.Length).ToList(), ids, 4, new Knobs(Alphas: [.. alphas])), weighter, ids);

        // A non-finite loss is refused and changes nothing.
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => weighter.EndEpoch(double.NaN));
        Assert.Equal("validationLoss", ex.ParamName);
        Assert.Equal(losses.Length, weighter.CompletedEpochs);
        Assert.Equal(0.4, weighter.Alpha, 12);
    }

    [Fact]
    public void Alpha_stays_fixed_without_a_step_and_the_plain_EndEpoch_never_moves_it()
    {
        var (first, _, _) = TwoEpochs();
        using var fixedAlpha = new BtwWeighter(new BtwOptions { Modalities = M, Weighting = BtwWeighting.KlMi, Alpha = 0.5, MinimumMiPairs = 4 });
        using var stepping = new BtwWeighter(new BtwOptions { Modalities = M, Weighting = BtwWeighting.KlMi, Alpha = 0.5, AlphaStep = 0.2, MinimumMiPairs = 4 });
        foreach (var loss in new[] { 1.0, 2.0, 3.0 })
        {
            Observe(fixedAlpha, first, batchSize: 6);
            Assert.Equal(0.5, fixedAlpha.EndEpoch(loss).Alpha);
            Observe(stepping, first, batchSize: 6);
            Assert.Equal(0.5, stepping.EndEpoch().Alpha);
        }
    }

    [Theory]
    [InlineData(BtwWeighting.Kl, false)]
    [InlineData(BtwWeighting.KlMi, false)]
    [InlineData(BtwWeighting.KlMi, true)]
    [InlineData(BtwWeighting.Mi, false)]
    public void WeightsFromOutputs_is_alpha_times_the_fresh_weights_plus_one_minus_alpha_times_the_mean_weights(BtwWeighting mode, bool agreement)
    {
        var (first, second, _) = TwoEpochs();
        using var weighter = new BtwWeighter(new BtwOptions
        {
            Modalities = M, Weighting = mode, MinimumMiPairs = 4, Alpha = 0.4, UnseenWeights = BtwUnseenWeights.FromOutputs,
            InstanceTerm = agreement ? BtwInstanceTerm.Agreement : BtwInstanceTerm.Disagreement,
        });
        Observe(weighter, first, batchSize: 5);
        weighter.EndEpoch();
        Observe(weighter, second, batchSize: 5);
        var last = weighter.EndEpoch();
        var means = weighter.MeanWeights.Select(v => v * M / weighter.MeanWeights.Sum()).ToArray(); // as WeightsForUnseen applies them
        var ibar = last.Modalities.Select(r => r.NormalizedMutualInformation).ToArray();

        // Unseen rows, all present (modality 2 was missing in a third of the training rows, so the mean weights do not
        // sum to M: the starting point is the mean-weight row rescaled to sum to M, as WeightsForUnseen gives it).
        var unseen = Rounded(Epoch(seed: 99, count: 6)).Select(r => r with { Present = [true, true, true] }).ToList();
        using var scope = NewDisposeScope();
        var (uni, multi, present) = Tensors(unseen);
        var actual = weighter.WeightsFromOutputs(uni, multi, present).data<float>().ToArray();
        for (var i = 0; i < unseen.Count; i++)
        {
            var pz = HandMath.Softmax(unseen[i].Multi);
            var d = unseen[i].Uni.Select(u => HandMath.Kl(HandMath.Softmax(u), pz)).Select(v => agreement ? Math.Exp(-v) : v).ToArray();
            var raw = Enumerable.Range(0, M).Select(m => mode switch
            {
                BtwWeighting.Kl => d[m] / d.Sum(),
                BtwWeighting.KlMi => d[m] / d.Sum() * ibar[m],
                _ => ibar[m],
            }).ToArray();
            for (var m = 0; m < M; m++)
            {
                var fresh = raw[m] / raw.Sum() * M;
                var expected = (0.4 * fresh) + (0.6 * means[m]);
                Assert.True(Math.Abs(expected - actual[(i * M) + m]) < 3e-6, $"row {i}, modality {m}: expected {expected}, got {actual[(i * M) + m]}");
            }
        }

        // Nothing was stored, and the same outputs under the other settings give the static unseen weights.
        Assert.Equal(12, weighter.Count);
        Assert.Equal(0, weighter.PendingObservations);
    }

    [Fact]
    public void WeightsFromOutputs_under_Ones_and_ModalityMean_and_before_any_fold_gives_the_static_unseen_weights()
    {
        var (first, _, _) = TwoEpochs();
        var rows = Rounded(Epoch(seed: 7, count: 4));
        foreach (var unseenSetting in new[] { BtwUnseenWeights.Ones, BtwUnseenWeights.ModalityMean, BtwUnseenWeights.FromOutputs })
        {
            using var weighter = new BtwWeighter(new BtwOptions { Modalities = M, Weighting = BtwWeighting.KlMi, MinimumMiPairs = 4, UnseenWeights = unseenSetting });
            using var scope = NewDisposeScope();
            var (uni, multi, present) = Tensors(rows);

            // Before any fold: ones (the mean weights are ones), missing modalities 0, rows summing to the number present.
            var before = weighter.WeightsFromOutputs(uni, multi, present).data<float>().ToArray();
            AssertRows(rows, before, (_, _) => 1.0);

            Observe(weighter, first, batchSize: 6);
            weighter.EndEpoch();
            var after = weighter.WeightsFromOutputs(uni, multi, present).data<float>().ToArray();
            var forUnseen = weighter.WeightsForUnseen(present).data<float>().ToArray();
            if (unseenSetting == BtwUnseenWeights.Ones)
            {
                AssertRows(rows, after, (_, _) => 1.0);
            }
            else if (unseenSetting == BtwUnseenWeights.ModalityMean)
            {
                Assert.Equal(forUnseen, after);
            }
            else
            {
                Assert.NotEqual(forUnseen, after);
            }
        }

        static void AssertRows(List<Row> rows, float[] values, Func<int, int, double> presentValue)
        {
            for (var i = 0; i < rows.Count; i++)
            {
                for (var m = 0; m < M; m++)
                {
                    Assert.Equal(rows[i].Present[m] ? presentValue(i, m) : 0.0, values[(i * M) + m], 6);
                }
            }
        }
    }

    [Fact]
    public void MeanWeights_run_over_the_rows_where_the_modality_was_present()
    {
        // Modality 2 is missing for every third row; its stored weight there stays at the initial 1 and must not count.
        var (first, _, ids) = TwoEpochs();
        using var weighter = new BtwWeighter(new BtwOptions { Modalities = M, Weighting = BtwWeighting.Kl, MinimumMiPairs = 4, UnseenWeights = BtwUnseenWeights.ModalityMean });
        Observe(weighter, first, batchSize: 5);
        weighter.EndEpoch();
        var expected = Expected(BtwWeighting.Kl, [first], ids, 4);
        for (var m = 0; m < M; m++)
        {
            var rows = Enumerable.Range(0, first.Count).Where(i => first[i].Present[m]).ToList();
            Assert.Equal(rows.Average(i => expected[i, m]), weighter.MeanWeights[m], 5);
        }

        Assert.Equal(8, first.Count(r => r.Present[2]));
        var biased = Enumerable.Range(0, first.Count).Average(i => first[i].Present[2] ? expected[i, 2] : 1.0);
        Assert.True(Math.Abs(biased - weighter.MeanWeights[2]) > 1e-3, "the mean must leave out the rows where modality 2 was missing");

        // The same means survive a save and load (the presence marks are part of the saved state).
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"btw-means-{Guid.NewGuid():N}.btw");
        try
        {
            weighter.Save(path);
            using var loaded = BtwWeighter.Load(path);
            Assert.Equal(weighter.MeanWeights, loaded.MeanWeights);
        }
        finally
        {
            System.IO.File.Delete(path);
        }
    }

    private static (Tensor[] Uni, Tensor Multi, Tensor Present) Tensors(IReadOnlyList<Row> rows)
    {
        var multi = tensor(rows.SelectMany(r => r.Multi).Select(v => (float)v).ToArray(), new long[] { rows.Count, C });
        var uni = Enumerable.Range(0, M)
            .Select(m => tensor(rows.SelectMany(r => r.Uni[m]).Select(v => (float)v).ToArray(), new long[] { rows.Count, C }))
            .ToArray();
        var present = tensor(rows.SelectMany(r => r.Present).ToArray(), new long[] { rows.Count, M });
        return (uni, multi, present);
    }
}
