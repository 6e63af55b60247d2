using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Btw.Modules;

/// <summary>
/// The sparse top-k mixture of experts of <see cref="BtwMixtureOfExperts"/>: routes each token (a row of [N, D]) to its
/// k best-scoring experts with the gate of the token's router, runs each expert only on the tokens routed to it, and
/// returns Σ_{e in top-k(x)} G_e(x) · expert_e(x) per token together with the load-balancing loss.
/// </summary>
/// <remarks>
/// Gate parameters hold all routers at once: <c>gate</c> is [R, D, E] (softmax gating: scores x · W_r) or [R, E, D]
/// (Laplace gating: keys, scores -‖x - w_{r,e}‖), <c>noise</c> is [R, D, E], where R is 1 (shared router) or M (one per
/// modality). Dispatch sorts the N·k (token, expert) assignments by expert, gathers the tokens with one index_select,
/// splits them into contiguous per-expert blocks (one host synchronisation for the block sizes), runs each non-empty
/// expert once, scales the rows by their gates and adds them back with one index_add.
/// </remarks>
internal sealed class SparseMixtureOfExperts : nn.Module<Tensor, Tensor, (Tensor Output, Tensor Auxiliary)>
{
    private const double CvEpsilon = 1e-10;

    private readonly ModuleList<nn.Module<Tensor, Tensor>> experts;
    private readonly long[] rowsProcessed;
    private readonly int expertCount;
    private readonly int topK;
    private readonly int routers;
    private readonly long width;
    private readonly BtwGating gating;
    private readonly BtwLoadBalancing loadBalancing;
    private readonly bool noisyGating;
    private readonly double noiseEpsilon;

    // Not readonly: Module.to(device) replaces Parameter fields through reflection.
    private Parameter gate;
    private Parameter? noise;

    public SparseMixtureOfExperts(string name, BtwMoEOptions options, int routers)
        : base(name)
    {
        expertCount = options.Experts;
        topK = options.TopK;
        this.routers = routers;
        width = options.EmbeddingDim;
        gating = options.Gating;
        loadBalancing = options.LoadBalancing;
        noisyGating = options.NoisyGating;
        noiseEpsilon = options.NoiseEpsilon;
        rowsProcessed = new long[expertCount];

        experts = new ModuleList<nn.Module<Tensor, Tensor>>();
        for (var e = 0; e < expertCount; e++)
        {
            experts.Add(new ExpertNetwork($"expert{e}", width, options.ResolvedExpertHidden, options.Dropout));
        }

        // Same bound as nn.Linear's default initialisation, 1/sqrt(fan_in); random so that experts differ from the
        // start even without gate noise. The noise projection starts at zero, as in Shazeer et al.
        var bound = 1.0 / Math.Sqrt(width);
        using (NewDisposeScope())
        {
            var gateShape = gating == BtwGating.Softmax
                ? new long[] { routers, width, expertCount }
                : new long[] { routers, expertCount, width };
            gate = new Parameter(empty(gateShape).uniform_(-bound, bound));
            gate.DetachFromDisposeScope();
            if (noisyGating)
            {
                noise = new Parameter(zeros(routers, width, expertCount));
                noise.DetachFromDisposeScope();
            }
        }

        RegisterComponents();
    }

    /// <summary>Rows (tokens) each expert has processed since construction or the last <see cref="ResetRowsProcessed"/>.</summary>
    public long[] RowsProcessed()
    {
        var copy = new long[rowsProcessed.Length];
        for (var e = 0; e < copy.Length; e++)
        {
            copy[e] = Interlocked.Read(ref rowsProcessed[e]);
        }

        return copy;
    }

    /// <summary>Sets every expert's row counter back to 0.</summary>
    public void ResetRowsProcessed()
    {
        for (var e = 0; e < rowsProcessed.Length; e++)
        {
            Interlocked.Exchange(ref rowsProcessed[e], 0);
        }
    }

    /// <summary>Mixes the tokens.</summary>
    /// <param name="input">Tokens [N, D].</param>
    /// <param name="routerIds">int64 [N], the router (0..R-1) of each token.</param>
    /// <returns>The mixed tokens [N, D] and the load-balancing loss (a scalar).</returns>
    public override (Tensor Output, Tensor Auxiliary) forward(Tensor input, Tensor routerIds)
    {
        using var scope = NewDisposeScope();
        var n = input.shape[0];
        if (n == 0)
        {
            return (zeros_like(input).MoveToOuterDisposeScope(),
                    zeros(Array.Empty<long>(), input.dtype, input.device).MoveToOuterDisposeScope());
        }

        var clean = Select(Scores(input), routerIds);
        var routing = clean;
        Tensor? noiseScale = null;
        if (training && noise is not null)
        {
            noiseScale = nn.functional.softplus(Select(LinearScores(input, noise), routerIds)) + noiseEpsilon;
            routing = clean + randn_like(clean) * noiseScale;
        }

        var (topValues, topIndices) = routing.topk(Math.Min(topK + 1, expertCount), dim: 1);
        var chosen = topIndices.narrow(1, 0, topK);
        var gates = nn.functional.softmax(topValues.narrow(1, 0, topK), 1);

        var output = Dispatch(input, chosen, gates);
        var auxiliary = BalanceLoss(routerIds, chosen, gates, clean, routing, noiseScale, topValues);
        return (output.MoveToOuterDisposeScope(), auxiliary.MoveToOuterDisposeScope());
    }

