// TEMPORARY (pre-merge only). The Btw core (BtwWeighter, issue 1-2) and the mixture-of-experts module
// (issue 3) are being written on other branches. This file mirrors their documented public API with a
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

public enum BtwTask { Classification = 0, Regression = 1 }

public enum BtwWeighting { Uniform = 0, Kl = 1, Mi = 2, KlMi = 3, Entropy = 4, Correlation = 5 }

public sealed class BtwOptions
{
    public int Modalities { get; set; }
    public BtwTask Task { get; set; }
    public BtwWeighting Weighting { get; set; } = BtwWeighting.KlMi;
    public double Alpha { get; set; } = 0.5;
}

public sealed class BtwModalityReport
{
    internal BtwModalityReport(int m, double mi, double nmi, double mean, int present) { Modality = m; MutualInformation = mi; NormalizedMutualInformation = nmi; MeanWeight = mean; Present = present; }
    public int Modality { get; }
    public double MutualInformation { get; }
    public double NormalizedMutualInformation { get; }
    public double MeanWeight { get; }
    public int Present { get; }
}

public sealed class BtwEpochReport
{
    internal BtwEpochReport(int epoch, int observed, IReadOnlyList<BtwModalityReport> modalities) { Epoch = epoch; Observed = observed; Modalities = modalities; }
    public int Epoch { get; }
    public int Observed { get; }
    public IReadOnlyList<BtwModalityReport> Modalities { get; }
}

public sealed class BtwWeighter : IDisposable
{
    private readonly BtwOptions _o;
    private readonly Dictionary<long, float[]> _weights = new();
    private readonly Dictionary<long, (float[] D, bool[] P)> _pending = new();
    private readonly List<(int[] U, int Z, bool[] P)> _labels = new();
    private int _epoch;

    public BtwWeighter(BtwOptions options) { _o = options; }
    public int CompletedEpochs => _epoch;

    public Tensor WeightsFor(Tensor sampleIds) => WeightsFor(sampleIds, torch.ones(sampleIds.shape[0], _o.Modalities, dtype: ScalarType.Bool));

    public Tensor WeightsFor(Tensor sampleIds, Tensor present)
    {
        var ids = sampleIds.data<long>().ToArray();
        var p = present.to_type(ScalarType.Float32).cpu().data<float>().ToArray();
        var m = _o.Modalities;
        var result = new float[ids.Length * m];
        for (var i = 0; i < ids.Length; i++)
        {
            var w = _weights.TryGetValue(ids[i], out var s) ? s : Enumerable.Repeat(1f, m).ToArray();
            float sum = 0, count = 0;
            for (var j = 0; j < m; j++) { sum += w[j] * p[i * m + j]; count += p[i * m + j]; }
            for (var j = 0; j < m; j++) result[i * m + j] = sum > 0 ? w[j] * p[i * m + j] * count / sum : p[i * m + j];
        }

        return torch.tensor(result, new long[] { ids.Length, m });
    }

    public void Observe(Tensor sampleIds, IReadOnlyList<Tensor> unimodal, Tensor multimodal, Tensor? present = null)
    {
        using var scope = torch.NewDisposeScope();
        using var _ = torch.no_grad();
        var ids = sampleIds.data<long>().ToArray();
        var m = _o.Modalities;
        var d = new float[m][];
        var u = new int[m][];
        int[] z;
        if (_o.Task == BtwTask.Classification)
        {
            var lz = multimodal.log_softmax(1);
            z = multimodal.argmax(1).to_type(ScalarType.Int32).data<int>().ToArray();
            for (var j = 0; j < m; j++)
            {
                var lu = unimodal[j].log_softmax(1);
                d[j] = (lu.exp() * (lu - lz)).sum(1).data<float>().ToArray();
                u[j] = unimodal[j].argmax(1).to_type(ScalarType.Int32).data<int>().ToArray();
            }
        }
        else
        {
            var mz = multimodal.reshape(-1);
            z = new int[ids.Length];
            for (var j = 0; j < m; j++) { d[j] = (unimodal[j].reshape(-1) - mz).square().div(2).data<float>().ToArray(); u[j] = new int[ids.Length]; }
        }

        var p = present is null ? null : present.to_type(ScalarType.Bool).cpu().data<bool>().ToArray();
        for (var i = 0; i < ids.Length; i++)
        {
            var pi = Enumerable.Range(0, m).Select(j => p is null || p[i * m + j]).ToArray();
            _pending[ids[i]] = (Enumerable.Range(0, m).Select(j => d[j][i]).ToArray(), pi);
            _labels.Add((Enumerable.Range(0, m).Select(j => u[j][i]).ToArray(), z[i], pi));
        }
    }

