using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

namespace Btw;

/// <summary>
/// Computes, on the outputs' device and in one pass, every per-example quantity the weighter needs from a batch,
/// and brings them to the host in a single transfer as a row-major float64 matrix [B, 5M + 3].
/// Columns for modality m start at <c>5m</c>: divergence d (nats), MI value (label or mean), confidence score,
/// agreement value, finite flag (1 or 0); then the multimodal MI value, agreement value and finite flag.
/// </summary>
internal static class BatchStatistics
{
    public const int PerModality = 5;
    public const int Divergence = 0;
    public const int Value = 1;
    public const int Confidence = 2;
    public const int Agreement = 3;
    public const int Finite = 4;

    public static int Width(int modalities) => (PerModality * modalities) + 3;

    /// <summary>The matrix [B, Width] in a pooled buffer the caller disposes.</summary>
    public static PooledArray<double> Compute(IReadOnlyList<Tensor> unimodal, Tensor multimodal, BtwOptions options)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var columns = new List<Tensor>(Width(unimodal.Count));
        if (options.Task == BtwTask.Classification)
        {
            AddCategorical(columns, unimodal, multimodal, options.Temperature);
        }
        else
        {
            AddGaussian(columns, unimodal, multimodal, options.RegressionSigma, options.VarianceEpsilon);
        }

        var matrix = stack(columns, 1);
        var result = PooledArray<double>.Rent(checked((int)matrix.NumberOfElements));
        HostCopy.CopyTo(matrix, result.Span);
        return result;
    }

    private static void AddCategorical(List<Tensor> columns, IReadOnlyList<Tensor> unimodal, Tensor multimodal, double temperature)
    {
        var classes = multimodal.shape[1];
        var logPz = nn.functional.log_softmax(multimodal.to_type(ScalarType.Float64) / temperature, 1);
        var multiLabel = multimodal.argmax(1).unsqueeze(1);
        var logClasses = Math.Log(classes);
        foreach (var u in unimodal)
        {
            var logPu = nn.functional.log_softmax(u.to_type(ScalarType.Float64) / temperature, 1);
            var pu = logPu.exp();
            columns.Add(InstanceDivergence.FromLogProbabilities(logPu, logPz));
            columns.Add(u.argmax(1).to_type(ScalarType.Float64));
            columns.Add(((pu * logPu).sum(1) + logClasses).clamp_min(0.0));
            columns.Add(pu.gather(1, multiLabel).squeeze(1));
            columns.Add(FiniteRows(u));
        }

        columns.Add(multiLabel.squeeze(1).to_type(ScalarType.Float64));
        columns.Add(logPz.exp().gather(1, multiLabel).squeeze(1));
        columns.Add(FiniteRows(multimodal));
    }

    private static void AddGaussian(List<Tensor> columns, IReadOnlyList<Tensor> unimodal, Tensor multimodal, double sigma, double varianceEpsilon)
    {
        var twoColumns = multimodal.dim() == 2 && multimodal.shape[1] == 2;
        var z = multimodal.to_type(ScalarType.Float64).reshape(multimodal.shape[0], -1);
        var meanZ = z[.., 0];
        foreach (var output in unimodal)
        {
            var u = output.to_type(ScalarType.Float64).reshape(output.shape[0], -1);
            var meanU = u[.., 0];
            if (twoColumns)
            {
                columns.Add(InstanceDivergence.FromGaussianParameters(meanU, u[.., 1], meanZ, z[.., 1], varianceEpsilon));
            }
            else
            {
                columns.Add(InstanceDivergence.FromMeans(meanU, meanZ, sigma));
            }

            columns.Add(meanU);

            // exp(-H) of N(mu, s^2) = 1 / sqrt(2 pi e s^2): lower entropy, larger score. Mean-only outputs share one sigma.
            columns.Add(twoColumns
                ? (u[.., 1].exp().clamp_min(varianceEpsilon) * (2.0 * Math.PI * Math.E)).rsqrt()
                : ones_like(meanU));
            columns.Add(meanU);
            columns.Add(FiniteRows(output));
        }

        columns.Add(meanZ);
        columns.Add(meanZ);
        columns.Add(FiniteRows(multimodal));
    }

    private static Tensor FiniteRows(Tensor output) =>
        isfinite(output).reshape(output.shape[0], -1).all(1).to_type(ScalarType.Float64);
}
