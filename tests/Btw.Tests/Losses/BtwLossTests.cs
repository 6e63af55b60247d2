using System;
using System.Linq;
using Btw.Tests.Modules;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Btw.Tests.Losses;

[Collection(TorchGlobalStateGroup.Name)]
public class BtwLossTests
{
    private static readonly float[] MultimodalLogits = { 2.0f, 0.5f, -1.0f, 0.1f, 0.2f, 0.3f, -0.5f, 1.5f, 0.0f };
    private static readonly float[] UnimodalLogits0 = { 0.0f, 0.0f, 0.0f, 3.0f, -3.0f, 0.0f, 1.0f, 2.0f, 3.0f };
    private static readonly float[] UnimodalLogits1 = { -2.0f, 1.0f, 0.5f, 0.0f, 0.0f, 4.0f, 0.7f, -0.7f, 0.0f };
    private static readonly long[] Labels = { 0, 2, 1 };

    [Fact]
    public void Classification_loss_is_cross_entropy_plus_lambda_mean_unimodal_plus_beta_aux()
    {
        using var scope = NewDisposeScope();
        using var output = Classification(present: null, aux: 0.8f);

        var loss = BtwLoss.Compute(output, tensor(Labels), new BtwLossOptions { UnimodalWeight = 0.5, AuxiliaryWeight = 0.1 });

        var expected = MeanCe(MultimodalLogits, new[] { 0, 1, 2 })
            + 0.5 * ((MeanCe(UnimodalLogits0, new[] { 0, 1, 2 }) + MeanCe(UnimodalLogits1, new[] { 0, 1, 2 })) / 2)
            + 0.1 * 0.8;
        Assert.Equal(expected, loss.item<float>(), 5);
        Assert.Equal(0, loss.dim());
    }

    [Fact]
    public void Missing_rows_are_left_out_of_their_modality_and_an_absent_modality_out_of_the_mean()
    {
        using var scope = NewDisposeScope();
        // Modality 0 present in rows 0 and 2; modality 1 in no row.
        var present = tensor(new[] { true, false, false, false, true, false }, new long[] { 3, 2 });
        using var output = Classification(present, aux: 0f);

        var loss = BtwLoss.Compute(output, tensor(Labels), new BtwLossOptions { UnimodalWeight = 2.0, AuxiliaryWeight = 0 });

        var expected = MeanCe(MultimodalLogits, new[] { 0, 1, 2 }) + 2.0 * MeanCe(UnimodalLogits0, new[] { 0, 2 });
        Assert.Equal(expected, loss.item<float>(), 5);
    }

    [Fact]
    public void Non_finite_unimodal_rows_of_missing_modalities_do_not_poison_the_loss()
    {
        using var scope = NewDisposeScope();
        var present = tensor(new[] { 1, 1, 1, 0, 1, 1 }, new long[] { 3, 2 });
        var bad = tensor(UnimodalLogits1, new long[] { 3, 3 });
        bad[1, 0] = tensor(float.NaN);
        using var output = new BtwOutput(
            tensor(MultimodalLogits, new long[] { 3, 3 }),
            new[] { tensor(UnimodalLogits0, new long[] { 3, 3 }), bad },
            tensor(0f),
            present.ne(0));

        var loss = BtwLoss.Compute(output, tensor(Labels));

        var expected = MeanCe(MultimodalLogits, new[] { 0, 1, 2 })
            + (MeanCe(UnimodalLogits0, new[] { 0, 1, 2 }) + MeanCe(UnimodalLogits1, new[] { 0, 2 })) / 2;
        Assert.Equal(expected, loss.item<float>(), 5);
    }

    [Theory]
    [InlineData(BtwRegressionLoss.L1)]
    [InlineData(BtwRegressionLoss.MeanSquaredError)]
    public void Regression_mean_outputs_use_L1_or_squared_error(BtwRegressionLoss kind)
    {
        using var scope = NewDisposeScope();
        var y = new[] { 1.0f, -2.0f, 0.5f, 3.0f };
        var z = new[] { 1.5f, -1.0f, 0.5f, 1.0f };
        var u = new[] { 0.0f, -2.0f, 2.5f, 3.0f };
        using var output = new BtwOutput(tensor(z, new long[] { 4, 1 }), new[] { tensor(u, new long[] { 4, 1 }) }, tensor(0.3f));

        var loss = BtwLoss.Compute(output, tensor(y, new long[] { 4, 1 }), new BtwLossOptions { Task = BtwTask.Regression, RegressionLoss = kind });

        Func<float, float, double> f = kind == BtwRegressionLoss.L1 ? (a, b) => Math.Abs(a - b) : (a, b) => (a - b) * (a - b);
        var expected = Enumerable.Range(0, 4).Average(i => f(z[i], y[i])) + Enumerable.Range(0, 4).Average(i => f(u[i], y[i])) + 0.01 * 0.3;
        Assert.Equal(expected, loss.item<float>(), 5);
    }

