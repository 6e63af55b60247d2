using System;
using System.Linq;
using Btw.Weighting;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Btw.Tests.Modules;

[Collection(TorchGlobalStateGroup.Name)]
public class AuxiliaryLossTests
{
    [Theory]
    [InlineData(BtwLoadBalancing.ImportanceAndLoad, BtwGating.Laplace, BtwRouter.PerModality, 2)]
    [InlineData(BtwLoadBalancing.ImportanceAndLoad, BtwGating.Softmax, BtwRouter.Shared, 1)]
    [InlineData(BtwLoadBalancing.ImportanceAndLoad, BtwGating.Laplace, BtwRouter.Shared, 6)]
    [InlineData(BtwLoadBalancing.Switch, BtwGating.Laplace, BtwRouter.PerModality, 2)]
    [InlineData(BtwLoadBalancing.Switch, BtwGating.Softmax, BtwRouter.PerModality, 3)]
    public void Evaluation_auxiliary_loss_matches_the_dense_reference(BtwLoadBalancing balancing, BtwGating gating, BtwRouter router, int topK)
    {
        using var scope = NewDisposeScope();
        manual_seed(30);
        var options = TestData.Options(3, dim: 5, experts: 6, topK: topK);
        options.LoadBalancing = balancing;
        options.Gating = gating;
        options.Router = router;
        using var model = new IdentityEncoderModel(options);
        model.eval();
        var inputs = TestData.Inputs(3, 9, 5, seed: 31);
        var present = ones(9, 3, ScalarType.Bool);
        present[1, 0] = false;
        present[5, 2] = false;
        present[6, 2] = false;

        using var output = model.call(new BtwInput(inputs, Present: present));
        var reference = new DenseReference(model);
        reference.Multimodal(DenseReference.Flatten(inputs), 9, present: present.data<bool>().ToArray());

        Assert.Equal(reference.AuxiliaryLoss(), output.AuxiliaryLoss.item<float>(), 4);
    }

    [Fact]
    public void Routing_to_every_expert_makes_the_switch_loss_exactly_1()
    {
        using var scope = NewDisposeScope();
        manual_seed(32);
        var options = TestData.Options(2, dim: 4, experts: 5, topK: 5);
        options.LoadBalancing = BtwLoadBalancing.Switch;
        using var model = new IdentityEncoderModel(options);
        model.train();   // with gate noise too

        using var output = model.call(new BtwInput(TestData.Inputs(2, 7, 4, seed: 33)));

        Assert.Equal(1.0, output.AuxiliaryLoss.item<float>(), 5);
    }

    [Fact]
    public void A_single_expert_is_perfectly_balanced()
    {
        using var scope = NewDisposeScope();
        manual_seed(34);
        using var model = new IdentityEncoderModel(TestData.Options(2, dim: 4, experts: 1, topK: 1));
        model.train();

        using var output = model.call(new BtwInput(TestData.Inputs(2, 7, 4, seed: 35)));

        Assert.Equal(0.0, output.AuxiliaryLoss.item<float>());
    }

    [Fact]
    public void With_noise_the_smooth_load_estimate_gives_gradients_to_gate_and_noise_parameters()
    {
        using var scope = NewDisposeScope();
        manual_seed(36);
        using var model = new IdentityEncoderModel(TestData.Options(2, dim: 4, experts: 6, topK: 2));
        model.train();

        using var output = model.call(new BtwInput(TestData.Inputs(2, 16, 4, seed: 37)));
        output.AuxiliaryLoss.backward();

        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        Assert.True(output.AuxiliaryLoss.item<float>() > 0);
        Assert.True(parameters["btw_moe.gate"].grad!.abs().sum().item<float>() > 0);
        Assert.True(parameters["btw_moe.noise"].grad!.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void A_batch_with_no_modality_present_is_refused_before_any_expert_runs()
    {
        using var scope = NewDisposeScope();
        manual_seed(38);
        using var model = new IdentityEncoderModel(TestData.Options(2, dim: 4, outputs: 2));
        model.eval();
        var present = zeros(3, 2, ScalarType.Bool);
        model.ResetExpertRows();

        // The weighter refuses such rows too (BatchValidator): a model trained on them would learn from nothing.
        var ex = Assert.Throws<ArgumentException>(() => model.call(new BtwInput(TestData.Inputs(2, 3, 4, seed: 39), Present: present)));

        Assert.StartsWith("Row 0 has no modality present", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, model.ExpertRowsProcessed().Sum());
    }
}
