using System.Collections.Generic;
using static TorchSharp.torch;

namespace Btw.Benchmarks.Model;

/// <summary>The reference training step of the demo model: forward, <see cref="BtwLoss"/> (multimodal + unimodal cross-entropy + 0.01 load balancing), backward, Adam step.</summary>
internal sealed class Trainer
{
    private readonly DemoModel _model;
    private readonly optim.Optimizer _optimizer;

    public Trainer(int seed = 7)
    {
        manual_seed(seed);
        _model = new DemoModel(Workload.Modalities, Workload.Features, new BtwMoEOptions
        {
            Modalities = Workload.Modalities,
            EmbeddingDim = Workload.EmbeddingDim,
            Outputs = Workload.Classes,
            Experts = Workload.Experts,
            TopK = Workload.TopK,
        });
        _model.train();
        _optimizer = optim.Adam(_model.parameters(), 1e-3);
    }

    /// <summary>Outputs of one forward pass in evaluation mode, detached from any scope: (multimodal, unimodal).</summary>
    public (Tensor Multimodal, Tensor[] Unimodal) Predict(IReadOnlyList<Tensor> inputs)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        _model.eval();
        using var output = _model.call(new BtwInput(inputs));
        _model.train();
        var unimodal = new Tensor[output.Unimodal.Count];
        for (var m = 0; m < unimodal.Length; m++)
        {
            unimodal[m] = output.Unimodal[m].clone().DetachFromDisposeScope();
        }

        return (output.Multimodal.clone().DetachFromDisposeScope(), unimodal);
    }

    /// <summary>One training step on a batch with the given weights [B, M].</summary>
    public void Step(IReadOnlyList<Tensor> inputs, Tensor labels, Tensor weights)
    {
        using var scope = NewDisposeScope();
        using var output = _model.call(new BtwInput(inputs, weights));
        var loss = BtwLoss.Compute(output, labels);
        _optimizer.zero_grad();
        loss.backward();
        _optimizer.step();
    }
}
