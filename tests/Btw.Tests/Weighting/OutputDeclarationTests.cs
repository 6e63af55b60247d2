using System;
using System.Linq;
using Xunit;
using static TorchSharp.torch;

namespace Btw.Tests.Weighting;

/// <summary>
/// Outputs are read as what the settings declare, never guessed from their shape: [B, 2] regression outputs need
/// RegressionOutput = MeanAndLogVariance (two-class logits look the same), and probability rows where logits are expected
/// are refused unless AllowProbabilityOutputs is set, in the weighter and in the loss alike.
/// </summary>
public class OutputDeclarationTests
{
    private const int B = 12;

    private static Tensor[] Outputs(int m, params long[] shape) => Enumerable.Range(0, m).Select(_ => randn(shape)).ToArray();

    [Fact]
    public void Two_column_regression_outputs_are_refused_by_default_naming_the_setting()
    {
        using var scope = NewDisposeScope();
        using var weighter = new BtwWeighter(new BtwOptions { Modalities = 2, Task = BtwTask.Regression });
        var ex = Assert.Throws<ArgumentException>(() => weighter.Observe(arange(B, dtype: ScalarType.Int64), Outputs(2, B, 2), randn(B, 2)));
        Assert.Equal("multimodal", ex.ParamName);
        Assert.Contains("[12, 2]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("BtwOptions.RegressionOutput = BtwRegressionOutput.MeanAndLogVariance", ex.Message, StringComparison.Ordinal);
        Assert.Contains("BtwOptions.Task = BtwTask.Classification", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, weighter.PendingObservations);

        weighter.Observe(arange(B, dtype: ScalarType.Int64), Outputs(2, B, 1), randn(B, 1));   // [B, 1] and [B] are means
        weighter.Observe(arange(B, 2 * B, dtype: ScalarType.Int64), Outputs(2, B), randn(B));
        Assert.Equal(2 * B, weighter.PendingObservations);
    }

    [Fact]
    public void Declared_mean_and_log_variance_reads_the_second_column_as_a_log_variance()
    {
        using var scope = NewDisposeScope();
        var options = new BtwOptions { Modalities = 2, Task = BtwTask.Regression, Weighting = BtwWeighting.Kl, RegressionOutput = BtwRegressionOutput.MeanAndLogVariance, Alpha = 1.0 };
        using var weighter = new BtwWeighter(options);
        var ids = arange(B, dtype: ScalarType.Int64);
        var unimodal = Outputs(2, B, 2);
        var multimodal = randn(B, 2);
        weighter.Observe(ids, unimodal, multimodal);
        weighter.EndEpoch();

        // Kl weights: each row's Gaussian KL (with the log-variances) normalised over the two modalities, times 2.
        var d = unimodal.Select(u => InstanceDivergence.Gaussian(u, multimodal).to_type(ScalarType.Float64)).ToArray();
        var expected = (2 * d[0] / (d[0] + d[1])).to_type(ScalarType.Float32);
        Assert.True(weighter.WeightsFor(ids).select(1, 0).allclose(expected, rtol: 1e-5, atol: 1e-6));

        var ex = Assert.Throws<ArgumentException>(() => weighter.Observe(ids, Outputs(2, B, 1), randn(B, 1)));
        Assert.Contains("BtwOptions.RegressionOutput = BtwRegressionOutput.Mean", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_loss_follows_the_same_declaration()
    {
        using var scope = NewDisposeScope();
        using var output = new BtwOutput(randn(B, 2), Outputs(2, B, 2), tensor(0f));
        var ex = Assert.Throws<ArgumentException>(() => BtwLoss.Compute(output, randn(B), new BtwLossOptions { Task = BtwTask.Regression }));
        Assert.Contains("BtwLossOptions.RegressionOutput = BtwRegressionOutput.MeanAndLogVariance", ex.Message, StringComparison.Ordinal);
        Assert.True(double.IsFinite(BtwLoss.Compute(output, randn(B), new BtwLossOptions { Task = BtwTask.Regression, RegressionOutput = BtwRegressionOutput.MeanAndLogVariance }).item<float>()));

        using var means = new BtwOutput(randn(B, 1), Outputs(2, B, 1), tensor(0f));
        ex = Assert.Throws<ArgumentException>(() => BtwLoss.Compute(means, randn(B), new BtwLossOptions { Task = BtwTask.Regression, RegressionOutput = BtwRegressionOutput.MeanAndLogVariance }));
        Assert.Contains("BtwLossOptions.RegressionOutput = BtwRegressionOutput.Mean", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Probability_rows_are_refused_and_log_probabilities_or_the_opt_out_are_accepted()
    {
        using var scope = NewDisposeScope();
        var ids = arange(B, dtype: ScalarType.Int64);
        var logits = Outputs(3, B, 4);
        var probabilities = logits.Select(l => softmax(l, 1)).ToArray();
        using (var weighter = new BtwWeighter(new BtwOptions { Modalities = 2 }))
        {
            var ex = Assert.Throws<ArgumentException>(() => weighter.Observe(ids, probabilities[..2], probabilities[2]));
            Assert.Equal("multimodal", ex.ParamName);
            Assert.Contains("Pass the logits", ex.Message, StringComparison.Ordinal);
            Assert.Contains("BtwOptions.AllowProbabilityOutputs = true", ex.Message, StringComparison.Ordinal);
            Assert.Equal(0, weighter.PendingObservations);

            // log_softmax outputs are valid logits (softmax gives back the same probabilities).
            weighter.Observe(ids, logits[..2].Select(l => nn.functional.log_softmax(l, 1)).ToArray(), nn.functional.log_softmax(logits[2], 1));
            Assert.Equal(B, weighter.PendingObservations);
        }

        // With the opt-out, probabilities are used as logits: the same as passing them through the tensor path as logits.
        using var allowed = new BtwWeighter(new BtwOptions { Modalities = 2, AllowProbabilityOutputs = true, Alpha = 1.0, Weighting = BtwWeighting.Kl });
        allowed.Observe(ids, probabilities[..2], probabilities[2]);
        allowed.EndEpoch();
        var d = probabilities[..2].Select(p => InstanceDivergence.Categorical(p, probabilities[2]).to_type(ScalarType.Float64)).ToArray();
        var expected = (2 * d[0] / (d[0] + d[1])).to_type(ScalarType.Float32);
        Assert.True(allowed.WeightsFor(ids).select(1, 0).allclose(expected, rtol: 1e-4, atol: 1e-6));
    }

    [Fact]
    public void Both_statistics_paths_refuse_probability_rows_naming_the_output()
    {
        using var scope = NewDisposeScope();
        var options = new BtwOptions { Modalities = 2 };
        var logits = Outputs(3, B, 4);
        Tensor[] unimodal = [logits[0], softmax(logits[1], 1)];
        foreach (var path in new Func<Btw.Kernels.BatchStatistics>[]
        {
            () => Btw.Kernels.BatchStatistics.ComputeOnHost(unimodal, logits[2], options),
            () => Btw.Kernels.BatchStatistics.ComputeOnDevice(unimodal, logits[2], options),
        })
        {
            var ex = Assert.Throws<ArgumentException>(void () => path().Dispose());
            Assert.Equal("unimodal", ex.ParamName);
            Assert.Contains("modality 1", ex.Message, StringComparison.Ordinal);
        }

        var multimodal = softmax(logits[2], 1);
        foreach (var path in new Func<Btw.Kernels.BatchStatistics>[]
        {
            () => Btw.Kernels.BatchStatistics.ComputeOnHost(unimodal, multimodal, options),
            () => Btw.Kernels.BatchStatistics.ComputeOnDevice(unimodal, multimodal, options),
        })
        {
            Assert.Equal("multimodal", Assert.Throws<ArgumentException>(void () => path().Dispose()).ParamName);   // the multimodal output is named first
        }

        // One row that is not a probability row (a negative value) makes the batch logits.
        var mixed = softmax(logits[2], 1);
        mixed[3, 0] = tensor(-0.5f);
        Btw.Kernels.BatchStatistics.ComputeOnHost([logits[0], logits[1]], mixed, options).Dispose();
        Btw.Kernels.BatchStatistics.ComputeOnDevice([logits[0], logits[1]], mixed, options).Dispose();
    }

    [Fact]
    public void The_loss_refuses_probability_rows_unless_allowed()
    {
        using var scope = NewDisposeScope();
        var labels = tensor(Enumerable.Range(0, B).Select(i => (long)(i % 4)).ToArray());
        var logits = Outputs(3, B, 4);
        using var probabilities = new BtwOutput(softmax(logits[2], 1), logits[..2], tensor(0f));
        var ex = Assert.Throws<ArgumentException>(() => BtwLoss.Compute(probabilities, labels));
        Assert.Contains("BtwOutput.Multimodal", ex.Message, StringComparison.Ordinal);
        Assert.Contains("BtwLossOptions.AllowProbabilityOutputs = true", ex.Message, StringComparison.Ordinal);
        Assert.True(double.IsFinite(BtwLoss.Compute(probabilities, labels, new BtwLossOptions { AllowProbabilityOutputs = true }).item<float>()));

        using var unimodal = new BtwOutput(logits[2], [logits[0], softmax(logits[1], 1)], tensor(0f));
        ex = Assert.Throws<ArgumentException>(() => BtwLoss.Compute(unimodal, labels));
        Assert.Contains("BtwOutput.Unimodal[1]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_declarations_are_saved_loaded_and_must_agree_to_merge()
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"btw-declared-{Environment.ProcessId}-{Guid.NewGuid():N}.state");
        try
        {
            using (var weighter = new BtwWeighter(new BtwOptions { Modalities = 2, Task = BtwTask.Regression, RegressionOutput = BtwRegressionOutput.MeanAndLogVariance }))
            {
                weighter.Save(path);
            }

            using var loaded = BtwWeighter.Load(path);
            Assert.Equal(BtwRegressionOutput.MeanAndLogVariance, loaded.Options.RegressionOutput);
            using (var classifier = new BtwWeighter(new BtwOptions { Modalities = 2, AllowProbabilityOutputs = true }))
            {
                classifier.Save(path);
            }

            using (var loadedClassifier = BtwWeighter.Load(path))
            {
                Assert.True(loadedClassifier.Options.AllowProbabilityOutputs);
            }

            using var other = new BtwWeighter(new BtwOptions { Modalities = 2, Task = BtwTask.Regression });
            var ex = Assert.Throws<ArgumentException>(() => loaded.MergeObservations(other));
            Assert.Contains("BtwOptions.RegressionOutput", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            System.IO.File.Delete(path);
        }
    }

    [Fact]
    public void An_undefined_declaration_is_refused()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new BtwWeighter(new BtwOptions { Modalities = 2, RegressionOutput = (BtwRegressionOutput)7 }));
        Assert.Contains("RegressionOutput", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new BtwLossOptions { RegressionOutput = (BtwRegressionOutput)7 }.Validate());
    }
}
