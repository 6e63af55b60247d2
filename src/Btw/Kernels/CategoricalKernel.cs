using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
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
    // Rows per vector, and blocks of four rows per chunk: the host path's scratch holds one chunk of every output
    // ((M + 1) x 32 rows x C float64, a few KiB for ten classes), so it stays in the first-level cache.
    private const int Lanes = 4;
    private const int ChunkBlocks = 8;

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
    /// Rows are taken four at a time, one per lane of a 256-bit vector ("a block": rows 4b .. 4b + 3 of one output, the
    /// lanes past the batch's end padded with 0 and never read back), the classes one after another: every per-row
    /// reduction (the maximum of x / T by torch's NaN rule, the argmax of x by <see cref="HostMath.ArgMax"/>'s rule, the
    /// finite check, the sum of the exponentials, the divergence and the negative entropy) runs over the classes in the
    /// order of the straightforward loop, each lane on its own row, with the same IEEE operations (no fused
    /// multiply-add), so each row's results are the bits the scalar loops give, four rows at a time instead of one
    /// dependent chain at a time. The work goes in chunks of 32 rows of every output, whose scratch stays in the
    /// first-level cache; each chunk's exponentials are one pass of <see cref="HostMath.Exp"/> (each a function of its own
    /// argument, whatever its neighbours or the buffer's address), and the logarithm of each row's sum is
    /// <see cref="Math.Log(double)"/>, one row at a time.
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

        if (batch == 0)
        {
            return;
        }

        // log_softmax(x / T) = (y - max) - log(sum exp(y - max)), y = x / T, as torch; p = exp(y - max) / sum.
        var logClasses = Math.Log(classes);
        var blocks = (batch + Lanes - 1) / Lanes;          // blocks per output
        var blockSize = classes * Lanes;                   // class c of a block at c * Lanes
        var chunkSize = (m + 1) * ChunkBlocks * blockSize;
        using var logPBuffer = PooledArray<double>.Rent(chunkSize);
        using var pBuffer = PooledArray<double>.Rent(chunkSize);
        using var labelBuffer = PooledArray<double>.Rent(2 * (m + 1) * ChunkBlocks * Lanes);
        ref var y0 = ref MemoryMarshal.GetReference(logPBuffer.Span);
        ref var e0 = ref MemoryMarshal.GetReference(pBuffer.Span);
        ref var argMax0 = ref MemoryMarshal.GetReference(labelBuffer.Span);
        ref var finite0 = ref Unsafe.Add(ref argMax0, (m + 1) * ChunkBlocks * Lanes);
        for (var first = 0; first < blocks; first += ChunkBlocks)
        {
            // Blocks first .. first + count - 1 of every output; in the scratch, block (j, k) at ((j * count) + k) * blockSize.
            var count = Math.Min(ChunkBlocks, blocks - first);
            var used = (m + 1) * count * blockSize;
            for (var j = 0; j <= m; j++)
            {
                for (var k = 0; k < count; k++)
                {
                    var row = (first + k) * Lanes;
                    LogitsOfBlock(
                        ref Unsafe.AsRef(in outputs[((j * batch) + row) * classes]),
                        classes,
                        Math.Min(Lanes, batch - row),
                        ref Unsafe.Add(ref y0, ((j * count) + k) * blockSize),
                        ref Unsafe.Add(ref argMax0, ((j * count) + k) * Lanes),
                        ref Unsafe.Add(ref finite0, ((j * count) + k) * Lanes));
                }
            }

            HostMath.Exp(logPBuffer.Span[..used], pBuffer.Span[..used]);   // not TensorPrimitives.Exp alone: see HostMath.Exp
            for (var k = 0; k < (m + 1) * count; k++)
            {
                Normalise(ref Unsafe.Add(ref y0, k * blockSize), ref Unsafe.Add(ref e0, k * blockSize), classes);
            }

            // The multimodal output first (its label is needed by every modality), then one modality at a time.
            var labels = target.Of(ObservationColumns.Value, m);
            var multimodalAgreement = target.Of(ObservationColumns.Agreement, m);
            var multimodalFinite = target.FiniteOf(m);
            for (var k = 0; k < count; k++)
            {
                var lanes = Math.Min(Lanes, batch - ((first + k) * Lanes));
                for (var lane = 0; lane < lanes; lane++)
                {
                    var i = ((first + k) * Lanes) + lane;
                    var at = (((m * count) + k) * Lanes) + lane;
                    var label = (int)Unsafe.Add(ref argMax0, at);
                    labels[i] = label;
                    multimodalAgreement[i] = Unsafe.Add(ref e0, (((m * count) + k) * blockSize) + (label * Lanes) + lane);
                    multimodalFinite[i] = Unsafe.Add(ref finite0, at) == 0.0 ? 1 : 0;
                }
            }

            for (var j = 0; j < m; j++)
            {
                var divergence = target.Of(ObservationColumns.Divergence, j);
                var value = target.Of(ObservationColumns.Value, j);
                var confidence = target.Of(ObservationColumns.Confidence, j);
                var agreement = target.Of(ObservationColumns.Agreement, j);
                var finite = target.FiniteOf(j);
                for (var k = 0; k < count; k++)
                {
                    ref var logPu = ref Unsafe.Add(ref y0, ((j * count) + k) * blockSize);
                    ref var pu = ref Unsafe.Add(ref e0, ((j * count) + k) * blockSize);
                    ref var logPz = ref Unsafe.Add(ref y0, ((m * count) + k) * blockSize);
                    var kl = Vector256<double>.Zero;
                    var negativeEntropy = Vector256<double>.Zero;
                    for (var c = 0; c < classes; c++)
                    {
                        var offset = (nuint)(c * Lanes);
                        var pc = Vector256.LoadUnsafe(ref pu, offset);
                        var lc = Vector256.LoadUnsafe(ref logPu, offset);
                        kl += pc * (lc - Vector256.LoadUnsafe(ref logPz, offset));
                        negativeEntropy += pc * lc;
                    }

                    var lanes = Math.Min(Lanes, batch - ((first + k) * Lanes));
                    for (var lane = 0; lane < lanes; lane++)
                    {
                        var i = ((first + k) * Lanes) + lane;
                        var at = (((j * count) + k) * Lanes) + lane;
                        divergence[i] = HostMath.ClampMin(kl[lane], 0.0);
                        value[i] = Unsafe.Add(ref argMax0, at);
                        confidence[i] = HostMath.ClampMin(negativeEntropy[lane] + logClasses, 0.0);
                        agreement[i] = Unsafe.Add(ref pu, ((int)labels[i] * Lanes) + lane);
                        finite[i] = Unsafe.Add(ref finite0, at) == 0.0 ? 1 : 0;
                    }
                }
            }
        }
    }

    // One block of (up to) four rows: y = x / T - max (class c of row k at c * Lanes + k), the argmax of x and the
    // finite check (0 while every logit is finite) per lane.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void LogitsOfBlock(ref double x, int classes, int lanes, ref double y, ref double argMax, ref double finite)
    {
        var unitTemperature = temperature == 1.0;
        var inverseTemperature = Vector256.Create(1.0 / temperature);
        var max = Vector256.Create(double.NegativeInfinity);
        var best = Vector256<double>.Zero;
        var bestValue = Gather(ref x, classes, lanes, 0);
        var notFinite = Vector256<double>.Zero;   // x * 0 is NaN for an infinity or a NaN
        for (var c = 0; c < classes; c++)
        {
            var xc = Gather(ref x, classes, lanes, c);
            var v = unitTemperature ? xc : xc * inverseTemperature;
            Vector256.StoreUnsafe(v, ref y, (nuint)(c * Lanes));
            max = Vector256.ConditionalSelect(Vector256.GreaterThan(v, max) | IsNaN(v), v, max);
            notFinite += xc * Vector256<double>.Zero;

            // HostMath.ArgMax: the first maximum, or the first NaN.
            var replace = ~IsNaN(bestValue) & (IsNaN(xc) | Vector256.GreaterThan(xc, bestValue));
            best = Vector256.ConditionalSelect(replace, Vector256.Create((double)c), best);
            bestValue = Vector256.ConditionalSelect(replace, xc, bestValue);
        }

        for (var c = 0; c < classes; c++)
        {
            Vector256.StoreUnsafe(Vector256.LoadUnsafe(ref y, (nuint)(c * Lanes)) - max, ref y, (nuint)(c * Lanes));
        }

        Vector256.StoreUnsafe(best, ref argMax);
        Vector256.StoreUnsafe(notFinite, ref finite);
    }

    // One block after the exponentials: e = exp(y) / sum, y = y - log(sum) per lane (the sum over the classes in order).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Normalise(ref double y, ref double e, int classes)
    {
        var sum = Vector256<double>.Zero;
        for (var c = 0; c < classes; c++)
        {
            sum += Vector256.LoadUnsafe(ref e, (nuint)(c * Lanes));
        }

        var logSum = Vector256.Create(Math.Log(sum[0]), Math.Log(sum[1]), Math.Log(sum[2]), Math.Log(sum[3]));
        var inverseSum = Vector256.Create(1.0) / sum;
        for (var c = 0; c < classes; c++)
        {
            var offset = (nuint)(c * Lanes);
            Vector256.StoreUnsafe(Vector256.LoadUnsafe(ref y, offset) - logSum, ref y, offset);
            Vector256.StoreUnsafe(Vector256.LoadUnsafe(ref e, offset) * inverseSum, ref e, offset);
        }
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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

    // Lane k: logit c of row k of the block starting at x (rows of `classes` logits); lanes at or past `lanes` are 0.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Gather(ref double x, int classes, int lanes, int c) => lanes == 4
        ? Vector256.Create(Unsafe.Add(ref x, c), Unsafe.Add(ref x, classes + c), Unsafe.Add(ref x, (2 * classes) + c), Unsafe.Add(ref x, (3 * classes) + c))
        : Vector256.Create(
            Unsafe.Add(ref x, c),
            lanes > 1 ? Unsafe.Add(ref x, classes + c) : 0.0,
            lanes > 2 ? Unsafe.Add(ref x, (2 * classes) + c) : 0.0,
            0.0);

    // All-ones lanes where v is NaN.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> IsNaN(Vector256<double> v) => ~Vector256.Equals(v, v);
}
