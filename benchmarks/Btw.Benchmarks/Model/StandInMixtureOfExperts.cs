using System;
using System.Collections.Generic;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Btw.Benchmarks.Model;

/// <summary>
/// A plain TorchSharp stand-in of the size of the demo model, used until the library's mixture-of-experts module lands:
/// per modality a Linear(F, D)-ReLU encoder and a unimodal head Linear(D, C); the B*M tokens w_i^m * e_i^m go through
/// one Laplace router per modality (scores -||token - c_e||, noisy gating in training), each to its top-k of E experts
/// (D -> 2D -> D with GELU, run only on the tokens routed to them); token outputs are averaged per example and a
/// multimodal head Linear(D, C) gives z. Returns (z [B, C], M unimodal outputs [B, C], load-balancing loss).
/// </summary>
internal sealed class StandInMixtureOfExperts : nn.Module<IReadOnlyList<Tensor>, Tensor, (Tensor Multimodal, Tensor[] Unimodal, Tensor Auxiliary)>
{
    private readonly ModuleList<Sequential> encoders;
    private readonly ModuleList<Linear> heads;
    private readonly ModuleList<Sequential> experts;
    private readonly Parameter centroids;
    private readonly Parameter noise;
    private readonly Linear multimodalHead;
    private readonly int _modalities;
    private readonly int _experts;
    private readonly int _topK;

    public StandInMixtureOfExperts(int modalities, int features, int embeddingDim, int outputs, int expertCount, int topK)
        : base(nameof(StandInMixtureOfExperts))
    {
        _modalities = modalities;
        _experts = expertCount;
        _topK = topK;
        encoders = new ModuleList<Sequential>();
        heads = new ModuleList<Linear>();
        for (var m = 0; m < modalities; m++)
        {
            encoders.Add(nn.Sequential(nn.Linear(features, embeddingDim), nn.ReLU()));
            heads.Add(nn.Linear(embeddingDim, outputs));
        }

        experts = new ModuleList<Sequential>();
        for (var e = 0; e < expertCount; e++)
        {
            experts.Add(nn.Sequential(nn.Linear(embeddingDim, 2 * embeddingDim), nn.GELU(), nn.Linear(2 * embeddingDim, embeddingDim)));
        }

        centroids = nn.Parameter(randn(modalities, expertCount, embeddingDim) * 0.1);
        noise = nn.Parameter(zeros(modalities, embeddingDim, expertCount));
        multimodalHead = nn.Linear(embeddingDim, outputs);
        RegisterComponents();
    }

    public override (Tensor Multimodal, Tensor[] Unimodal, Tensor Auxiliary) forward(IReadOnlyList<Tensor> inputs, Tensor weights)
    {
        using var scope = NewDisposeScope();
        var batch = inputs[0].shape[0];
        var embeddings = new Tensor[_modalities];
        var unimodal = new Tensor[_modalities];
        for (var m = 0; m < _modalities; m++)
        {
            embeddings[m] = encoders[m].call(inputs[m]);
            unimodal[m] = heads[m].call(embeddings[m]);
        }

        var tokens = stack(embeddings, 1) * weights.detach().unsqueeze(2);            // [B, M, D]
        var d = tokens.shape[2];
        var flat = tokens.reshape(batch * _modalities, d);                           // [BM, D]
        var routerIds = arange(_modalities, ScalarType.Int64).repeat(batch);         // [BM]
        var scores = -(flat.unsqueeze(1) - centroids.index_select(0, routerIds)).norm(2, false);   // [BM, E]
        if (training)
        {
            var scale = nn.functional.softplus(bmm(flat.unsqueeze(1), noise.index_select(0, routerIds)).squeeze(1)) + 0.01;
            scores = scores + (randn_like(scores) * scale);
        }

        var (topScores, topIndex) = scores.topk(_topK, 1);
        var gates = nn.functional.softmax(topScores, 1);                             // [BM, k]
        var mixed = zeros_like(flat);
        var flatGates = gates.reshape(-1);
        var importance = new List<Tensor>(_experts);
        for (var e = 0; e < _experts; e++)
        {
            var hit = topIndex.eq(e).nonzero();                                      // [n, 2] = (token, slot)
            if (hit.shape[0] == 0)
            {
                importance.Add(zeros(1).squeeze(0));
                continue;
            }

            var rows = hit[.., 0];
            var g = flatGates.index_select(0, (rows * _topK) + hit[.., 1]).unsqueeze(1);
            var y = experts[e].call(flat.index_select(0, rows)) * g;
            mixed = mixed.index_add(0, rows, y, 1.0);
            importance.Add(g.sum());
        }

        var load = stack(importance);
        var cv = load.std() / (load.mean() + 1e-10);
        var pooled = mixed.view(batch, _modalities, d).mean(new long[] { 1 });
        var multimodal = multimodalHead.call(pooled);
        foreach (var u in unimodal)
        {
            u.MoveToOuterDisposeScope();
        }

        return (multimodal.MoveToOuterDisposeScope(), unimodal, (cv * cv).MoveToOuterDisposeScope());
    }
}
