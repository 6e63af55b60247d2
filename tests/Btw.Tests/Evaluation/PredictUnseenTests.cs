using System;
using System.Linq;
using Btw.Tests.Modules;
using MyApp;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Btw.Tests.Evaluation;

/// <summary>
/// <see cref="BtwEvaluation.PredictUnseen"/>: the evaluation of examples the weighter never observed equals the passes
/// written out by hand with <see cref="BtwWeighter.WeightsForUnseen"/> (and <see cref="BtwWeighter.WeightsFromOutputs"/>),
/// for each <see cref="BtwUnseenWeights"/> setting; it runs in evaluation mode without gradients, restores the caller's
/// mode, and leaks nothing.
/// </summary>
[Collection(TorchGlobalStateGroup.Name)]
public class PredictUnseenTests
{
    private static (ThreeModalityModel Model, BtwWeighter Weighter) Trained(BtwUnseenWeights unseen, double dropout = 0.0)
    {
        manual_seed(70);
        var batches = SyntheticProblem.Create(examples: 192, batchSize: 32, classes: 3, width: 6,
            scales: new[] { 1.5, 1.0, 0.0 }, missing: 0.15, seed: 71);
        try
        {
            var model = new ThreeModalityModel(new BtwMoEOptions { Modalities = 3, EmbeddingDim = 16, Outputs = 3, Experts = 4, TopK = 2, Dropout = dropout }, 6, 6, 6);
            var weighter = new BtwWeighter(new BtwOptions { Modalities = 3, Weighting = BtwWeighting.KlMi, UnseenWeights = unseen, Alpha = 0.5 });
            Training.Run(model, weighter, batches, epochs: 3);
            model.eval();
            return (model, weighter);
        }
        finally
        {
            SyntheticProblem.Dispose(batches);
        }
    }

    [Theory]
    [InlineData(BtwUnseenWeights.Ones)]
    [InlineData(BtwUnseenWeights.ModalityMean)]
    [InlineData(BtwUnseenWeights.FromOutputs)]
    public void PredictUnseen_equals_the_passes_written_out(BtwUnseenWeights unseen)
    {
        var (model, weighter) = Trained(unseen);
        using (model)
        using (weighter)
        using (no_grad())
        {
            using var scope = NewDisposeScope();
            var inputs = TestData.Inputs(3, 40, 6, seed: 72);
            var present = tensor(Enumerable.Range(0, 40 * 3).Select(k => k % 7 != 3).ToArray(), new long[] { 40, 3 });

            using var actual = model.PredictUnseen(inputs, present, weighter);

            var firstWeights = weighter.WeightsForUnseen(present);   // the one evaluation path: the same call for every setting
            using var first = model.call(new BtwInput(inputs, firstWeights, present));
            var expected = first;
            if (unseen == BtwUnseenWeights.FromOutputs)
            {
                var second = weighter.WeightsFromOutputs(first.Unimodal, first.Multimodal, present);
                expected = model.call(new BtwInput(inputs, second, present));

                // The second pass really differs from the first (the weights moved away from the mean weights).
                Assert.NotEqual(TestData.Values(first.Multimodal), TestData.Values(expected.Multimodal));
            }
            else if (unseen == BtwUnseenWeights.Ones)
            {
                // Under Ones the unseen weights are ones: the same prediction as passing no weights at all.
                using var unweighted = model.call(new BtwInput(inputs, null, present));
                Assert.Equal(TestData.Values(unweighted.Multimodal), TestData.Values(actual.Multimodal));
            }
            else
            {
                // Under ModalityMean they are the mean weights, which differ from ones after training.
                Assert.Contains(weighter.MeanWeights, w => Math.Abs(w - 1.0) > 1e-3);
            }

            Assert.Equal(TestData.Values(expected.Multimodal), TestData.Values(actual.Multimodal));
            for (var m = 0; m < 3; m++)
            {
                Assert.Equal(TestData.Values(expected.Unimodal[m]), TestData.Values(actual.Unimodal[m]));
            }

            Assert.Equal(192, weighter.Count);   // nothing of the unseen rows was stored
        }
    }

    [Fact]
    public void PredictUnseen_leaves_no_tensor_behind_and_refuses_a_weighter_of_another_modality_count()
    {
        var (model, weighter) = Trained(BtwUnseenWeights.FromOutputs);
        using (model)
        using (weighter)
        using (no_grad())
        {
            var inputs = TestData.Inputs(3, 16, 6, seed: 73);
            var statistics = DisposeScopeManager.Statistics;
            for (var round = 0; round < 2; round++)
            {
                var before = statistics.ThreadTotalLiveCount;
                using (var scope = NewDisposeScope())
                {
                    using var output = model.PredictUnseen(inputs, null, weighter);
                    Assert.Equal(new long[] { 16, 3 }, output.Multimodal.shape);
                }

                Assert.Equal(before, statistics.ThreadTotalLiveCount);
            }

            using var two = new BtwWeighter(new BtwOptions { Modalities = 2 });
            var ex = Assert.Throws<ArgumentException>(() => model.PredictUnseen(inputs, null, two));
            Assert.Equal("weighter", ex.ParamName);
            Assert.Contains("BtwOptions.Modalities", ex.Message, StringComparison.Ordinal);
            Assert.Contains("BtwMoEOptions.Modalities", ex.Message, StringComparison.Ordinal);
            foreach (var t in inputs)
            {
                t.Dispose();
            }
        }
    }

    [Theory]
    [InlineData(BtwUnseenWeights.Ones)]
    [InlineData(BtwUnseenWeights.FromOutputs)]
    public void PredictUnseen_on_a_model_left_in_training_mode_is_deterministic_gradient_free_and_restores_the_mode(BtwUnseenWeights unseen)
    {
        var (model, weighter) = Trained(unseen, dropout: 0.5);
        using (model)
        using (weighter)
        {
            using var scope = NewDisposeScope();
            var inputs = TestData.Inputs(3, 24, 6, seed: 74);
            model.train();

            // The model really is stochastic in training mode: two plain forward passes differ (dropout 0.5).
            using (var a = model.call(new BtwInput(inputs, null, null)))
            using (var b = model.call(new BtwInput(inputs, null, null)))
            {
                Assert.NotEqual(TestData.Values(a.Multimodal), TestData.Values(b.Multimodal));
            }

            using var first = model.PredictUnseen(inputs, null, weighter);
            Assert.True(model.training);   // the caller's mode is back
            using var second = model.PredictUnseen(inputs, null, weighter);
            Assert.True(model.training);
            Assert.Equal(TestData.Values(first.Multimodal), TestData.Values(second.Multimodal));
            Assert.False(first.Multimodal.requires_grad);
            Assert.All(first.Unimodal, u => Assert.False(u.requires_grad));

            // And it equals the evaluation-mode prediction; a model left in evaluation mode stays there.
            model.eval();
            using var inEval = model.PredictUnseen(inputs, null, weighter);
            Assert.False(model.training);
            Assert.Equal(TestData.Values(first.Multimodal), TestData.Values(inEval.Multimodal));
        }
    }
}
