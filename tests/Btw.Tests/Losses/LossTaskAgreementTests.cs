using System;
using Xunit;
using static TorchSharp.torch;

namespace Btw.Tests.Losses;

/// <summary>
/// The loss and the weighter cannot silently disagree on the task: computed with the weighter, the loss takes the
/// weighter's <see cref="BtwOptions.Task"/>, and a <see cref="BtwLossOptions.Task"/> set to another task is refused with a
/// message naming both settings.
/// </summary>
public class LossTaskAgreementTests
{
    // Two-column outputs: 2-class logits for classification, (mean, log-variance) for regression; the one shape both tasks accept.
    private static BtwOutput TwoColumns() =>
        new(tensor(new[] { 0.5f, -0.2f, 1.5f, 0.1f }, new long[] { 2, 2 }), new[] { tensor(new[] { 0.4f, 0.0f, 1.0f, -0.3f }, new long[] { 2, 2 }) }, tensor(0f));

    [Fact]
    public void The_loss_takes_the_weighters_task_when_its_own_is_unset()
    {
        using var scope = NewDisposeScope();
        using var regression = new BtwWeighter(new BtwOptions { Modalities = 1, Task = BtwTask.Regression, RegressionOutput = BtwRegressionOutput.MeanAndLogVariance });
        using var output = TwoColumns();
        var target = tensor(new[] { 0.3f, 1.2f });
        var viaWeighter = BtwLoss.Compute(output, target, regression).item<float>();
        var explicitRegression = BtwLoss.Compute(output, target, new BtwLossOptions { Task = BtwTask.Regression, RegressionOutput = BtwRegressionOutput.MeanAndLogVariance }).item<float>();
        Assert.Equal(explicitRegression, viaWeighter);

        // The options passed in are not changed (their task stays unset) and their other settings are used.
        var options = new BtwLossOptions { UnimodalWeight = 0 };
        var noUnimodal = BtwLoss.Compute(output, target, regression, options).item<float>();
        Assert.Equal(BtwLoss.Compute(output, target, new BtwLossOptions { Task = BtwTask.Regression, RegressionOutput = BtwRegressionOutput.MeanAndLogVariance, UnimodalWeight = 0 }).item<float>(), noUnimodal);
        Assert.NotEqual(viaWeighter, noUnimodal);
        Assert.Equal(BtwTask.Classification, options.Task);   // the default it reports when unset
    }

    [Theory]
    [InlineData(BtwTask.Classification, BtwTask.Regression)]
    [InlineData(BtwTask.Regression, BtwTask.Classification)]
    public void A_loss_task_set_to_another_task_than_the_weighters_is_refused_naming_both(BtwTask weighterTask, BtwTask lossTask)
    {
        using var scope = NewDisposeScope();
        using var weighter = new BtwWeighter(new BtwOptions { Modalities = 1, Task = weighterTask, RegressionOutput = weighterTask == BtwTask.Regression ? BtwRegressionOutput.MeanAndLogVariance : BtwRegressionOutput.Mean });
        using var output = TwoColumns();
        var target = weighterTask == BtwTask.Classification ? tensor(new long[] { 0, 1 }) : tensor(new[] { 0.3f, 1.2f });
        var ex = Assert.Throws<ArgumentException>(() => BtwLoss.Compute(output, target, weighter, new BtwLossOptions { Task = lossTask }));
        Assert.Equal("options", ex.ParamName);
        Assert.Contains($"BtwLossOptions.Task is {lossTask}", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"BtwOptions.Task is {weighterTask}", ex.Message, StringComparison.Ordinal);

        // The same task set on both is accepted.
        using var agreed = BtwLoss.Compute(output, target, weighter, new BtwLossOptions { Task = weighterTask });
        Assert.True(float.IsFinite(agreed.item<float>()));
    }

    [Theory]
    [InlineData(nameof(BtwLossOptions.RegressionLoss))]
    [InlineData(nameof(BtwLossOptions.VarianceEpsilon))]
    public void A_regression_setting_on_a_classification_loss_is_refused_naming_it(string setting)
    {
        using var scope = NewDisposeScope();
        var options = setting == nameof(BtwLossOptions.RegressionLoss)
            ? new BtwLossOptions { RegressionLoss = BtwRegressionLoss.MeanSquaredError }
            : new BtwLossOptions { VarianceEpsilon = 1e-3 };
        using var output = TwoColumns();
        var ex = Assert.Throws<ArgumentException>(() => BtwLoss.Compute(output, tensor(new long[] { 0, 1 }), options));
        Assert.Equal(setting, ex.ParamName);
        Assert.Contains($"BtwLossOptions.{setting} = ", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Classification", ex.Message, StringComparison.Ordinal);

        // Where it applies (a regression loss, here through a regression weighter) it is accepted.
        using var regression = new BtwWeighter(new BtwOptions { Modalities = 1, Task = BtwTask.Regression, RegressionOutput = BtwRegressionOutput.MeanAndLogVariance });
        using var loss = BtwLoss.Compute(output, tensor(new[] { 0.3f, 1.2f }), regression, options);
        Assert.True(float.IsFinite(loss.item<float>()));
    }

    [Fact]
    public void The_loss_follows_the_weighters_regression_output_and_refuses_another_one()
    {
        using var scope = NewDisposeScope();
        using var weighter = new BtwWeighter(new BtwOptions { Modalities = 1, Task = BtwTask.Regression, RegressionOutput = BtwRegressionOutput.MeanAndLogVariance });
        using var means = new BtwOutput(tensor(new[] { 0.5f, -0.2f }), new[] { tensor(new[] { 0.4f, 0.0f }) }, tensor(0f));
        var target = tensor(new[] { 0.3f, 1.2f });

        // Unset in the loss options: the weighter's declaration holds, so mean-only outputs are refused by the loss too.
        var ex = Assert.Throws<ArgumentException>(() => BtwLoss.Compute(means, target, weighter));
        Assert.Contains("BtwLossOptions.RegressionOutput is MeanAndLogVariance", ex.Message, StringComparison.Ordinal);

        // Set to another value than the weighter's: refused, naming both settings.
        using var meanWeighter = new BtwWeighter(new BtwOptions { Modalities = 1, Task = BtwTask.Regression });
        using var output = TwoColumns();
        ex = Assert.Throws<ArgumentException>(() => BtwLoss.Compute(output, target, meanWeighter, new BtwLossOptions { RegressionOutput = BtwRegressionOutput.MeanAndLogVariance }));
        Assert.Equal("options", ex.ParamName);
        Assert.Contains("BtwLossOptions.RegressionOutput is MeanAndLogVariance", ex.Message, StringComparison.Ordinal);
        Assert.Contains("BtwOptions.RegressionOutput is Mean", ex.Message, StringComparison.Ordinal);
    }
}
