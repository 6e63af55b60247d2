using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

namespace Btw.Benchmarks.Model;

/// <summary>The reference training step: forward, loss (multimodal + mean unimodal cross-entropy + 0.01 * load balancing), backward, Adam step.</summary>
internal sealed class Trainer
{
    private readonly StandInMixtureOfExperts _model;
    private readonly optim.Optimizer _optimizer;

    public Trainer(int seed = 7)
    {
        manual_seed(seed);
        _model = new StandInMixtureOfExperts(Workload.Modalities, Workload.Features, Workload.EmbeddingDim, Workload.Classes, Workload.Experts, Workload.TopK);
        _model.train();
        _optimizer = optim.Adam(_model.parameters(), 1e-3);
    }

    /// <summary>Outputs of one forward pass in evaluation mode, detached from any scope: (multimodal, unimodal).</summary>
    public (Tensor Multimodal, Tensor[] Unimodal) Predict(IReadOnlyList<Tensor> inputs)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        _model.eval();
        var (z, u, _) = _model.call(inputs, ones(inputs[0].shape[0], Workload.Modalities));
        _model.train();
        return (z.DetachFromDisposeScope(), System.Array.ConvertAll(u, t => t.DetachFromDisposeScope()));
    }

    /// <summary>One step on a batch; returns the loss value.</summary>
    public void Step(IReadOnlyList<Tensor> inputs, Tensor labels, Tensor weights)
    {
        using var scope = NewDisposeScope();
        var (z, unimodal, auxiliary) = _model.call(inputs, weights);
        var loss = nn.functional.cross_entropy(z, labels);
        foreach (var u in unimodal)
        {
            loss = loss + (nn.functional.cross_entropy(u, labels) / unimodal.Length);
        }

        loss = loss + (0.01 * auxiliary);
        _optimizer.zero_grad();
        loss.backward();
        _optimizer.step();
    }
}
