using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Btw.Tests.Modules;

/// <summary>
/// Whatever a missing modality's input holds (NaN, infinities, huge values, garbage), training must go exactly as if it
/// held zeros: the same loss, the same gradients, the same optimizer steps and the same BTW weights, bit for bit.
/// Before the module replaced missing rows by zeros, a NaN there gave NaN gradients to that modality's encoder and
/// unimodal head (a Linear weight gradient multiplies 0 by NaN) even though the loss ignored those rows.
/// </summary>
[Collection(TorchGlobalStateGroup.Name)]
public class MissingModalityInputTests
{
    private const int M = 3;
    private const int B = 8;
    private const int Width = 5;

    // Row-major [B, M]: every row has at least one modality, and each modality misses some rows.
    private static readonly bool[] Presence =
    [
        true, false, true,
        false, true, true,
        true, true, false,
        true, false, false,
        false, false, true,
        true, true, true,
        false, true, false,
        true, true, true,
    ];

    public enum Fill
    {
        NaN,
        PositiveInfinity,
        NegativeInfinity,
        Huge,
        Garbage,
    }

    [Theory]
    [InlineData(Fill.NaN, BtwPooling.Mean)]
    [InlineData(Fill.PositiveInfinity, BtwPooling.Mean)]
    [InlineData(Fill.NegativeInfinity, BtwPooling.Concatenate)]
    [InlineData(Fill.Huge, BtwPooling.Mean)]
    [InlineData(Fill.Garbage, BtwPooling.Concatenate)]
    public void Loss_gradients_optimizer_steps_and_weights_equal_those_of_zero_inputs_bit_for_bit(Fill fill, BtwPooling pooling)
    {
        var zeros = Train(MissingFilledWith(null), pooling, unimodalWeight: 1.0);
        var filled = Train(MissingFilledWith(fill), pooling, unimodalWeight: 1.0);

        Assert.All(zeros.Gradients, g => Assert.True(float.IsFinite(g), "a gradient of the zero-filled run is not finite"));
        AssertBitIdentical(zeros.Losses, filled.Losses, "losses");
        AssertBitIdentical(zeros.Gradients, filled.Gradients, "gradients");
        AssertBitIdentical(zeros.Parameters, filled.Parameters, "parameters after the optimizer steps");
        AssertBitIdentical(zeros.Weights, filled.Weights, "BTW weights after EndEpoch");
    }

    [Fact]
    public void A_NaN_in_a_missing_input_reaches_no_gradient_even_without_the_unimodal_loss()
    {
        var zeros = Train(MissingFilledWith(null), BtwPooling.Mean, unimodalWeight: 0.0);
        var filled = Train(MissingFilledWith(Fill.NaN), BtwPooling.Mean, unimodalWeight: 0.0);

        Assert.All(filled.Gradients, g => Assert.True(float.IsFinite(g), "a gradient is not finite"));
        AssertBitIdentical(zeros.Gradients, filled.Gradients, "gradients");
        AssertBitIdentical(zeros.Parameters, filled.Parameters, "parameters after the optimizer steps");
    }

