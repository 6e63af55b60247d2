using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Btw.Internal;
using TorchSharp;
using static TorchSharp.torch;

namespace Btw.Kernels;

/// <summary>
/// The classification kernel: outputs are logits [B, C], softened by a temperature T. Per example and modality: the
/// divergence d = KL(softmax(u/T) || softmax(z/T)) in nats (clamped at 0); the MI value, the predicted label (also
/// multimodal); the confidence score log C - H(softmax(u/T)) (clamped at 0); the agreement value, the probability the
/// prediction gives the multimodal label (also multimodal: max p_z); the finite flag. The modality information is the
/// discrete MI of the labels. Outputs whose every row is already a probability row are refused (see <see cref="ProbabilityRows"/>)
/// unless <see cref="BtwOptions.AllowProbabilityOutputs"/>. The host path (<see cref="Fill"/>) and the tensor path (<see cref="Compute"/>) below are
/// the same formulas.
/// </summary>
internal sealed class CategoricalKernel(double temperature, bool allowProbabilities = false) : ITaskKernel
{
    /// <summary>KL per row from float64 log-probabilities [..., C]; returns float64 [...], clamped at 0 (the formula <see cref="InstanceDivergence.Categorical"/> uses).</summary>
    public static Tensor Divergence(Tensor logPu, Tensor logPz) => (logPu.exp() * (logPu - logPz)).sum(-1).clamp_min(0.0);

    /// <inheritdoc/>
    public void ValidateOutput(Tensor multimodal, long batch)
    {
        TaskShapes.Require(multimodal, BtwTask.Classification, "The multimodal output", "BtwOptions.Task", nameof(multimodal));
        if (multimodal.shape[0] != batch)
        {
            throw new ArgumentException(Shapes.Message($"Expected multimodal logits of shape [{batch}, C]; got {Shapes.Of(multimodal)}."), nameof(multimodal));
        }
    }

