using System;
using System.IO;
using System.Linq;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Btw.Tests.Modules;

[Collection(TorchGlobalStateGroup.Name)]
public class BtwMixtureOfExpertsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    public void Forward_returns_documented_shapes_for_any_number_of_modalities(int modalities)
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        var widths = Enumerable.Range(0, modalities).Select(m => 3 + m).ToArray();
        using var model = new LinearEncoderModel(TestData.Options(modalities, outputs: 3), widths);
        var inputs = widths.Select((w, m) => randn(6, w)).ToArray();

        using var output = model.call(new BtwInput(inputs));

        Assert.Equal(new long[] { 6, 3 }, output.Multimodal.shape);
        Assert.Equal(modalities, output.Unimodal.Count);
        Assert.All(output.Unimodal, u => Assert.Equal(new long[] { 6, 3 }, u.shape));
        Assert.Equal(0, output.AuxiliaryLoss.dim());
        Assert.Null(output.Present);
        Assert.True(float.IsFinite(output.Multimodal.sum().item<float>()));
    }

    [Theory]
    [InlineData(BtwGating.Laplace, BtwRouter.PerModality, BtwPooling.Mean)]
    [InlineData(BtwGating.Laplace, BtwRouter.Shared, BtwPooling.Concatenate)]
    [InlineData(BtwGating.Softmax, BtwRouter.PerModality, BtwPooling.Concatenate)]
    [InlineData(BtwGating.Softmax, BtwRouter.Shared, BtwPooling.Mean)]
    public void Evaluation_output_matches_a_dense_per_token_reference(BtwGating gating, BtwRouter router, BtwPooling pooling)
    {
        using var scope = NewDisposeScope();
        manual_seed(2);
        var options = TestData.Options(3, dim: 5, outputs: 2, experts: 6, topK: 2);
        options.Gating = gating;
        options.Router = router;
        options.Pooling = pooling;
        using var model = new IdentityEncoderModel(options);
        model.eval();
        var inputs = TestData.Inputs(3, 7, 5, seed: 3);
        var weights = rand(7, 3) * 2;
        var present = tensor(new[]
        {
            true, true, true, false, true, true, true, false, true, true, true, false,
            false, false, true, true, true, true, false, true, false,
        }, new long[] { 7, 3 });

        using var output = model.call(new BtwInput(inputs, weights, present));
        var reference = new DenseReference(model);
        var expected = reference.Multimodal(DenseReference.Flatten(inputs), 7, TestData.Values(weights), present.data<bool>().ToArray());

        var actual = TestData.Values(output.Multimodal);
        for (var i = 0; i < 7; i++)
        {
            for (var o = 0; o < 2; o++)
            {
                Assert.Equal(expected[i][o], actual[i * 2 + o], 4);
            }
        }
    }

    [Fact]
    public void Only_the_chosen_experts_run_and_each_processes_exactly_its_routed_tokens()
    {
        using var scope = NewDisposeScope();
        manual_seed(4);
        var options = TestData.Options(3, dim: 6, experts: 8, topK: 2);
        using var model = new IdentityEncoderModel(options);
        model.eval();
        var inputs = TestData.Inputs(3, 10, 6, seed: 5);
        var present = ones(10, 3, ScalarType.Bool);
        present[0, 1] = false;
        present[4, 2] = false;
        present[9, 0] = false;
        model.ResetExpertRows();

        using var output = model.call(new BtwInput(inputs, Present: present));

        var rows = model.ExpertRowsProcessed();
        var reference = new DenseReference(model);
        reference.Multimodal(DenseReference.Flatten(inputs), 10, present: present.data<bool>().ToArray());
        Assert.Equal((10 * 3 - 3) * 2, rows.Sum());          // present tokens x TopK, not tokens x Experts
        Assert.Equal(reference.ExpertCounts, rows);
    }

    [Fact]
    public void Rows_processed_scale_with_TopK_not_with_the_number_of_experts()
    {
        using var scope = NewDisposeScope();
        var counts = new long[3];
        var topKs = new[] { 1, 2, 8 };
        for (var t = 0; t < topKs.Length; t++)
        {
            manual_seed(6);
            using var model = new IdentityEncoderModel(TestData.Options(2, dim: 4, experts: 8, topK: topKs[t]));
            model.ResetExpertRows();
            using var output = model.call(new BtwInput(TestData.Inputs(2, 16, 4, seed: 7)));
            counts[t] = model.ExpertRowsProcessed().Sum();
        }

        Assert.Equal(new long[] { 32, 64, 256 }, counts);   // 32 tokens x k
    }

    [Fact]
    public void Missing_modalities_do_not_influence_the_multimodal_output()
    {
        using var scope = NewDisposeScope();
        manual_seed(8);
        using var model = new LinearEncoderModel(TestData.Options(3), 4, 4, 4);
        model.eval();
        // Clones, so that both batches live in torch-allocated (equally aligned) memory: BLAS results may differ in the
        // last bit between differently aligned buffers, and this test compares exactly.
        var inputs = TestData.Inputs(3, 5, 4, seed: 9).Select(t => t.clone()).ToArray();
        var present = tensor(new[] { 1f, 0f, 1f, 1f, 1f, 0f, 0f, 1f, 1f, 1f, 1f, 1f, 0f, 0f, 1f }, new long[] { 5, 3 });
        var changed = inputs.Select(t => t.clone()).ToArray();
        changed[1][0].fill_(100f);   // example 0 misses modality 1
        changed[2][1].fill_(-50f);   // example 1 misses modality 2
        changed[0][2].fill_(7f);     // example 2 misses modality 0

        using var a = model.call(new BtwInput(inputs, Present: present));
        using var b = model.call(new BtwInput(changed, Present: present));

        Assert.Equal(TestData.Values(a.Multimodal), TestData.Values(b.Multimodal));
        Assert.Equal(ScalarType.Bool, a.Present!.dtype);
        Assert.Equal(present.ne(0).data<bool>().ToArray(), a.Present.data<bool>().ToArray());
    }

    [Fact]
    public void Weights_scale_the_tokens_and_unit_weights_equal_no_weights()
    {
        using var scope = NewDisposeScope();
        manual_seed(10);
        using var model = new IdentityEncoderModel(TestData.Options(2, dim: 4));
        model.eval();
        var inputs = TestData.Inputs(2, 6, 4, seed: 11);
        var weights = rand(6, 2) + 0.5;

        using var none = model.call(new BtwInput(inputs));
        using var unit = model.call(new BtwInput(inputs, ones(6, 2)));
        using var weighted = model.call(new BtwInput(inputs, weights));
        var prescaled = inputs.Select((x, m) => x * weights[.., m].unsqueeze(1)).ToArray();
        using var scaledInputs = model.call(new BtwInput(prescaled));

        Assert.Equal(TestData.Values(none.Multimodal), TestData.Values(unit.Multimodal));
        AssertClose(TestData.Values(scaledInputs.Multimodal), TestData.Values(weighted.Multimodal), 1e-5);
        // The unimodal heads read the unweighted embeddings.
        for (var m = 0; m < 2; m++)
        {
            Assert.Equal(TestData.Values(none.Unimodal[m]), TestData.Values(weighted.Unimodal[m]));
        }

        Assert.NotEqual(TestData.Values(none.Multimodal), TestData.Values(weighted.Multimodal));
    }

    [Fact]
    public void Weights_get_no_gradient_while_encoders_heads_experts_and_routers_do()
    {
        using var scope = NewDisposeScope();
        manual_seed(12);
        using var model = new LinearEncoderModel(TestData.Options(3, outputs: 3), 4, 5, 6);
        model.train();
        var inputs = new[] { randn(8, 4), randn(8, 5), randn(8, 6) };
        var weights = (rand(8, 3) + 0.5).requires_grad_(true);
        var target = randint(0, 3, new long[] { 8 });

        using var output = model.call(new BtwInput(inputs, weights));
        var loss = BtwLoss.Compute(output, target);
        loss.backward();

        Assert.Null(weights.grad);
        var grads = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad);
        foreach (var name in new[] { "btw_unimodal_heads.0.weight", "btw_unimodal_heads.2.weight", "encoders.1.0.weight", "btw_moe.gate", "btw_multimodal_head.weight" })
        {
            Assert.True(grads.ContainsKey(name), $"parameter {name} is not registered");
            Assert.NotNull(grads[name]);
            Assert.True(grads[name]!.abs().sum().item<float>() > 0, $"parameter {name} has a zero gradient");
        }
    }

    [Fact]
    public void A_unimodal_head_learns_only_from_its_own_loss()
    {
        using var scope = NewDisposeScope();
        manual_seed(13);
        using var model = new LinearEncoderModel(TestData.Options(2, outputs: 3), 4, 4);
        var inputs = new[] { randn(8, 4), randn(8, 4) };
        var target = randint(0, 3, new long[] { 8 });

        using var output = model.call(new BtwInput(inputs));
        BtwLoss.Compute(output, target, new BtwLossOptions { UnimodalWeight = 0 }).backward();

        var head = model.named_parameters().Single(p => p.name == "btw_unimodal_heads.0.weight").parameter;
        Assert.True(head.grad is null || head.grad.abs().sum().item<float>() == 0f);
    }

    [Fact]
    public void Evaluation_is_deterministic_and_training_adds_gate_noise_and_dropout()
    {
        using var scope = NewDisposeScope();
        manual_seed(14);
        var options = TestData.Options(3, dim: 8, experts: 8, topK: 2);
        var inputs = TestData.Inputs(3, 32, 8, seed: 15);

        options.NoisyGating = true;
        options.Dropout = 0;
        using var noisy = new IdentityEncoderModel(options);
        noisy.eval();
        Assert.Equal(Run(noisy, inputs), Run(noisy, inputs));
        noisy.train();
        Assert.NotEqual(Run(noisy, inputs), Run(noisy, inputs));

        options.NoisyGating = false;
        using var quiet = new IdentityEncoderModel(options);
        quiet.train();
        Assert.Equal(Run(quiet, inputs), Run(quiet, inputs));

        options.Dropout = 0.5;
        using var dropping = new IdentityEncoderModel(options);
        dropping.train();
        Assert.NotEqual(Run(dropping, inputs), Run(dropping, inputs));
        dropping.eval();
        Assert.Equal(Run(dropping, inputs), Run(dropping, inputs));
    }

    [Fact]
    public void Save_and_load_round_trip_gives_identical_outputs()
    {
        using var scope = NewDisposeScope();
        var options = TestData.Options(3, dim: 6, outputs: 2, experts: 4);
        var path = Path.Combine(Path.GetTempPath(), $"btw-moe-{Guid.NewGuid():N}.bin");
        try
        {
            manual_seed(16);
            using var original = new LinearEncoderModel(options, 3, 4, 5);
            // Move the parameters away from their initial values first.
            using (var optimizer = optim.Adam(original.parameters(), 0.05))
            {
                for (var step = 0; step < 3; step++)
                {
                    using var stepScope = NewDisposeScope();
                    optimizer.zero_grad();
                    using var o = original.call(new BtwInput(new[] { randn(8, 3), randn(8, 4), randn(8, 5) }));
                    BtwLoss.Compute(o, randint(0, 2, new long[] { 8 })).backward();
                    optimizer.step();
                }
            }

            original.save(path);
            manual_seed(17);
            using var restored = new LinearEncoderModel(options, 3, 4, 5);
            original.eval();
            restored.eval();
            var inputs = new[] { randn(5, 3), randn(5, 4), randn(5, 5) };
            var present = tensor(new[] { 1, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1 }, new long[] { 5, 3 });
            var before = Run(restored, inputs, present);

            restored.load(path);

            Assert.NotEqual(Run(original, inputs, present), before);
            Assert.Equal(Run(original, inputs, present), Run(restored, inputs, present));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Output_tensors_are_on_the_input_device_and_dtype()
    {
        using var scope = NewDisposeScope();
        manual_seed(18);
        using var model = new IdentityEncoderModel(TestData.Options(2, dim: 4));
        model.to(ScalarType.Float64);
        var inputs = new[] { randn(3, 4, ScalarType.Float64), randn(3, 4, ScalarType.Float64) };

        using var output = model.call(new BtwInput(inputs, ones(3, 2, ScalarType.Float32), ones(3, 2, ScalarType.Int32)));

        Assert.Equal(ScalarType.Float64, output.Multimodal.dtype);
        Assert.Equal(ScalarType.Float64, output.AuxiliaryLoss.dtype);
        Assert.Equal(inputs[0].device_type, output.Multimodal.device_type);
        Assert.Equal(inputs[0].device_index, output.Multimodal.device_index);
        Assert.All(output.Unimodal, u => Assert.Equal(ScalarType.Float64, u.dtype));
    }

    [Fact]
    public void Forward_leaks_no_tensors_and_output_dispose_releases_them()
    {
        using var scope = NewDisposeScope();
        manual_seed(19);
        using var model = new LinearEncoderModel(TestData.Options(3), 4, 4, 4);
        var inputs = TestData.Inputs(3, 8, 4, seed: 20);
        var present = ones(8, 3, ScalarType.Bool);
        present[2, 1] = false;
        var target = tensor(new long[] { 0, 1, 2, 0, 1, 2, 0, 1 });
        var statistics = DisposeScopeManager.Statistics;
        var live = statistics.ThreadTotalLiveCount;

        for (var step = 0; step < 3; step++)
        {
            using var stepScope = NewDisposeScope();
            using var output = model.call(new BtwInput(inputs, rand(8, 3), present));
            BtwLoss.Compute(output, target).backward();
        }

        model.zero_grad();
        // Gradients are kept by the parameters (once created, their count is fixed), so compare after a warm-up step.
        var afterWarmup = statistics.ThreadTotalLiveCount;
        for (var step = 0; step < 5; step++)
        {
            using var stepScope = NewDisposeScope();
            using var output = model.call(new BtwInput(inputs, rand(8, 3), present));
            BtwLoss.Compute(output, target).backward();
        }

        Assert.Equal(afterWarmup, statistics.ThreadTotalLiveCount);
        Assert.True(afterWarmup >= live);

        BtwOutput kept;
        using (NewDisposeScope())
        {
            kept = model.call(new BtwInput(inputs, Present: present));
            kept.Dispose();
            Assert.True(kept.Multimodal.IsInvalid);
            Assert.All(kept.Unimodal, u => Assert.True(u.IsInvalid));
            Assert.True(kept.AuxiliaryLoss.IsInvalid);
            Assert.True(kept.Present!.IsInvalid);
            kept.Dispose();
        }
    }

    [Fact]
    public void Wrong_number_of_modality_tensors_is_rejected()
    {
        using var scope = NewDisposeScope();
        using var model = new IdentityEncoderModel(TestData.Options(3, dim: 4));
        var ex = Assert.Throws<ArgumentException>(() => model.call(new BtwInput(new[] { randn(2, 4), randn(2, 4) })));
        Assert.Equal("input", ex.ParamName);
        Assert.Contains("has 2 tensors", ex.Message, StringComparison.Ordinal);
        Assert.Contains("M = 3", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Modalities_with_different_batch_sizes_are_rejected()
    {
        using var scope = NewDisposeScope();
        using var model = new IdentityEncoderModel(TestData.Options(2, dim: 4));
        var ex = Assert.Throws<ArgumentException>(() => model.call(new BtwInput(new[] { randn(2, 4), randn(3, 4) })));
        Assert.Contains("modality 1", ex.Message, StringComparison.Ordinal);
        Assert.Contains("[3, 4]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("B = 2", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Weights", 2, 4)]
    [InlineData("Weights", 3, 3)]
    [InlineData("Present", 2, 2)]
    [InlineData("Present", 2, 0)]
    public void Weights_or_Present_not_B_by_M_are_rejected(string which, long rows, long cols)
    {
        using var scope = NewDisposeScope();
        using var model = new IdentityEncoderModel(TestData.Options(3, dim: 4));
        var inputs = new[] { randn(2, 4), randn(2, 4), randn(2, 4) };
        var bad = cols == 0 ? ones(rows) : ones(rows, cols);
        var input = which == "Weights" ? new BtwInput(inputs, Weights: bad) : new BtwInput(inputs, Present: bad);

        var ex = Assert.Throws<ArgumentException>(() => model.call(input));

        Assert.Contains("BtwInput." + which, ex.Message, StringComparison.Ordinal);
        Assert.Contains("expected [B, M] = [2, 3]", ex.Message, StringComparison.Ordinal);
        Assert.Contains(cols == 0 ? $"[{rows}]" : $"[{rows}, {cols}]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_encoder_returning_the_wrong_shape_is_rejected_with_the_modality()
    {
        using var scope = NewDisposeScope();
        using var model = new WrongWidthModel(TestData.Options(3, dim: 8), badModality: 1);
        var inputs = new[] { randn(4, 8), randn(4, 8), randn(4, 8) };

        var ex = Assert.Throws<ArgumentException>(() => model.call(new BtwInput(inputs)));

        Assert.Contains("Encode(modality 1)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("[4, 9]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("[4, 8]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_subclass_that_does_not_register_its_components_is_told_so()
    {
        using var scope = NewDisposeScope();
        using var model = new UnregisteredModel(TestData.Options(1, dim: 4));
        var ex = Assert.Throws<InvalidOperationException>(() => model.call(new BtwInput(new[] { randn(2, 4) })));
        Assert.Contains("RegisterComponents()", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Encoder_parameters_are_registered_and_base_components_are_named_btw()
    {
        using var model = new LinearEncoderModel(TestData.Options(2, dim: 4, experts: 3), 5, 6);
        var names = model.named_parameters().Select(p => p.name).ToHashSet();
        Assert.Contains("encoders.0.0.weight", names);
        Assert.Contains("encoders.1.0.bias", names);
        Assert.Contains("btw_moe.gate", names);
        Assert.Contains("btw_moe.noise", names);
        Assert.Contains("btw_moe.experts.2.output.weight", names);
        Assert.Contains("btw_multimodal_head.bias", names);
        // 2 encoders (w, b) + 2 unimodal heads + gate + noise + 3 experts x 4 + multimodal head
        Assert.Equal(4 + 4 + 2 + 12 + 2, names.Count);
    }

    [Theory]
    [InlineData(nameof(BtwMoEOptions.Modalities))]
    [InlineData(nameof(BtwMoEOptions.EmbeddingDim))]
    [InlineData(nameof(BtwMoEOptions.Outputs))]
    [InlineData(nameof(BtwMoEOptions.TopK))]
    [InlineData(nameof(BtwMoEOptions.Dropout))]
    public void Out_of_range_options_are_rejected_by_name(string name)
    {
        var options = TestData.Options(2);
        switch (name)
        {
            case nameof(BtwMoEOptions.Modalities): options.Modalities = 0; break;
            case nameof(BtwMoEOptions.EmbeddingDim): options.EmbeddingDim = -1; break;
            case nameof(BtwMoEOptions.Outputs): options.Outputs = 0; break;
            case nameof(BtwMoEOptions.TopK): options.TopK = options.Experts + 1; break;
            default: options.Dropout = 1.0; break;
        }

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new IdentityEncoderModel(options));
        Assert.Equal(name, ex.ParamName);
    }

    [Fact]
    public void Options_are_copied_at_construction()
    {
        var options = TestData.Options(2, dim: 4);
        using var model = new IdentityEncoderModel(options);
        options.TopK = 1;
        options.Experts = 100;
        Assert.Equal(2, model.Options.TopK);
        Assert.Equal(4, model.Options.Experts);
        Assert.Equal(8, model.Options.ResolvedExpertHidden);
    }

    internal static float[] Run(BtwMixtureOfExperts model, Tensor[] inputs, Tensor? present = null)
    {
        using var scope = NewDisposeScope();
        using var output = model.call(new BtwInput(inputs, Present: present));
        return TestData.Values(output.Multimodal);
    }

    internal static void AssertClose(float[] expected, float[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"element {i}: expected {expected[i]}, got {actual[i]}");
        }
    }
}
