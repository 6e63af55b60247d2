using System;
using System.Collections.Generic;
using System.Linq;
using Btw.Tests.Modules;
using Btw.Tests.Support;
using Xunit;
using static TorchSharp.torch;

namespace Btw.Tests.Reliability;

/// <summary>
/// Settings that disagree with the data or with each other (the task, the modality count, class labels) are refused
/// with a message that names the setting to change, instead of training silently with meaningless weights or failing
/// inside the native library. The weighter's state is left as it was.
/// </summary>
[Collection(TorchGlobalStateGroup.Name)]
public class SettingMismatchTests
{
    private const int M = 3;
    private const int B = 6;

    private static long[] Ids => [0, 1, 2, 3, 4, 5];

    private static List<Tensor> Outputs(long[] shape) => Enumerable.Range(0, M).Select(_ => randn(shape)).ToList();

    [Theory]
    [InlineData(new long[] { B, 1 })]
    [InlineData(new long[] { B })]
    public void A_classification_weighter_refuses_regression_outputs_and_says_to_set_Task_Regression(long[] shape)
    {
        using var scope = NewDisposeScope();
        using var weighter = new BtwWeighter(new BtwOptions { Modalities = M });
        var ex = StateSnapshot.ThrowsAndLeavesStateUntouched<ArgumentException>(weighter,
            () => weighter.Observe(tensor(Ids), Outputs(shape), randn(shape)));
        Assert.Equal("multimodal", ex.ParamName);
        Assert.Contains("C >= 2", ex.Message, StringComparison.Ordinal);
        Assert.Contains("set BtwOptions.Task = BtwTask.Regression", ex.Message, StringComparison.Ordinal);
        Assert.Contains(shape.Length == 1 ? "[6]" : "[6, 1]", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, weighter.PendingObservations);
    }

