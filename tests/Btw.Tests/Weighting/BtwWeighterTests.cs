using System;
using System.Linq;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Btw.Tests.Weighting;

public class BtwWeighterTests
{
    [Fact]
    public void Unseen_ids_get_ones_of_the_right_shape_dtype_and_device_without_gradient()
    {
        using var scope = NewDisposeScope();
        using var weighter = new BtwWeighter(new BtwOptions { Modalities = 4, UnseenWeights = BtwUnseenWeights.Ones });
        var w = weighter.WeightsFor(tensor(new long[] { 0, 17, 1L << 40 }));
        Assert.Equal(new long[] { 3, 4 }, w.shape);
        Assert.Equal(ScalarType.Float32, w.dtype);
        Assert.Equal(DeviceType.CPU, w.device_type);
        Assert.False(w.requires_grad);
        Assert.All(w.data<float>().ToArray(), v => Assert.Equal(1f, v));
    }

    [Fact]
    public void The_state_per_example_is_192_bytes_at_four_modalities()
    {
        // Worked out by hand, not from the implementation: stored weights 4 x 4 bytes + 4 presence marks + id 8 + dense
        // id index entry 4 = 32; one epoch row: id 8 + 4 flags + 18 float64 values (divergence 4, value 5, confidence 4,
        // agreement 5) = 144 + dense index 4 = 160; 32 + 160 = 192 (the figure the docs quote, for ids 0 .. N - 1).
        using var weighter = new BtwWeighter(new BtwOptions { Modalities = 4 });
        Assert.Equal(192, weighter.BytesPerExample);
    }

    [Fact]
    public void Defaults_follow_Recommended_for_the_task()
    {
        Assert.Equal(BtwOptions.Recommended(2, BtwTask.Classification).Weighting, new BtwOptions { Modalities = 2 }.Weighting);
        Assert.Equal(BtwOptions.Recommended(2, BtwTask.Regression).Weighting, new BtwOptions { Modalities = 2, Task = BtwTask.Regression }.Weighting);
        Assert.Equal(BtwWeighting.Mi, new BtwOptions { Modalities = 2, Task = BtwTask.Regression, Weighting = BtwWeighting.Mi }.Weighting);
    }

    [Fact]
    public void Regression_Kl_weights_equal_the_squared_difference_shares_after_one_epoch()
    {
        using var scope = NewDisposeScope();
        using var weighter = new BtwWeighter(new BtwOptions { Modalities = 2, Task = BtwTask.Regression, Weighting = BtwWeighting.Kl, Alpha = 0.5 });
        var multi = tensor(new[] { 0f, 0f, 5f });
        var u0 = tensor(new[] { 1f, 3f, 5f });   // squared differences 1, 9, 0
        var u1 = tensor(new[] { 3f, 1f, 5f });   // 9, 1, 0
        weighter.Observe(tensor(new long[] { 10, 20, 30 }), [u0, u1], multi);
        var report = weighter.EndEpoch();
        var w = weighter.WeightsFor(tensor(new long[] { 10, 20, 30 })).data<float>().ToArray();

        // New weight = 2 * d / (d0 + d1); EMA with 1: 0.5 * new + 0.5. Row 3 has no divergence: uniform.
        Assert.Equal(0.5 + (0.5 * 2 * 0.1), w[0], 6);
        Assert.Equal(0.5 + (0.5 * 2 * 0.9), w[1], 6);
        Assert.Equal(0.5 + (0.5 * 2 * 0.9), w[2], 6);
        Assert.Equal(0.5 + (0.5 * 2 * 0.1), w[3], 6);
        Assert.Equal(1f, w[4], 6);
        Assert.Equal(1f, w[5], 6);
        Assert.Equal(3, report.Observed);
        Assert.All(report.Modalities, m => Assert.False(m.MutualInformationDefined)); // 3 pairs < 10
    }