    public BtwEpochReport EndEpoch()
    {
        var m = _o.Modalities;
        var mi = new double[m];
        for (var j = 0; j < m; j++)
        {
            var pairs = _labels.Where(l => l.P[j]).Select(l => (l.U[j], l.Z)).ToArray();
            mi[j] = PlugInMi(pairs);
        }

        var nmi = mi.Select(v => Math.Max(v, 1e-5)).ToArray();
        var total = nmi.Sum();
        for (var j = 0; j < m; j++) nmi[j] /= total;
        if (_epoch == 0 && _o.Weighting is BtwWeighting.Mi) { Array.Fill(nmi, 1.0 / m); }
        var sums = new double[m];
        var counts = new int[m];
        foreach (var (id, (d, p)) in _pending)
        {
            var raw = new double[m];
            var present = p.Count(x => x);
            var dsum = Enumerable.Range(0, m).Where(j => p[j]).Sum(j => (double)d[j]);
            for (var j = 0; j < m; j++)
            {
                if (!p[j]) continue;
                var k = dsum > 0 ? d[j] / dsum : 1.0 / present;
                raw[j] = _o.Weighting switch { BtwWeighting.Kl => k, BtwWeighting.Mi => nmi[j], BtwWeighting.KlMi => k * nmi[j], _ => 1.0 };
            }

            var rsum = raw.Sum();
            var w = _weights.TryGetValue(id, out var old) ? old : Enumerable.Repeat(1f, m).ToArray();
            for (var j = 0; j < m; j++)
            {
                var wn = rsum > 0 ? raw[j] / rsum * present : 0;
                w[j] = (float)(_o.Alpha * wn + (1 - _o.Alpha) * w[j]);
                if (p[j]) { sums[j] += w[j]; counts[j]++; }
            }

            _weights[id] = w;
        }

        _epoch++;
        var report = new BtwEpochReport(_epoch, _pending.Count, Enumerable.Range(0, m).Select(j => new BtwModalityReport(j, mi[j], nmi[j], counts[j] > 0 ? sums[j] / counts[j] : 0, counts[j])).ToArray());
        _pending.Clear();
        _labels.Clear();
        return report;
    }

    private static double PlugInMi((int U, int Z)[] pairs)
    {
        if (pairs.Length == 0) return 0;
        var n = (double)pairs.Length;
        var joint = pairs.GroupBy(x => x).ToDictionary(g => g.Key, g => g.Count() / n);
        var pu = pairs.GroupBy(x => x.U).ToDictionary(g => g.Key, g => g.Count() / n);
        var pz = pairs.GroupBy(x => x.Z).ToDictionary(g => g.Key, g => g.Count() / n);
        return joint.Sum(kv => kv.Value * Math.Log(kv.Value / (pu[kv.Key.U] * pz[kv.Key.Z])));
    }

    public void Dispose() { }
}

public sealed record BtwInput(IReadOnlyList<Tensor> Modalities, Tensor? Weights = null, Tensor? Present = null);

public sealed class BtwOutput : IDisposable
{
    public BtwOutput(Tensor multimodal, IReadOnlyList<Tensor> unimodal, Tensor aux) { Multimodal = multimodal; Unimodal = unimodal; AuxiliaryLoss = aux; }
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

public static class BtwLoss
{
    public static Tensor Compute(BtwOutput output, Tensor target, BtwTask task, double lambda = 1.0, double beta = 0.01)
    {
        Func<Tensor, Tensor> f = task == BtwTask.Classification
            ? t => nn.functional.cross_entropy(t, target)
            : t => nn.functional.mse_loss(t.reshape(-1), target);
        var uni = output.Unimodal.Select(f).Aggregate((a, b) => a + b) / output.Unimodal.Count;
        return f(output.Multimodal) + lambda * uni + beta * output.AuxiliaryLoss.sum();
    }
}
