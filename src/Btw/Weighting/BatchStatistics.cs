using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

namespace Btw;

/// <summary>
/// Every per-example quantity the weighter needs from a batch, as a float64 matrix [5M + 3, B] (one row per quantity,
/// in a pooled buffer; dispose it). Quantities, for modality j (and, where marked, the multimodal output as j = M): the
/// divergence d (nats); the MI value (label or mean; also multimodal); the confidence score; the agreement value (also
/// multimodal); the finite flag, 1 or 0 (also multimodal).
/// </summary>
/// <remarks>
/// Outputs on the CPU are copied to managed memory in one block and the quantities computed there in float64 (a few
/// microseconds for a batch; TorchSharp's kernels on tensors this small cost far more per call). Outputs on another
/// device are computed there with batched tensor operations over all M + 1 outputs at once ([M + 1, B, C]) and the
/// matrix comes to the host in one transfer. Both follow the same formulas (those of <see cref="InstanceDivergence"/>)
/// and agree to rounding (tested to 1e-12).
/// </remarks>
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

    /// <summary>Computes the quantities of a validated batch: on the host for CPU outputs, on their device otherwise.</summary>
    public static BatchStatistics Compute(IReadOnlyList<Tensor> unimodal, Tensor multimodal, BtwOptions options) =>
        multimodal.device_type == DeviceType.CPU
            ? ComputeOnHost(unimodal, multimodal, options)
            : ComputeOnDevice(unimodal, multimodal, options);

    /// <summary>Computes the quantities with tensor operations on the outputs' device.</summary>
    internal static BatchStatistics ComputeOnDevice(IReadOnlyList<Tensor> unimodal, Tensor multimodal, BtwOptions options)
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

    /// <summary>Copies the outputs to managed memory as float64 and computes the quantities there.</summary>
    internal static BatchStatistics ComputeOnHost(IReadOnlyList<Tensor> unimodal, Tensor multimodal, BtwOptions options)
    {
        var m = unimodal.Count;
        var batch = checked((int)multimodal.shape[0]);
        var width = batch == 0 ? 1 : checked((int)(multimodal.NumberOfElements / batch));
        using var outputs = PooledArray<double>.Rent(checked((m + 1) * batch * width));
        using (var scope = NewDisposeScope())
        using (var noGrad = no_grad())
        {
            var all = new Tensor[m + 1];
            for (var j = 0; j < m; j++)
            {
                all[j] = unimodal[j];
            }

            all[m] = multimodal;
            HostCopy.CopyTo(StackFloat64(all, batch), outputs.Span);        // [M + 1, B, K]
        }

        var values = PooledArray<double>.Rent(((5 * m) + 3) * batch);
        var statistics = new BatchStatistics(values, batch, m);
        if (options.Task == BtwTask.Classification)
        {
            statistics.FillCategorical(outputs.Span, width, options.Temperature);
        }
        else
        {
            statistics.FillGaussian(outputs.Span, width, options.RegressionSigma, options.VarianceEpsilon);
        }

        return statistics;
    }

    // Row index (into the [5M + 3, B] matrix) of each quantity for modality j (j = M: multimodal).
    private int DivergenceAt(int row, int j) => (j * _batch) + row;

    private int ValueAt(int row, int j) => ((_modalities + j) * _batch) + row;

    private int ConfidenceAt(int row, int j) => (((2 * _modalities) + 1 + j) * _batch) + row;

    private int AgreementAt(int row, int j) => (((3 * _modalities) + 1 + j) * _batch) + row;

    private int FiniteAt(int row, int j) => (((4 * _modalities) + 2 + j) * _batch) + row;

    // Logits [M + 1, B, C] (float64, row-major) -> the matrix, with the formulas of the device path.
    private void FillCategorical(ReadOnlySpan<double> logits, int classes, double temperature)
    {
        var m = _modalities;
        var result = _values.Span;
        var logClasses = Math.Log(classes);
        var rows = (m + 1) * _batch;
        using var logPBuffer = PooledArray<double>.Rent(logits.Length);
        using var pBuffer = PooledArray<double>.Rent(logits.Length);
        var logP = logPBuffer.Span;
        var p = pBuffer.Span;

        // log_softmax(x / T) = (y - max) - log(sum exp(y - max)), y = x / T, as torch; p = exp(y - max) / sum. The
        // exponentials of the whole batch are taken in one vectorised pass.
        var inverseTemperature = 1.0 / temperature;
        for (var r = 0; r < rows; r++)
        {
            var x = logits.Slice(r * classes, classes);
            var y = logP.Slice(r * classes, classes);
            var max = double.NegativeInfinity;
            for (var c = 0; c < x.Length; c++)
            {
                var v = temperature == 1.0 ? x[c] : x[c] * inverseTemperature;
                y[c] = v;
                max = v > max || double.IsNaN(v) ? v : max;
            }

            for (var c = 0; c < y.Length; c++)
            {
                y[c] -= max;
            }
        }

        FastMath.Exp(logP, p);
        for (var r = 0; r < rows; r++)
        {
            var y = logP.Slice(r * classes, classes);
            var e = p.Slice(r * classes, classes);
            double sum = 0;
            for (var c = 0; c < e.Length; c++)
            {
                sum += e[c];
            }

            var logSum = Math.Log(sum);
            var inverseSum = 1.0 / sum;
            for (var c = 0; c < y.Length; c++)
            {
                y[c] -= logSum;
                e[c] *= inverseSum;
            }
        }

        for (var i = 0; i < _batch; i++)
        {
            var z = logits.Slice(((m * _batch) + i) * classes, classes);
            var logPz = logP.Slice(((m * _batch) + i) * classes, classes);
            var pz = p.Slice(((m * _batch) + i) * classes, classes);
            var label = ArgMax(z);
            result[ValueAt(i, m)] = label;
            result[AgreementAt(i, m)] = pz[label];
            result[FiniteAt(i, m)] = AllFinite(z) ? 1.0 : 0.0;
            for (var j = 0; j < m; j++)
            {
                var offset = ((j * _batch) + i) * classes;
                var u = logits.Slice(offset, classes);
                var logPu = logP.Slice(offset, classes);
                var pu = p.Slice(offset, classes);
                double divergence = 0, negativeEntropy = 0;
                for (var c = 0; c < classes; c++)
                {
                    divergence += pu[c] * (logPu[c] - logPz[c]);
                    negativeEntropy += pu[c] * logPu[c];
                }

                result[DivergenceAt(i, j)] = ClampMin(divergence, 0.0);
                result[ValueAt(i, j)] = ArgMax(u);
                result[ConfidenceAt(i, j)] = ClampMin(negativeEntropy + logClasses, 0.0);
                result[AgreementAt(i, j)] = pu[label];
                result[FiniteAt(i, j)] = AllFinite(u) ? 1.0 : 0.0;
            }
        }
    }

    // Outputs [M + 1, B, K], K = 1 (mean) or 2 (mean, log-variance) -> the matrix, with the formulas of the device path.
    private void FillGaussian(ReadOnlySpan<double> outputs, int width, double sigma, double varianceEpsilon)
    {
        var m = _modalities;
        var result = _values.Span;
        var entropyScale = 2.0 * Math.PI * Math.E;
        for (var i = 0; i < _batch; i++)
        {
            var z = outputs.Slice(((m * _batch) + i) * width, width);
            result[ValueAt(i, m)] = z[0];
            result[AgreementAt(i, m)] = z[0];
            result[FiniteAt(i, m)] = AllFinite(z) ? 1.0 : 0.0;
            for (var j = 0; j < m; j++)
            {
                var u = outputs.Slice(((j * _batch) + i) * width, width);
                var diff = u[0] - z[0];
                if (width == 2)
                {
                    var varU = ClampMin(Math.Exp(u[1]), varianceEpsilon);
                    var varZ = ClampMin(Math.Exp(z[1]), varianceEpsilon);
                    result[DivergenceAt(i, j)] = ClampMin((0.5 * (Math.Log(varZ) - Math.Log(varU))) + ((varU + (diff * diff)) / (2.0 * varZ)) - 0.5, 0.0);
                    result[ConfidenceAt(i, j)] = 1.0 / Math.Sqrt(varU * entropyScale);
                }
                else
                {
                    result[DivergenceAt(i, j)] = diff * (diff / (2.0 * sigma * sigma));   // no overflow while d is finite
                    result[ConfidenceAt(i, j)] = 1.0;
                }

                result[ValueAt(i, j)] = u[0];
                result[AgreementAt(i, j)] = u[0];
                result[FiniteAt(i, j)] = AllFinite(u) ? 1.0 : 0.0;
            }
        }
    }

    // Index of the first maximum, a NaN counting as the maximum (torch.argmax).
    private static int ArgMax(ReadOnlySpan<double> x)
    {
        var best = 0;
        for (var c = 1; c < x.Length; c++)
        {
            if (double.IsNaN(x[best]))
            {
                break;
            }

            if (double.IsNaN(x[c]) || x[c] > x[best])
            {
                best = c;
            }
        }

        return best;
    }

    private static bool AllFinite(ReadOnlySpan<double> x)
    {
        foreach (var v in x)
        {
            if (!double.IsFinite(v))
            {
                return false;
            }
        }

        return true;
    }

    // torch.clamp_min: NaN stays NaN.
    private static double ClampMin(double value, double minimum) => value < minimum ? minimum : value;

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