    [Fact]
    public void Presence_overload_zeroes_missing_modalities_and_rescales_rows_to_the_present_count()
    {
        using var scope = NewDisposeScope();
        using var weighter = new BtwWeighter(new BtwOptions { Modalities = 3, Task = BtwTask.Regression, Weighting = BtwWeighting.Kl, Alpha = 1.0, UnseenWeights = BtwUnseenWeights.Ones });
        weighter.Observe(tensor(new long[] { 1 }), [tensor(new[] { 1f }), tensor(new[] { 2f }), tensor(new[] { 3f })], tensor(new[] { 0f }));
        weighter.EndEpoch();
        var stored = weighter.WeightsFor(tensor(new long[] { 1 })).data<float>().ToArray();
        Assert.Equal(new[] { 3f / 14, 12f / 14, 27f / 14 }, stored.Select(v => MathF.Round(v, 5)).ToArray(), (a, b) => MathF.Abs(a - b) < 1e-5f);

        var present = tensor(new[] { true, false, true }, new long[] { 1, 3 });
        var applied = weighter.WeightsFor(tensor(new long[] { 1 }), present).data<float>().ToArray();
        Assert.Equal(0f, applied[1]);
        Assert.Equal(2.0, applied[0] + applied[2], 5);
        Assert.Equal(27.0 / 3, applied[2] / applied[0], 4);

        var fresh = weighter.WeightsFor(tensor(new long[] { 99 }), present).data<float>().ToArray();
        Assert.Equal(new[] { 1f, 0f, 1f }, fresh);
    }

    [Fact]
    public void SumToOne_scale_reproduces_the_reference_drift_toward_one_over_M()
    {
        using var scope = NewDisposeScope();
        using var weighter = new BtwWeighter(new BtwOptions { Modalities = 4, Weighting = BtwWeighting.Uniform, Scale = BtwScale.SumToOne, Alpha = 0.5 });
        var ids = tensor(new long[] { 0, 1 });
        var logits = Enumerable.Range(0, 4).Select(_ => randn(2, 3)).ToList();
        for (var e = 0; e < 3; e++)
        {
            weighter.Observe(ids, logits, randn(2, 3));
            weighter.EndEpoch();
        }

        // 1 -> 0.625 -> 0.4375 -> 0.34375 (w <- 0.5 * 0.25 + 0.5 * w).
        Assert.All(weighter.WeightsFor(ids).data<float>().ToArray(), v => Assert.Equal(0.34375f, v, 6));
    }

    [Fact]
    public void Merging_two_workers_equals_observing_everything_in_one()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        var ids = arange(40, dtype: ScalarType.Int64) * 3;
        var uni = Enumerable.Range(0, 3).Select(_ => randn(40, 5)).ToList();
        var multi = randn(40, 5);
        var options = new BtwOptions { Modalities = 3, Weighting = BtwWeighting.KlMi };
        using var single = new BtwWeighter(options);
        single.Observe(ids, uni, multi);
        using var left = new BtwWeighter(options);
        using var right = new BtwWeighter(options);
        left.Observe(ids[..25], uni.Select(u => u[..25]).ToList(), multi[..25]);
        right.Observe(ids[25..], uni.Select(u => u[25..]).ToList(), multi[25..]);
        left.MergeObservations(right);
        var a = single.EndEpoch();
        var b = left.EndEpoch();
        Assert.Equal(a.Modalities.Select(m => m.MutualInformation), b.Modalities.Select(m => m.MutualInformation));
        Assert.Equal(single.WeightsFor(ids).data<float>().ToArray(), left.WeightsFor(ids).data<float>().ToArray());
    }

    [Fact]
    public void An_id_observed_twice_in_an_epoch_uses_its_last_observation()
    {
        using var scope = NewDisposeScope();
        var options = new BtwOptions { Modalities = 2, Task = BtwTask.Regression, Weighting = BtwWeighting.Kl };
        using var twice = new BtwWeighter(options);
        using var once = new BtwWeighter(options);
        var id = tensor(new long[] { 4 });
        twice.Observe(id, [tensor(new[] { 5f }), tensor(new[] { 1f })], tensor(new[] { 0f }));
        twice.Observe(id, [tensor(new[] { 1f }), tensor(new[] { 2f })], tensor(new[] { 0f }));
        once.Observe(id, [tensor(new[] { 1f }), tensor(new[] { 2f })], tensor(new[] { 0f }));
        Assert.Equal(1, twice.PendingObservations);
        Assert.Equal(once.EndEpoch().Observed, twice.EndEpoch().Observed);
        Assert.Equal(once.WeightsFor(id).data<float>().ToArray(), twice.WeightsFor(id).data<float>().ToArray());
    }

    [Fact]
    public void The_report_table_lists_every_modality()
    {
        using var scope = NewDisposeScope();
        using var weighter = new BtwWeighter(new BtwOptions { Modalities = 2, Weighting = BtwWeighting.KlMi });
        weighter.Observe(arange(20, dtype: ScalarType.Int64), [randn(20, 3), randn(20, 3)], randn(20, 3));
        var table = weighter.EndEpoch().ToTable();
        Assert.Contains("epoch 1: KlMi", table, StringComparison.Ordinal);
        Assert.Equal(4, table.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }
}