    [Fact]
    public void The_unimodal_output_of_a_missing_row_is_finite_and_does_not_depend_on_the_input()
    {
        using var scope = NewDisposeScope();
        manual_seed(70);
        using var model = new LinearEncoderModel(TestData.Options(M, dim: 6, outputs: 3), Width, Width, Width);
        model.eval();
        var present = tensor(Presence, new long[] { B, M });
        using var a = model.call(new BtwInput(MissingFilledWith(null), Present: present));
        using var b = model.call(new BtwInput(MissingFilledWith(Fill.NaN), Present: present));
        for (var m = 0; m < M; m++)
        {
            var u = TestData.Values(b.Unimodal[m]);
            Assert.All(u, v => Assert.True(float.IsFinite(v)));
            AssertBitIdentical(TestData.Values(a.Unimodal[m]), u, $"unimodal output of modality {m}");
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_row_with_no_modality_present_is_refused_with_the_weighters_message(bool numericFlags)
    {
        using var scope = NewDisposeScope();
        manual_seed(71);
        using var model = new LinearEncoderModel(TestData.Options(2, dim: 4), Width, Width);
        var flags = new[] { true, true, false, true, false, false, true, false, false, false };   // rows 2 and 4 are empty
        var present = numericFlags ? tensor(flags.Select(f => f ? 1f : 0f).ToArray(), new long[] { 5, 2 }) : tensor(flags, new long[] { 5, 2 });
        var inputs = TestData.Inputs(2, 5, Width, seed: 72);
        var parameters = model.parameters().Select(p => TestData.Values(p)).ToArray();

        var fromModule = Assert.Throws<ArgumentException>(() => model.call(new BtwInput(inputs, Present: present)));
        using var weighter = new BtwWeighter(new BtwOptions { Modalities = 2 });
        var fromWeighter = Assert.Throws<ArgumentException>(() => weighter.WeightsFor(arange(5, dtype: ScalarType.Int64), present));

        Assert.Equal("input", fromModule.ParamName);
        Assert.StartsWith("Row 2 has no modality present; every example needs at least one.", fromModule.Message, StringComparison.Ordinal);
        Assert.Equal(fromWeighter.Message.Replace("(Parameter 'present')", "(Parameter 'input')", StringComparison.Ordinal), fromModule.Message);
        Assert.Equal(parameters, model.parameters().Select(p => TestData.Values(p)).ToArray());
    }

    /// <summary>Two training steps (forward, BtwLoss, backward, Adam step, Observe) and an EndEpoch, from fixed seeds.</summary>
    private static Run Train(Tensor[] inputs, BtwPooling pooling, double unimodalWeight)
    {
        using var scope = NewDisposeScope();
        manual_seed(60);
        var options = TestData.Options(M, dim: 6, outputs: 3, experts: 4, topK: 2);
        options.Pooling = pooling;
        options.Dropout = 0.1;
        using var model = new LinearEncoderModel(options, Width, Width, Width);
        using var optimizer = optim.Adam(model.parameters(), 0.05);
        using var weighter = new BtwWeighter(new BtwOptions { Modalities = M, Weighting = BtwWeighting.KlMi, MinimumMiPairs = 2, Alpha = 1.0 });
        var lossOptions = new BtwLossOptions { UnimodalWeight = unimodalWeight, AuxiliaryWeight = 0.01 };
        var ids = arange(B, dtype: ScalarType.Int64);
        var present = tensor(Presence, new long[] { B, M });
        var labels = tensor(new long[] { 0, 1, 2, 0, 1, 2, 0, 1 });
        var run = new Run();
        for (var step = 0; step < 2; step++)
        {
            manual_seed(61 + step); // gate noise and dropout
            var weights = weighter.WeightsFor(ids, present);
            using var output = model.call(new BtwInput(inputs, weights, present));
            var loss = BtwLoss.Compute(output, labels, lossOptions);
            optimizer.zero_grad();
            loss.backward();
            run.Losses.Add(loss.item<float>());
            foreach (var p in model.parameters())
            {
                run.Gradients.AddRange(p.grad is null ? [] : TestData.Values(p.grad));
            }

            optimizer.step();
            weighter.Observe(ids, output.Unimodal, output.Multimodal, present);
            weighter.EndEpoch();
        }

        foreach (var p in model.parameters())
        {
            run.Parameters.AddRange(TestData.Values(p));
        }

        run.Weights.AddRange(weighter.WeightsFor(ids, present).data<float>().ToArray());
        return run;
    }

    /// <summary>Standard-normal inputs whose missing rows hold zeros (<paramref name="fill"/> null) or the given fill.</summary>
    private static Tensor[] MissingFilledWith(Fill? fill)
    {
        var inputs = TestData.Inputs(M, B, Width, seed: 62);
        var garbage = new Random(63);
        for (var m = 0; m < M; m++)
        {
            var values = inputs[m].data<float>().ToArray();
            for (var i = 0; i < B; i++)
            {
                if (Presence[(i * M) + m])
                {
                    continue;
                }

                for (var k = 0; k < Width; k++)
                {
                    values[(i * Width) + k] = fill switch
                    {
                        null => 0f,
                        Fill.NaN => float.NaN,
                        Fill.PositiveInfinity => float.PositiveInfinity,
                        Fill.NegativeInfinity => float.NegativeInfinity,
                        Fill.Huge => 3e38f,
                        _ => (k % 3) switch
                        {
                            0 => float.NaN,
                            1 => (float)((garbage.NextDouble() - 0.5) * 1e30),
                            _ => float.NegativeInfinity,
                        },
                    };
                }
            }

            // A torch-allocated copy: both runs then read equally aligned memory (BLAS may differ in the last bit otherwise).
            inputs[m] = tensor(values, new long[] { B, Width }).clone();
        }

        return inputs;
    }

    private static void AssertBitIdentical(List<float> expected, List<float> actual, string what)
        => AssertBitIdentical(expected.ToArray(), actual.ToArray(), what);

    private static void AssertBitIdentical(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
            {
                Assert.Fail($"{what}: element {i} of {expected.Length} differs: expected {expected[i]:R}, got {actual[i]:R}.");
            }
        }
    }

    private sealed class Run
    {
        public List<float> Losses { get; } = [];

        public List<float> Gradients { get; } = [];

        public List<float> Parameters { get; } = [];

        public List<float> Weights { get; } = [];
    }
}
