using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

namespace Btw;

/// <summary>
/// Every per-example quantity the weighter needs from a batch, computed on the outputs' device in a few batched tensor
/// operations over all M + 1 outputs at once ([M + 1, B, C]) and brought to the host in a single transfer as a float64
/// matrix [5M + 3, B] (one row per quantity, in a pooled buffer; dispose it). Quantities, for modality j (and, where
/// marked, the multimodal output as j = M): the divergence d (nats); the MI value (label or mean; also multimodal); the
/// confidence score; the agreement value (also multimodal); the finite flag, 1 or 0 (also multimodal).
/// </summary>
internal readonly struct BatchStatistics : IDisposable
{
    private readonly PooledArray<double> _values;
    private readonly int _batch;
    private readonly int _modalities;

    private BatchStatistics(PooledArray<double> values, int batch, int modalities)
    {
        _values = values;
        _batch = batch;
        _modalities = modalities;
    }

    /// <summary>d_i^j in nats.</summary>
    public double Divergence(int row, int modality) => _values[(modality * _batch) + row];

    /// <summary>The statistic for MI: predicted label (classification) or mean (regression); <paramref name="modality"/> = M for the multimodal output.</summary>
    public double Value(int row, int modality) => _values[((_modalities + modality) * _batch) + row];

    /// <summary>The entropy-based confidence score of the unimodal prediction.</summary>
    public double Confidence(int row, int modality) => _values[(((2 * _modalities) + 1 + modality) * _batch) + row];

    /// <summary>The statistic for correlation; <paramref name="modality"/> = M for the multimodal output.</summary>
    public double Agreement(int row, int modality) => _values[(((3 * _modalities) + 1 + modality) * _batch) + row];

    /// <summary>Whether the output is finite in this row; <paramref name="modality"/> = M for the multimodal output.</summary>
    public bool IsFinite(int row, int modality) => _values[(((4 * _modalities) + 2 + modality) * _batch) + row] != 0;

    public static BatchStatistics Compute(IReadOnlyList<Tensor> unimodal, Tensor multimodal, BtwOptions options)
    {
        var m = unimodal.Count;
        var batch = checked((int)multimodal.shape[0]);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var outputs = new Tensor[m + 1];
        for (var j = 0; j < m; j++)
        {
            outputs[j] = unimodal[j];
        }

        outputs[m] = multimodal;
        var all = StackFloat64(outputs, batch);                                   // [M + 1, B, K]
        var matrix = options.Task == BtwTask.Classification
            ? Categorical(all, m, options.Temperature)
            : Gaussian(all, m, options.RegressionSigma, options.VarianceEpsilon);
        var values = PooledArray<double>.Rent(checked((int)matrix.NumberOfElements));
        HostCopy.CopyTo(matrix, values.Span);
        return new BatchStatistics(values, batch, m);
    }

    /// <summary>Returns the buffer to the pool.</summary>
    public void Dispose() => _values.Dispose();

    // Logits [M + 1, B, C] -> [5M + 3, B].
    private static Tensor Categorical(Tensor all, int m, double temperature)
    {
        var classes = all.shape[2];
        var logP = nn.functional.log_softmax(temperature == 1.0 ? all : all / temperature, 2);
        var p = logP.exp();
        var logPu = logP.narrow(0, 0, m);
        var pu = p.narrow(0, 0, m);
        var labels = all.argmax(2);                                              // [M + 1, B]
        var multiLabel = labels[m].unsqueeze(0).unsqueeze(2).expand(m + 1, -1, 1);
        var divergence = (pu * (logPu - logP[m])).sum(2).clamp_min(0.0);         // as InstanceDivergence.FromLogProbabilities
        var confidence = ((pu * logPu).sum(2) + Math.Log(classes)).clamp_min(0.0);
        var agreement = p.gather(2, multiLabel).squeeze(2);                      // p_u(argmax z) and max p_z
        return cat(new[] { divergence, labels.to_type(ScalarType.Float64), confidence, agreement, FiniteRows(all) }, 0);
    }

    // Outputs [M + 1, B, 1] (mean) or [M + 1, B, 2] (mean, log-variance) -> [5M + 3, B].
    private static Tensor Gaussian(Tensor all, int m, double sigma, double varianceEpsilon)
    {
        var twoColumns = all.shape[2] == 2;
        var means = all[.., .., 0];                                              // [M + 1, B]
        var meanU = means.narrow(0, 0, m);
        var meanZ = means[m];
        Tensor divergence, confidence;
        if (twoColumns)
        {
            var logVar = all[.., .., 1];
            var logVarU = logVar.narrow(0, 0, m);
            divergence = InstanceDivergence.FromGaussianParameters(meanU, logVarU, meanZ, logVar[m], varianceEpsilon);

            // exp(-H) of N(mu, s^2) = 1 / sqrt(2 pi e s^2): lower entropy, larger score.
            confidence = (logVarU.exp().clamp_min(varianceEpsilon) * (2.0 * Math.PI * Math.E)).rsqrt();
        }
        else
        {
            divergence = InstanceDivergence.FromMeans(meanU, meanZ, sigma);

            // Mean-only outputs share one sigma.
            confidence = ones_like(meanU);
        }

        return cat(new[] { divergence, means, confidence, means, FiniteRows(all) }, 0);
    }

    // The M + 1 outputs as one float64 tensor [M + 1, B, K] (regression [B] becomes [B, 1]).
    private static Tensor StackFloat64(Tensor[] outputs, int batch)
    {
        var sameType = true;
        for (var j = 1; j < outputs.Length; j++)
        {
            sameType &= outputs[j].dtype == outputs[0].dtype;
        }

        if (!sameType)
        {
            outputs = Array.ConvertAll(outputs, o => o.to_type(ScalarType.Float64));
        }

        var all = stack(outputs, 0).reshape(outputs.Length, batch, -1);
        return all.dtype == ScalarType.Float64 ? all : all.to_type(ScalarType.Float64);
    }

    // [M + 1, B, K] -> [M + 1, B]: 1 where every value of the row is finite.
    private static Tensor FiniteRows(Tensor all) => isfinite(all).all(2).to_type(ScalarType.Float64);
}