    [Fact]
    public void A_regression_weighter_refuses_class_logits_and_says_to_set_Task_Classification()
    {
        using var scope = NewDisposeScope();
        using var weighter = new BtwWeighter(new BtwOptions { Modalities = M, Task = BtwTask.Regression });
        var ex = StateSnapshot.ThrowsAndLeavesStateUntouched<ArgumentException>(weighter,
            () => weighter.Observe(tensor(Ids), Outputs([B, 5]), randn(B, 5)));
        Assert.Equal("multimodal", ex.ParamName);
        Assert.Contains("[6, 5]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("set BtwOptions.Task = BtwTask.Classification", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_weighter_with_fewer_modalities_than_the_model_names_both_settings()
    {
        using var scope = NewDisposeScope();
        using var weighter = new BtwWeighter(new BtwOptions { Modalities = M - 1 });

        // Observe with the model's three unimodal outputs.
        var ex = StateSnapshot.ThrowsAndLeavesStateUntouched<ArgumentException>(weighter,
            () => weighter.Observe(tensor(Ids), Outputs([B, 4]), randn(B, 4)));
        Assert.Equal("unimodal", ex.ParamName);
        Assert.Contains("BtwOptions.Modalities = 2", ex.Message, StringComparison.Ordinal);
        Assert.Contains("got 3", ex.Message, StringComparison.Ordinal);
        Assert.Contains("BtwMoEOptions.Modalities", ex.Message, StringComparison.Ordinal);

        // WeightsFor with the model's presence flags [B, 3].
        ex = StateSnapshot.ThrowsAndLeavesStateUntouched<ArgumentException>(weighter,
            () => weighter.WeightsFor(tensor(Ids), ones(B, M, ScalarType.Bool)));
        Assert.Equal("present", ex.ParamName);
        Assert.Contains("[6, 2]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("[6, 3]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("BtwOptions.Modalities", ex.Message, StringComparison.Ordinal);
        Assert.Contains("BtwMoEOptions.Modalities", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_model_given_weights_of_another_modality_count_names_both_settings()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        using var model = new LinearEncoderModel(new BtwMoEOptions { Modalities = M, EmbeddingDim = 4, Outputs = 3, Experts = 2, TopK = 1 }, 2, 2, 2);
        using var weighter = new BtwWeighter(new BtwOptions { Modalities = M + 1 });
        var inputs = Enumerable.Range(0, M).Select(_ => randn(B, 2)).ToArray();
        var weights = weighter.WeightsFor(tensor(Ids));   // [6, 4]

        var ex = Assert.Throws<ArgumentException>(() => model.call(new BtwInput(inputs, weights)));
        Assert.Equal("input", ex.ParamName);
        Assert.Contains("BtwInput.Weights has shape [6, 4]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("M = BtwMoEOptions.Modalities", ex.Message, StringComparison.Ordinal);
        Assert.Contains("BtwOptions.Modalities", ex.Message, StringComparison.Ordinal);
        Assert.Contains("set it to 3", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new long[] { B, 1 })]
    [InlineData(new long[] { B })]
    public void A_classification_loss_refuses_regression_outputs_and_says_to_set_Task_Regression(long[] shape)
    {
        using var scope = NewDisposeScope();
        using var output = new BtwOutput(randn(shape), Outputs(shape), tensor(0f));
        var ex = Assert.Throws<ArgumentException>(() => BtwLoss.Compute(output, zeros(B, ScalarType.Int64)));
        Assert.Contains("BtwOutput.Multimodal", ex.Message, StringComparison.Ordinal);
        Assert.Contains("C >= 2", ex.Message, StringComparison.Ordinal);
        Assert.Contains("set BtwLossOptions.Task = BtwTask.Regression", ex.Message, StringComparison.Ordinal);

        // The same with real-valued targets: the task is named before the target's dtype.
        ex = Assert.Throws<ArgumentException>(() => BtwLoss.Compute(output, randn(B)));
        Assert.Contains("set BtwLossOptions.Task = BtwTask.Regression", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_classification_loss_given_real_targets_says_to_set_Task_Regression()
    {
        using var scope = NewDisposeScope();
        using var output = new BtwOutput(randn(B, 2), Outputs([B, 2]), tensor(0f));
        var ex = Assert.Throws<ArgumentException>(() => BtwLoss.Compute(output, randn(B)));
        Assert.Equal("target", ex.ParamName);
        Assert.Contains("Float32", ex.Message, StringComparison.Ordinal);
        Assert.Contains("set BtwLossOptions.Task = BtwTask.Regression", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_regression_loss_refuses_class_logits_and_integer_targets_and_says_to_set_Task_Classification()
    {
        using var scope = NewDisposeScope();
        var options = new BtwLossOptions { Task = BtwTask.Regression };
        using var logits = new BtwOutput(randn(B, 5), Outputs([B, 5]), tensor(0f));
        var ex = Assert.Throws<ArgumentException>(() => BtwLoss.Compute(logits, randn(B), options));
        Assert.Contains("[6, 5]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("set BtwLossOptions.Task = BtwTask.Classification", ex.Message, StringComparison.Ordinal);

        using var means = new BtwOutput(randn(B, 1), Outputs([B, 1]), tensor(0f));
        ex = Assert.Throws<ArgumentException>(() => BtwLoss.Compute(means, zeros(B, ScalarType.Int64), options));
        Assert.Equal("target", ex.ParamName);
        Assert.Contains("Int64", ex.Message, StringComparison.Ordinal);
        Assert.Contains("set BtwLossOptions.Task = BtwTask.Classification", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(4L, 3)]
    [InlineData(-1L, 5)]
    [InlineData(7L, 0)]
    public void Class_labels_out_of_range_are_refused_naming_the_row_and_the_label(long label, int row)
    {
        using var scope = NewDisposeScope();
        using var output = new BtwOutput(randn(B, 4), Outputs([B, 4]), tensor(0f));
        var labels = new long[] { 0, 1, 2, 3, 0, 1 };
        labels[row] = label;
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => BtwLoss.Compute(output, tensor(labels)));
        Assert.Equal("target", ex.ParamName);
        Assert.Equal(label, ex.ActualValue);
        Assert.Contains($"target row {row} has class label {label}", ex.Message, StringComparison.Ordinal);
        Assert.Contains("[0, 4)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("BtwMoEOptions.Outputs", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Labels_in_range_still_give_the_cross_entropy()
    {
        using var scope = NewDisposeScope();
        var z = tensor(new[] { 1f, 0f, 0f, 2f }, [2, 2]);
        using var output = new BtwOutput(z, [z.clone()], tensor(0f));
        var loss = BtwLoss.Compute(output, tensor(new long[] { 0, 1 }), new BtwLossOptions { AuxiliaryWeight = 0 });
        var expected = 2 * ((Math.Log(1 + Math.Exp(-1)) + Math.Log(1 + Math.Exp(-2))) / 2);
        Assert.Equal(expected, loss.item<float>(), 5);
    }
}
