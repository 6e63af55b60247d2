using System;
using Btw.Internal;
using Btw.Kernels;

namespace Btw.Benchmarks;

/// <summary>
/// The classification kernel's host path as it was before issue 17 (straightforward loops over spans, a separate
/// argmax and finite pass per row): the reference the <c>--step-breakdown</c> mode times the current kernel against,
/// interleaved in one run. Same results bit for bit (the digests of <c>--digest</c>).
/// </summary>
internal static class ReferenceCategoricalFill
{
    /// <summary>Fills <paramref name="target"/> as <see cref="ITaskKernel.Fill"/> did before.</summary>
    public static void Fill(double temperature, ReadOnlySpan<double> outputs, int width, BatchStatistics target)
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


    /// <summary>The reference as a task kernel (host path only), for <see cref="BatchStatistics.FillOnHost"/>.</summary>
    internal sealed class Kernel(double temperature) : ITaskKernel
    {
        public void ValidateOutput(TorchSharp.torch.Tensor multimodal, long batch) => throw new NotSupportedException();

        public void Fill(ReadOnlySpan<double> outputs, int width, BatchStatistics target) => ReferenceCategoricalFill.Fill(temperature, outputs, width, target);

        public TorchSharp.torch.Tensor Compute(TorchSharp.torch.Tensor outputs) => throw new NotSupportedException();

        public double MutualInformation(double[] unimodal, double[] multimodal) => throw new NotSupportedException();

        public double UnclippedMutualInformation(double[] unimodal, double[] multimodal) => throw new NotSupportedException();
    }
}