    [Fact]
    public void Regression_outputs_of_width_2_use_the_gaussian_negative_log_likelihood()
    {
        using var scope = NewDisposeScope();
        var y = new[] { 1.0f, -2.0f, 0.5f };
        var z = new[] { 1.5f, 0.0f, -1.0f, 1.0f, 0.5f, -0.5f };    // (mean, log-variance) rows
        var u = new[] { 0.0f, 2.0f, -1.999f, -30.0f, 2.5f, 0.3f };  // exp(-30) is clamped at variance 1e-6
        using var output = new BtwOutput(tensor(z, new long[] { 3, 2 }), new[] { tensor(u, new long[] { 3, 2 }) }, tensor(0f));

        var loss = BtwLoss.Compute(output, tensor(y), new BtwLossOptions { Task = BtwTask.Regression, RegressionOutput = BtwRegressionOutput.MeanAndLogVariance, UnimodalWeight = 0.25 });

        static double Nll(float[] p, float[] t, int i)
        {
            var variance = Math.Max(Math.Exp(p[2 * i + 1]), 1e-6);
            return 0.5 * (Math.Log(variance) + (t[i] - p[2 * i]) * (t[i] - p[2 * i]) / variance);
        }

        var expected = Enumerable.Range(0, 3).Average(i => Nll(z, y, i)) + 0.25 * Enumerable.Range(0, 3).Average(i => Nll(u, y, i));
        Assert.Equal(expected, loss.item<float>(), 3);
    }

    [Fact]
    public void Loss_of_a_real_forward_pass_reaches_the_experts()
    {
        using var scope = NewDisposeScope();
        manual_seed(40);
        using var model = new LinearEncoderModel(TestData.Options(2, outputs: 1), 3, 3);
        using var output = model.call(new BtwInput(new[] { randn(6, 3), randn(6, 3) }));

        var loss = BtwLoss.Compute(output, randn(6), new BtwLossOptions { Task = BtwTask.Regression });
        loss.backward();

        var expertGradients = model.named_parameters()
            .Where(p => p.name.StartsWith("btw_moe.experts", StringComparison.Ordinal))
            .Select(p => p.parameter.grad is null ? 0f : p.parameter.grad.abs().sum().item<float>())
            .ToArray();
        Assert.Contains(expertGradients, g => g > 0);
    }

    [Fact]
    public void Classification_targets_must_be_int64_class_indices_of_length_B()
    {
        using var scope = NewDisposeScope();
        using var output = Classification(null, 0f);
        var ex = Assert.Throws<ArgumentException>(() => BtwLoss.Compute(output, tensor(new[] { 0f, 1f, 2f })));
        Assert.Equal("target", ex.ParamName);
        Assert.Contains("int64", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<ArgumentException>(() => BtwLoss.Compute(output, tensor(new long[] { 0, 1 })));
        Assert.Contains("[2]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("B = 3", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Regression_outputs_wider_than_2_are_rejected_naming_the_output()
    {
        using var scope = NewDisposeScope();
        using var output = Classification(null, 0f);   // [3, 3] outputs
        var ex = Assert.Throws<ArgumentException>(() => BtwLoss.Compute(output, tensor(new[] { 0f, 1f, 2f }), new BtwLossOptions { Task = BtwTask.Regression }));
        Assert.Contains("BtwOutput.Multimodal", ex.Message, StringComparison.Ordinal);
        Assert.Contains("[3, 3]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Negative_weights_are_rejected_by_name()
    {
        using var scope = NewDisposeScope();
        using var output = Classification(null, 0f);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => BtwLoss.Compute(output, tensor(Labels), new BtwLossOptions { UnimodalWeight = -1 }));
        Assert.Equal(nameof(BtwLossOptions.UnimodalWeight), ex.ParamName);
    }

    private static BtwOutput Classification(Tensor? present, float aux)
        => new(
            tensor(MultimodalLogits, new long[] { 3, 3 }),
            new[] { tensor(UnimodalLogits0, new long[] { 3, 3 }), tensor(UnimodalLogits1, new long[] { 3, 3 }) },
            tensor(aux),
            present);

    // Mean over the given rows of -log softmax(logits[row])[label[row]].
    private static double MeanCe(float[] logits, int[] rows)
        => rows.Average(r =>
        {
            var row = logits.Skip(3 * r).Take(3).Select(v => (double)v).ToArray();
            var max = row.Max();
            return max + Math.Log(row.Sum(v => Math.Exp(v - max))) - row[Labels[r]];
        });
}
