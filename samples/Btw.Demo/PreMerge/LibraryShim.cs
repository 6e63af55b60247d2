// TEMPORARY (pre-merge only). The mixture-of-experts module and its loss helper (issue 3) are being
// written on another branch. This file mirrors their documented public API with a
// small working implementation so that the demo can be developed and exercised before they land.
// It is deleted by the merge of main into `demo`; nothing else in the demo refers to this folder.
#pragma warning disable CA1812, CA1822, CA1062, CA2000, CA1805, CA1051, IDE0005, CA1716, CA1002
using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Btw;

public sealed record BtwInput(IReadOnlyList<Tensor> Modalities, Tensor? Weights = null, Tensor? Present = null);

public sealed class BtwOutput : IDisposable
{
    public BtwOutput(Tensor multimodal, IReadOnlyList<Tensor> unimodal, Tensor aux, Tensor? present = null) { Multimodal = multimodal; Unimodal = unimodal; AuxiliaryLoss = aux; Present = present; }
    public Tensor? Present { get; }
    public Tensor Multimodal { get; }
    public IReadOnlyList<Tensor> Unimodal { get; }
    public Tensor AuxiliaryLoss { get; }
    public void Dispose() { }
}

public sealed class BtwMoEOptions
{
    public int Modalities { get; set; }
    public int EmbeddingDim { get; set; } = 32;
    public int Outputs { get; set; } = 1;
    public int Experts { get; set; } = 8;
    public int TopK { get; set; } = 2;
    public int ExpertHidden { get; set; } = 64;
    public double Dropout { get; set; }
}

public abstract class BtwMixtureOfExperts : nn.Module<BtwInput, BtwOutput>
{
    private readonly ModuleList<Linear> heads;
    private readonly Sequential fusion;
    private readonly int _m;

    protected BtwMixtureOfExperts(string name, BtwMoEOptions options) : base(name)
    {
        _m = options.Modalities;
        heads = new ModuleList<Linear>(Enumerable.Range(0, _m).Select(_ => nn.Linear(options.EmbeddingDim, options.Outputs)).ToArray());
        fusion = nn.Sequential(nn.Linear(options.EmbeddingDim * _m, options.ExpertHidden), nn.ReLU(), nn.Linear(options.ExpertHidden, options.Outputs));
    }

    protected abstract Tensor Encode(int modality, Tensor input);

    public override BtwOutput forward(BtwInput input)
    {
        var embeddings = Enumerable.Range(0, _m).Select(j => Encode(j, input.Modalities[j])).ToArray();
        var weighted = embeddings.Select((e, j) =>
        {
            var w = input.Weights is null ? (input.Present is null ? null : input.Present.to_type(ScalarType.Float32)) : input.Weights;
            return w is null ? e : e * w[.., j..(j + 1)];
        }).ToArray();
        var fused = fusion.call(torch.cat(weighted, 1));
        return new BtwOutput(fused, embeddings.Select((e, j) => heads[j].call(e)).ToArray(), torch.zeros(1));
    }
}

public enum BtwRegressionLoss { L1 = 0, MeanSquaredError = 1 }

public sealed class BtwLossOptions
{
    public BtwTask Task { get; set; } = BtwTask.Classification;
    public BtwRegressionLoss RegressionLoss { get; set; } = BtwRegressionLoss.L1;
    public double UnimodalWeight { get; set; } = 1.0;
    public double AuxiliaryWeight { get; set; } = 0.01;
}

public static class BtwLoss
{
    public static Tensor Compute(BtwOutput output, Tensor target, BtwLossOptions? options = null)
    {
        var o = options ?? new BtwLossOptions();
        Func<Tensor, Tensor> f = o.Task == BtwTask.Classification
            ? t => nn.functional.cross_entropy(t, target)
            : o.RegressionLoss == BtwRegressionLoss.L1 ? t => nn.functional.l1_loss(t.reshape(-1), target) : t => nn.functional.mse_loss(t.reshape(-1), target);
        var uni = output.Unimodal.Select(f).Aggregate((a, b) => a + b) / output.Unimodal.Count;
        return f(output.Multimodal) + o.UnimodalWeight * uni + o.AuxiliaryWeight * output.AuxiliaryLoss.sum();
    }
}
