using System;
using Btw.Kernels;
using Btw.Weighting.State;
using System.Runtime.CompilerServices;

namespace Btw.Weighting;

/// <summary>
/// Folds an epoch's observations into the stored weights: per example, the raw
/// weight of each present modality for the chosen mode, L1 normalisation over the present modalities, scaling, and
/// the EMA w &lt;- alpha * w_new + (1 - alpha) * w. A modality missing from an example in this epoch carries no
/// evidence about it, so its stored weight is left as it was (the weight applied to a missing modality is 0 through
/// <see cref="BtwWeighter.WeightsFor(TorchSharp.torch.Tensor, TorchSharp.torch.Tensor)"/> and the model's presence mask).
/// </summary>
internal static class WeightFold
{
    /// <summary>
    /// Applies the fold to every observed row, in the order <paramref name="rowOrder"/> (ids first seen are added to the
    /// store in that order), with EMA factor <paramref name="alpha"/>, and returns the mean and population standard
    /// deviation of the updated weights per modality over the rows where it was present. When <paramref name="weighting"/>
    /// is false (a warm-up epoch) the rows are added and marked as seen but their weights are left as they are.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (double[] Mean, double[] StdDev) Apply(EpochObservations o, int[] rowOrder, ModalityEstimates statistics, WeightStore store,
        BtwOptions options, double alpha, bool weighting)
    {
        var m = o.Modalities;
        var fresh = new double[m];
        var count = new long[m];
        var mean = new double[m];
        var m2 = new double[m];
        var divergences = o.Column(ObservationColumns.Divergence);   // width M: no multimodal value
        var confidences = o.Column(ObservationColumns.Confidence);
        var flags = o.PresentFlags;
        foreach (var r in rowOrder)
        {
            var present = flags.Slice(r * m, m);
            var slot = store.SlotFor(o.Id(r));
            var row = store.MutableRow(slot);
            var seen = store.Seen(slot);
            if (weighting)
            {
                FoldRow(options, present, divergences.Slice(r * m, m), confidences.Slice(r * m, m), statistics, alpha, fresh, row);
            }

            for (var j = 0; j < m; j++)
            {
                if (present[j] == 0)
                {
                    continue;
                }

                seen[j] = 1;

                // Welford's running mean and variance of the updated weight.
                count[j]++;
                var delta = row[j] - mean[j];
                mean[j] += delta / count[j];
                m2[j] += delta * (row[j] - mean[j]);
            }
        }

        var sd = new double[m];
        for (var j = 0; j < m; j++)
        {
            sd[j] = count[j] > 1 ? Math.Sqrt(Math.Max(m2[j], 0.0) / count[j]) : 0.0;
        }

        return (mean, sd);
    }

    /// <summary>
    /// The fold of one example, the one rule <see cref="Apply"/> (EndEpoch) and <see cref="WeighterCore.WeightsFromOutputs"/>
    /// share: the new weights of the mode (<see cref="NewWeights"/>, into <paramref name="fresh"/>), then the EMA
    /// <see cref="Smooth"/> on every present modality of <paramref name="row"/>; a missing modality keeps its value.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void FoldRow(BtwOptions options, ReadOnlySpan<byte> present, ReadOnlySpan<double> divergence, ReadOnlySpan<double> confidence,
        ModalityEstimates statistics, double alpha, Span<double> fresh, Span<float> row)
    {
        NewWeights(options, present, divergence, confidence, statistics, fresh);
        for (var j = 0; j < row.Length; j++)
        {
            if (present[j] != 0)
            {
                row[j] = Smooth(alpha, fresh[j], row[j]);
            }
        }
    }

    /// <summary>The EMA step w &lt;- alpha * w_new + (1 - alpha) * w, rounded to float32 as stored.</summary>
    public static float Smooth(double alpha, double fresh, double previous) => (float)((alpha * fresh) + ((1.0 - alpha) * previous));

    /// <summary>
    /// The new (unsmoothed) weights of one example: 0 for missing modalities; for present ones the raw score of the mode,
    /// L1-normalised over the present modalities and multiplied by the number of present modalities
    /// (<see cref="BtwScale.PresentCount"/>) or by 1 (<see cref="BtwScale.SumToOne"/>), then moved toward the uniform weight
    /// u of that scale by <see cref="BtwOptions.Strength"/>: u + s (w - u). When every present raw score is 0 the weights
    /// are uniform over the present modalities. The instance term is d (<see cref="BtwInstanceTerm.Disagreement"/>) or
    /// exp(-d) (<see cref="BtwInstanceTerm.Agreement"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void NewWeights(BtwOptions options, ReadOnlySpan<byte> present, ReadOnlySpan<double> divergence, ReadOnlySpan<double> confidence,
        ModalityEstimates statistics, Span<double> result)
    {
        var m = present.Length;
        var presentCount = 0;
        for (var j = 0; j < m; j++)
        {
            presentCount += present[j];
        }

        switch (options.Weighting)
        {
            case BtwWeighting.Uniform:
                for (var j = 0; j < m; j++)
                {
                    result[j] = present[j];
                }

                break;
            case BtwWeighting.Kl:
                InstanceTerm(options.InstanceTerm, divergence, present, result);
                break;
            case BtwWeighting.Mi:
                Mask(statistics.NormalizedMutualInformation, present, result);
                break;
            case BtwWeighting.KlMi:
                InstanceTerm(options.InstanceTerm, divergence, present, result);
                for (var j = 0; j < m; j++)
                {
                    result[j] *= statistics.NormalizedMutualInformation[j];
                }

                break;
            case BtwWeighting.Entropy:
                L1Normalize(confidence, present, result);
                break;
            case BtwWeighting.Correlation:
                Mask(statistics.NormalizedCorrelation, present, result);
                break;
            default:
                throw new InvalidOperationException($"Unknown weighting {options.Weighting}.");
        }

        L1Normalize(result, present, result);
        var scale = options.Scale == BtwScale.PresentCount ? presentCount : 1.0;
        var uniform = scale / presentCount;
        var strength = options.Strength;
        for (var j = 0; j < m; j++)
        {
            result[j] *= scale;
            if (strength != 1.0 && present[j] != 0)
            {
                result[j] = uniform + (strength * (result[j] - uniform));
            }
        }
    }

    /// <summary>The L1-normalised instance term: d itself (disagreement) or exp(-d) (agreement), 0 where missing.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void InstanceTerm(BtwInstanceTerm term, ReadOnlySpan<double> divergence, ReadOnlySpan<byte> present, Span<double> result)
    {
        if (term == BtwInstanceTerm.Disagreement)
        {
            L1Normalize(divergence, present, result);
            return;
        }

        for (var j = 0; j < present.Length; j++)
        {
            result[j] = present[j] != 0 ? Math.Exp(-divergence[j]) : 0.0;
        }

        L1Normalize(result, present, result);
    }

    /// <summary>
    /// result = r * v / sum(r * v) over present entries (v finite and non-negative); uniform 1/|present| when that sum
    /// is 0; 0 where missing. When the sum of finite values overflows, the values are first divided by their maximum, so
    /// the result stays proportional. Aliasing is allowed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void L1Normalize(ReadOnlySpan<double> values, ReadOnlySpan<byte> present, Span<double> result)
    {
        var m = present.Length;
        var total = 0.0;
        var max = 0.0;
        var count = 0;
        for (var j = 0; j < m; j++)
        {
            if (present[j] != 0)
            {
                total += values[j];
                max = Math.Max(max, values[j]);
                count++;
            }
        }

        var scale = 1.0;
        if (double.IsPositiveInfinity(total) && double.IsFinite(max))
        {
            scale = 1.0 / max;
            total = 0.0;
            for (var j = 0; j < m; j++)
            {
                total += present[j] != 0 ? values[j] * scale : 0.0;
            }
        }

        for (var j = 0; j < m; j++)
        {
            result[j] = present[j] == 0 ? 0.0 : total > 0 ? values[j] * scale / total : 1.0 / count;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Mask(ReadOnlySpan<double> values, ReadOnlySpan<byte> present, Span<double> result)
    {
        for (var j = 0; j < present.Length; j++)
        {
            result[j] = present[j] == 0 ? 0.0 : values[j];
        }
    }
}