    private Tensor Scores(Tensor x)
    {
        if (gating == BtwGating.Softmax)
        {
            return LinearScores(x, gate);
        }

        // Laplace: -||x - w_{r,e}||, all R*E keys at once -> [N, R, E].
        var keys = gate.reshape(routers * expertCount, width);
        return cdist(x, keys, 2.0, compute_mode.donot_use_mm_for_euclid_dist).neg().view(x.shape[0], routers, expertCount);
    }

    // x [N, D] times every router's [D, E] -> [N, R, E].
    private Tensor LinearScores(Tensor x, Tensor weights)
        => x.mm(weights.permute(1, 0, 2).reshape(width, routers * expertCount)).view(x.shape[0], routers, expertCount);

    // [N, R, E] -> [N, E]: each token's own router.
    private Tensor Select(Tensor allRouters, Tensor routerIds)
    {
        var n = allRouters.shape[0];
        if (routers == 1)
        {
            return allRouters.view(n, expertCount);
        }

        return allRouters.gather(1, routerIds.view(n, 1, 1).expand(n, 1, expertCount)).view(n, expertCount);
    }

    private Tensor Dispatch(Tensor input, Tensor chosen, Tensor gates)
    {
        var n = input.shape[0];
        var flatExperts = chosen.reshape(-1);
        var (_, order) = flatExperts.sort(stable: true);
        var slotTokens = arange(n, ScalarType.Int64, input.device).repeat_interleave(topK);
        var sortedTokens = slotTokens.index_select(0, order);
        var sortedGates = gates.reshape(-1).index_select(0, order);
        long[] counts;
        using (var onHost = bincount(flatExperts, minlength: expertCount).cpu())
        {
            counts = onHost.data<long>().ToArray();
        }

        var blocks = input.index_select(0, sortedTokens).split(counts);
        var results = new List<Tensor>(expertCount);
        for (var e = 0; e < expertCount; e++)
        {
            if (counts[e] == 0)
            {
                continue;
            }

            results.Add(experts[e].call(blocks[e]));
            Interlocked.Add(ref rowsProcessed[e], counts[e]);
        }

        var stitched = cat(results, 0) * sortedGates.unsqueeze(1);
        return zeros(n, width, input.dtype, input.device).index_add(0, sortedTokens, stitched, 1);
    }

    private Tensor BalanceLoss(Tensor routerIds, Tensor chosen, Tensor gates, Tensor clean, Tensor routing, Tensor? noiseScale, Tensor topValues)
    {
        var n = chosen.shape[0];
        var dtype = gates.dtype;
        var device = gates.device;
        var tokensPerRouter = bincount(routerIds, minlength: routers).to(dtype);
        var active = tokensPerRouter.gt(0).to(dtype);
        var assignments = zeros(n, expertCount, dtype, device).scatter(1, chosen, ones_like(gates));

        Tensor perRouterLoss;
        if (loadBalancing == BtwLoadBalancing.ImportanceAndLoad)
        {
            var importance = PerRouter(zeros(n, expertCount, dtype, device).scatter(1, chosen, gates), routerIds);
            var load = noiseScale is not null && topK < expertCount
                ? PerRouter(ProbabilityInTopK(clean, routing, noiseScale, topValues), routerIds)
                : PerRouter(assignments, routerIds);
            perRouterLoss = SquaredCoefficientOfVariation(importance) + SquaredCoefficientOfVariation(load);
        }
        else
        {
            var fractions = PerRouter(assignments, routerIds) / (tokensPerRouter * topK).clamp_min(1).unsqueeze(1);
            var probabilities = PerRouter(nn.functional.softmax(routing, 1), routerIds) / tokensPerRouter.clamp_min(1).unsqueeze(1);
            perRouterLoss = (fractions * probabilities).sum(1) * expertCount;
        }

        return (perRouterLoss * active).sum() / active.sum();
    }

    // Sums token rows [N, E] per router -> [R, E].
    private Tensor PerRouter(Tensor rows, Tensor routerIds)
        => zeros(routers, expertCount, rows.dtype, rows.device).index_add(0, routerIds, rows, 1);

    // Row-wise Var / (Mean^2 + eps) with the population variance -> [R].
    private static Tensor SquaredCoefficientOfVariation(Tensor x)
        => x.var(1, unbiased: false) / (x.mean(new long[] { 1 }).square() + CvEpsilon);

    // Shazeer et al.'s smooth estimate of P(expert e is in the top k) under fresh noise, given the other scores.
    private Tensor ProbabilityInTopK(Tensor clean, Tensor noisy, Tensor noiseScale, Tensor topValues)
    {
        var thresholdIfIn = topValues.narrow(1, topK, 1);
        var thresholdIfOut = topValues.narrow(1, topK - 1, 1);
        var isIn = noisy.gt(thresholdIfIn);
        var probabilityIfIn = special.ndtr((clean - thresholdIfIn) / noiseScale);
        var probabilityIfOut = special.ndtr((clean - thresholdIfOut) / noiseScale);
        return where(isIn, probabilityIfIn, probabilityIfOut);
    }
}
