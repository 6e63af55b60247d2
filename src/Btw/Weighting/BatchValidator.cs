using System;
using System.Collections.Generic;
using Btw.Internal;
using Btw.Kernels;
using TorchSharp;
using static TorchSharp.torch;

namespace Btw.Weighting;

/// <summary>
/// Checks the arguments of <see cref="BtwWeighter.Observe"/> and <see cref="BtwWeighter.WeightsFor(Tensor)"/> before
/// anything is recorded, and brings ids and presence flags to the host. Every exception names the argument, the
/// modality where one is involved, and the expected against the actual shape or value.
/// </summary>
internal static class BatchValidator
{
    [ThreadStatic]
    private static HashSet<long>? t_seen;

    /// <summary>Validates ids (int64 [B], non-negative; optionally distinct) and returns them on the host, in a pooled buffer the caller disposes.</summary>
    public static PooledArray<long> Ids(Tensor sampleIds, bool requireDistinct)
    {
        ArgumentNullException.ThrowIfNull(sampleIds);
        if (sampleIds.dtype != ScalarType.Int64 || sampleIds.dim() != 1)
        {
            throw new ArgumentException(Shapes.Message($"Expected sample ids as int64 [B]; got {sampleIds.dtype} {Shapes.Of(sampleIds)}."), nameof(sampleIds));
        }

        if (sampleIds.numel() == 0)
        {
            return PooledArray<long>.Rent(0);
        }

        var ids = PooledArray<long>.Rent(checked((int)sampleIds.shape[0]));
        try
        {
            HostCopy.CopyTo(sampleIds, ids.Span);
            for (var i = 0; i < ids.Length; i++)
            {
                if (ids[i] < 0)
                {
                    throw new ArgumentException(Shapes.Message($"Sample ids must be non-negative; row {i} has id {ids[i]}."), nameof(sampleIds));
                }
            }

            if (requireDistinct && ids.Length > 1 && HasDuplicate(ids.Span))
            {
                ThrowFirstRepeated(ids.Span);
            }

            return ids;
        }
        catch
        {
            ids.Dispose();
            throw;
        }
    }

    /// <summary>Validates the unimodal and multimodal outputs of a batch of <paramref name="batch"/> rows.</summary>
    public static void Outputs(IReadOnlyList<Tensor> unimodal, Tensor multimodal, long batch, BtwOptions options, ITaskKernel kernel)
    {
        ArgumentNullException.ThrowIfNull(unimodal);
        ArgumentNullException.ThrowIfNull(multimodal);
        if (unimodal.Count != options.Modalities)
        {
            throw new ArgumentException(
                Shapes.Message($"Expected {options.Modalities} unimodal outputs (one per modality, BtwOptions.Modalities = {options.Modalities}); got {unimodal.Count}. The weighter's BtwOptions.Modalities must equal the model's modality count (BtwMoEOptions.Modalities)."),
                nameof(unimodal));
        }

        if (!Shapes.IsFloating(multimodal))
        {
            throw new ArgumentException(Shapes.Message($"Expected a floating-point multimodal output; got {multimodal.dtype}."), nameof(multimodal));
        }

        kernel.ValidateOutput(multimodal, batch);

        // The multimodal output's shape and device read once (each read is a call into the native library).
        var shape = multimodal.shape;
        var deviceType = multimodal.device_type;
        var deviceIndex = multimodal.device_index;
        for (var m = 0; m < unimodal.Count; m++)
        {
            var u = unimodal[m] ?? throw new ArgumentException(Shapes.Message($"Unimodal output of modality {m} is null."), nameof(unimodal));
            if (!Shapes.IsFloating(u))
            {
                throw new ArgumentException(Shapes.Message($"Expected a floating-point unimodal output for modality {m}; got {u.dtype}."), nameof(unimodal));
            }

            if (!u.shape.AsSpan().SequenceEqual(shape))
            {
                throw new ArgumentException(Shapes.Message($"Unimodal output of modality {m} has shape {Shapes.Of(u)}; expected the multimodal shape {Shapes.Of(multimodal)}."), nameof(unimodal));
            }

            if (u.device_type != deviceType || u.device_index != deviceIndex)
            {
                throw new ArgumentException(Shapes.Message($"Unimodal output of modality {m} is on {u.device}; expected the multimodal output's device {multimodal.device}."), nameof(unimodal));
            }
        }
    }

    /// <summary>Validates presence flags (see <see cref="Presence.Read"/>) under the parameter name <c>present</c>.</summary>
    public static PooledArray<byte> Present(Tensor? present, long batch, int modalities) => Presence.Read(present, batch, modalities, nameof(present));

    // A set reused by the calling thread (cleared per call; no per-batch allocation) for batches up to 4096 rows.
    private static bool HasDuplicate(ReadOnlySpan<long> ids)
    {
        var seen = ids.Length <= 4096 ? (t_seen ??= new HashSet<long>(4096)) : new HashSet<long>(ids.Length);
        seen.Clear();
        foreach (var id in ids)
        {
            if (!seen.Add(id))
            {
                return true;
            }
        }

        return false;
    }

    // Error path only: names the first row whose id appeared in an earlier row.
    private static void ThrowFirstRepeated(ReadOnlySpan<long> sampleIds)
    {
        var seen = new HashSet<long>(sampleIds.Length);
        for (var i = 0; i < sampleIds.Length; i++)
        {
            if (!seen.Add(sampleIds[i]))
            {
                throw new ArgumentException(Shapes.Message($"Sample ids must be distinct within a batch; id {sampleIds[i]} appears again at row {i}."), nameof(sampleIds));
            }
        }
    }
}