public class UnseenWeightsTests
{
    private static BtwWeighter Trained(BtwUnseenWeights unseen)
    {
        var weighter = new BtwWeighter(new BtwOptions { Modalities = 2, Task = BtwTask.Regression, Weighting = BtwWeighting.Kl, Alpha = 1.0, UnseenWeights = unseen });
        using var scope = NewDisposeScope();

        // Divergences (0.5, 4.5) for id 1 and (2, 0) for id 2: new weights (0.2, 1.8) and (2, 0); means (1.1, 0.9).
        weighter.Observe(tensor(new long[] { 1, 2 }), [tensor(new[] { 1f, 2f }), tensor(new[] { 3f, 0f })], tensor(new[] { 0f, 0f }));
        weighter.EndEpoch();
        return weighter;
    }

    [Fact]
    public void Mean_weights_are_the_modality_means_over_every_folded_example()
    {
        using var fresh = new BtwWeighter(new BtwOptions { Modalities = 2 });
        Assert.Equal([1.0, 1.0], fresh.MeanWeights);
        using var weighter = Trained(BtwUnseenWeights.Ones);
        Assert.Equal(1.1, weighter.MeanWeights[0], 6);
        Assert.Equal(0.9, weighter.MeanWeights[1], 6);
    }

    [Fact]
    public void Unseen_ids_get_ones_or_the_mean_weights_as_asked()
    {
        using var scope = NewDisposeScope();
        using var ones = Trained(BtwUnseenWeights.Ones);
        using var mean = Trained(BtwUnseenWeights.ModalityMean);
        var id = tensor(new long[] { 77 });
        Assert.Equal(new[] { 1f, 1f }, ones.WeightsFor(id).data<float>().ToArray());
        Assert.Equal(new[] { 1.1f, 0.9f }, mean.WeightsFor(id).data<float>().ToArray());
        Assert.Equal(ones.WeightsFor(tensor(new long[] { 1 })).data<float>().ToArray(), mean.WeightsFor(tensor(new long[] { 1 })).data<float>().ToArray());
    }

    [Theory]
    [InlineData(BtwUnseenWeights.Ones, 1f, 1f)]
    [InlineData(BtwUnseenWeights.ModalityMean, 1.1f, 0.9f)]
    [InlineData(BtwUnseenWeights.FromOutputs, 1.1f, 0.9f)]
    public void Weights_for_unseen_examples_are_the_unseen_row_of_the_setting_with_presence_applied(BtwUnseenWeights unseen, float first, float second)
    {
        using var scope = NewDisposeScope();
        using var weighter = Trained(unseen);
        var present = tensor(new[] { 1, 1, 0, 1 }, new long[] { 2, 2 });
        var w = weighter.WeightsForUnseen(present).data<float>().ToArray();
        Assert.Equal(first, w[0], 6);
        Assert.Equal(second, w[1], 6);
        Assert.Equal([0f, 1f], w[2..]);

        // The same row as WeightsFor gives an id never folded in.
        var never = weighter.WeightsFor(tensor(new long[] { 999 })).data<float>().ToArray();
        Assert.Equal(w[..2], never);
        var ex = Assert.Throws<ArgumentException>(() => weighter.WeightsForUnseen(ones(2, 3)));
        Assert.Equal("present", ex.ParamName);
    }

    [Fact]
    public void The_option_and_the_means_survive_save_and_load()
    {
        using var scope = NewDisposeScope();
        using var weighter = Trained(BtwUnseenWeights.ModalityMean);
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"btw-unseen-{Environment.ProcessId}.state");
        try
        {
            weighter.Save(path);
            using var loaded = BtwWeighter.Load(path);
            Assert.Equal(BtwUnseenWeights.ModalityMean, loaded.Options.UnseenWeights);
            Assert.Equal(weighter.MeanWeights, loaded.MeanWeights);
            Assert.Equal(new[] { 1.1f, 0.9f }, loaded.WeightsFor(tensor(new long[] { 5 })).data<float>().ToArray());
        }
        finally
        {
            System.IO.File.Delete(path);
        }
    }
}
