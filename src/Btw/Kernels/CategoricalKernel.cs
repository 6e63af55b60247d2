using System;
using Btw.Internal;
using TorchSharp;
using static TorchSharp.torch;

namespace Btw.Kernels;

/// <summary>
/// The classification kernel: outputs are logits [B, C], softened by a temperature T. Per example and modality: the
/// divergence d = KL(softmax(u/T) || softmax(z/T)) in nats (clamped at 0); the MI value, the predicted label (also
/// multimodal); the confidence score log C - H(softmax(u/T)) (clamped at 0); the agreement value, the probability the
/// prediction gives the multimodal label (also multimodal: max p_z); the finite flag. The modality information is the
/// discrete MI of the labels. The host path (<see cref="Fill"/>) and the tensor path (<see cref="Compute"/>) below are
/// the same formulas.
/// </summary>
internal sealed class CategoricalKernel(double temperature) : ITaskKernel
{
    /// <summary>KL per row from float64 log-probabilities [..., C]; returns float64 [...], clamped at 0 (also <see cref="InstanceDivergence.Categorical"/>).</summary>
    public static Tensor Divergence(Tensor logPu, Tensor logPz) => (logPu.exp() * (logPu - logPz)).sum(-1).clamp_min(0.0);

    /// <inheritdoc/>
    public void ValidateOutput(Tensor multimodal, long batch)
    {
        if (multimodal.dim() == 1 || (multimodal.dim() == 2 && multimodal.shape[1] < 2))
        {
            throw new ArgumentException(
                Shapes.Message($"BtwOptions.Task is Classification, which expects multimodal logits [B, C] with C >= 2 classes; got {Shapes.Of(multimodal)}. Outputs of shape [B] or [B, 1] are regression outputs: set BtwOptions.Task = BtwTask.Regression (every weight would otherwise stay 1 and every MI 0)."),
                nameof(multimodal));
        }

        if (multimodal.dim() != 2 || multimodal.shape[0] != batch || multimodal.shape[1] < 1)
        {
            throw new ArgumentException(Shapes.Message($"Expected multimodal logits of shape [{batch}, C]; got {Shapes.Of(multimodal)}."), nameof(multimodal));
        }
    }

    /// <inheritdoc/>
    public Tensor Compute(Tensor outputs)
    {
        var m = (int)outputs.shape[0] - 1;
        var classes = outputs.shape[2];
        var logP = nn.functional.log_softmax(temperature == 1.0 ? outputs : outputs / temperature, 2);
        var p = logP.exp();
        var logPu = logP.narrow(0, 0, m);
        var labels = outputs.argmax(2);                                          // [M + 1, B]
        var multiLabel = labels[m].unsqueeze(0).unsqueeze(2).expand(m + 1, -1, 1);
        var divergence = Divergence(logPu, logP[m]);
        var confidence = ((p.narrow(0, 0, m) * logPu).sum(2) + Math.Log(classes)).clamp_min(0.0);
        var agreement = p.gather(2, multiLabel).squeeze(2);                      // p_u(argmax z) and max p_z
        return BatchStatistics.Stack(divergence, labels.to_type(ScalarType.Float64), confidence, agreement, BatchStatistics.FiniteRows(outputs));
    }

    /// <inheritdoc/>
    public void Fill(ReadOnlySpan<double> outputs, int width, BatchStatistics target)
    {
        var m = target.Modalities;
        var batch = target.Batch;
        var classes = width;
        var logClasses = Math.Log(classes);
        var rows = (m + 1) * batch;
        using var logPBuffer = PooledArray<double>.Rent(outputs.Length);
        using var pBuffer = PooledArray<double>.Rent(outputs.Length);
        var logP = logPBuffer.Span;
        var p = pBuffer.Span;

        // log_softmax(x / T) = (y - max) - log(sum exp(y - max)), y = x / T, as torch; p = exp(y - max) / sum. The
        // exponentials of the whole batch are taken in one vectorised pass.
        var inverseTemperature = 1.0 / temperature;
        for (var r = 0; r < rows; r++)
        {
            var x = outputs.Slice(r * classes, classes);
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

        System.Numerics.Tensors.TensorPrimitives.Exp(logP, p);
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

        // The multimodal row first (its label is needed by every modality), then one modality at a time.
        var labels = target.Of(ObservationColumns.Value, m);
        var multimodalAgreement = target.Of(ObservationColumns.Agreement, m);
        var multimodalFinite = target.FiniteOf(m);
        for (var i = 0; i < batch; i++)
        {
            var offset = ((m * batch) + i) * classes;
            var z = outputs.Slice(offset, classes);
            var label = HostMath.ArgMax(z);
            labels[i] = label;
            multimodalAgreement[i] = p[offset + label];
            multimodalFinite[i] = HostMath.AllFinite(z) ? 1.0 : 0.0;
        }

        for (var j = 0; j < m; j++)
        {
            var divergence = target.Of(ObservationColumns.Divergence, j);
            var value = target.Of(ObservationColumns.Value, j);
            var confidence = target.Of(ObservationColumns.Confidence, j);
            var agreement = target.Of(ObservationColumns.Agreement, j);
            var finite = target.FiniteOf(j);
            for (var i = 0; i < batch; i++)
            {
                var offset = ((j * batch) + i) * classes;
                var u = outputs.Slice(offset, classes);
                var logPu = logP.Slice(offset, classes);
                var pu = p.Slice(offset, classes);
                var logPz = logP.Slice(((m * batch) + i) * classes, classes);
                double kl = 0, negativeEntropy = 0;
                for (var c = 0; c < classes; c++)
                {
                    kl += pu[c] * (logPu[c] - logPz[c]);
                    negativeEntropy += pu[c] * logPu[c];
                }

                divergence[i] = HostMath.ClampMin(kl, 0.0);
                value[i] = HostMath.ArgMax(u);
                confidence[i] = HostMath.ClampMin(negativeEntropy + logClasses, 0.0);
                agreement[i] = pu[(int)labels[i]];
                finite[i] = HostMath.AllFinite(u) ? 1.0 : 0.0;
            }
        }
    }

    /// <inheritdoc/>
    public double MutualInformation(double[] unimodal, double[] multimodal) =>
        Btw.MutualInformation.Discrete(Array.ConvertAll(unimodal, v => (int)v), Array.ConvertAll(multimodal, v => (int)v));

    /// <inheritdoc/>
    public double UnclippedMutualInformation(double[] unimodal, double[] multimodal) => MutualInformation(unimodal, multimodal);
}