    /// <inheritdoc/>
    public Tensor Compute(Tensor outputs)
    {
        var m = (int)outputs.shape[0] - 1;
        var classes = outputs.shape[2];
        if (!allowProbabilities && ProbabilityRows.First(outputs) is var refused and >= 0)
        {
            throw ProbabilityRows.Refusal(refused, m, Shapes.Format([outputs.shape[1], classes]));
        }

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
    /// <remarks>
    /// Per row, one pass over the logits finds the maximum of x / T (torch's NaN rule), the argmax of x
    /// (<see cref="HostMath.ArgMax"/>'s rule) and whether every logit is finite; the exponentials of the whole batch are
    /// taken in one vectorised pass (<see cref="HostMath.Exp"/>: each a function of its own argument, whatever its neighbours or the buffer's address); a second pass per row normalises. The arithmetic per value is the one of the
    /// straightforward loops (the same operations in the same order, so the same bits); the loops only avoid bounds
    /// checks and repeated passes.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Fill(ReadOnlySpan<double> outputs, int width, BatchStatistics target)
    {
        var m = target.Modalities;
        var batch = target.Batch;
        var classes = width;
        if (!allowProbabilities && ProbabilityRows.First(outputs, m + 1, batch, classes) is var refused and >= 0)
        {
            throw ProbabilityRows.Refusal(refused, m, Shapes.Format([batch, classes]));
        }

        var logClasses = Math.Log(classes);
        var rows = (m + 1) * batch;
        using var logPBuffer = PooledArray<double>.Rent(outputs.Length);
        using var pBuffer = PooledArray<double>.Rent(outputs.Length);
        using var rowBuffer = PooledArray<int>.Rent(2 * rows);
        var argMax = rowBuffer.AsSpan(0, rows);
        var finiteRow = rowBuffer.AsSpan(rows, rows);
        var logP = logPBuffer.Span;
        var p = pBuffer.Span;
        ref var x0 = ref MemoryMarshal.GetReference(outputs);
        ref var y0 = ref MemoryMarshal.GetReference(logP);
        ref var e0 = ref MemoryMarshal.GetReference(p);

        // log_softmax(x / T) = (y - max) - log(sum exp(y - max)), y = x / T, as torch; p = exp(y - max) / sum.
        var unitTemperature = temperature == 1.0;
        var inverseTemperature = 1.0 / temperature;
        for (var r = 0; r < rows; r++)
        {
            ref var x = ref Unsafe.Add(ref x0, r * classes);
            ref var y = ref Unsafe.Add(ref y0, r * classes);
            var max = double.NegativeInfinity;
            var best = 0;
            var bestValue = x;
            var finite = 0.0; // stays 0 while every logit is finite (x * 0 is NaN for an infinity or a NaN)
            for (var c = 0; c < classes; c++)
            {
                var xc = Unsafe.Add(ref x, c);
                var v = unitTemperature ? xc : xc * inverseTemperature;
                Unsafe.Add(ref y, c) = v;
                max = v > max || double.IsNaN(v) ? v : max;
                finite += xc * 0.0;

                // HostMath.ArgMax: the first maximum, or the first NaN.
                if (!double.IsNaN(bestValue) && (double.IsNaN(xc) || xc > bestValue))
                {
                    best = c;
                    bestValue = xc;
                }
            }

            for (var c = 0; c < classes; c++)
            {
                Unsafe.Add(ref y, c) -= max;
            }

            argMax[r] = best;
            finiteRow[r] = finite == 0.0 ? 1 : 0;
        }

        HostMath.Exp(logP, p);   // not TensorPrimitives.Exp alone: see HostMath.Exp (a value's bits must not depend on its neighbours)
        for (var r = 0; r < rows; r++)
        {
            ref var y = ref Unsafe.Add(ref y0, r * classes);
            ref var e = ref Unsafe.Add(ref e0, r * classes);
            double sum = 0;
            for (var c = 0; c < classes; c++)
            {
                sum += Unsafe.Add(ref e, c);
            }

            var logSum = Math.Log(sum);
            var inverseSum = 1.0 / sum;
            for (var c = 0; c < classes; c++)
            {
                Unsafe.Add(ref y, c) -= logSum;
                Unsafe.Add(ref e, c) *= inverseSum;
            }
        }

        // The multimodal row first (its label is needed by every modality), then one modality at a time.
        var labels = target.Of(ObservationColumns.Value, m);
        var multimodalAgreement = target.Of(ObservationColumns.Agreement, m);
        var multimodalFinite = target.FiniteOf(m);
        for (var i = 0; i < batch; i++)
        {
            var row = (m * batch) + i;
            var label = argMax[row];
            labels[i] = label;
            multimodalAgreement[i] = Unsafe.Add(ref e0, (row * classes) + label);
            multimodalFinite[i] = finiteRow[row];
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
                var row = (j * batch) + i;
                ref var logPu = ref Unsafe.Add(ref y0, row * classes);
                ref var pu = ref Unsafe.Add(ref e0, row * classes);
                ref var logPz = ref Unsafe.Add(ref y0, ((m * batch) + i) * classes);
                double kl = 0, negativeEntropy = 0;
                for (var c = 0; c < classes; c++)
                {
                    var pc = Unsafe.Add(ref pu, c);
                    var lc = Unsafe.Add(ref logPu, c);
                    kl += pc * (lc - Unsafe.Add(ref logPz, c));
                    negativeEntropy += pc * lc;
                }

                divergence[i] = HostMath.ClampMin(kl, 0.0);
                value[i] = argMax[row];
                confidence[i] = HostMath.ClampMin(negativeEntropy + logClasses, 0.0);
                agreement[i] = Unsafe.Add(ref pu, (int)labels[i]);
                finite[i] = finiteRow[row];
            }
        }
    }

    /// <inheritdoc/>
    public double MutualInformation(double[] unimodal, double[] multimodal)
    {
        // The labels as ints in pooled buffers (no two arrays of N per modality and epoch on the large-object heap).
        using var a = PooledArray<int>.Rent(unimodal.Length);
        using var b = PooledArray<int>.Rent(multimodal.Length);
        for (var i = 0; i < a.Length; i++)
        {
            a[i] = (int)unimodal[i];
        }

        for (var i = 0; i < b.Length; i++)
        {
            b[i] = (int)multimodal[i];
        }

        return Btw.Information.DiscreteEstimator.Estimate(a.Span, b.Span);
    }

    /// <inheritdoc/>
    public double UnclippedMutualInformation(double[] unimodal, double[] multimodal) => MutualInformation(unimodal, multimodal);
}
