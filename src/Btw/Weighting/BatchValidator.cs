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

    /// <summary>The message for a presence row with no modality present (shared by the weighter and the module).</summary>
    public static string NoModalityPresent(long row) => Shapes.Message($"Row {row} has no modality present; every example needs at least one.");

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

        for (var m = 0; m < unimodal.Count; m++)
        {
            var u = unimodal[m] ?? throw new ArgumentException(Shapes.Message($"Unimodal output of modality {m} is null."), nameof(unimodal));
            if (!Shapes.IsFloating(u))
            {
                throw new ArgumentException(Shapes.Message($"Expected a floating-point unimodal output for modality {m}; got {u.dtype}."), nameof(unimodal));
            }

            if (!u.shape.AsSpan().SequenceEqual(multimodal.shape))
            {
                throw new ArgumentException(Shapes.Message($"Unimodal output of modality {m} has shape {Shapes.Of(u)}; expected the multimodal shape {Shapes.Of(multimodal)}."), nameof(unimodal));
            }

            if (u.device_type != multimodal.device_type || u.device_index != multimodal.device_index)
            {
                throw new ArgumentException(Shapes.Message($"Unimodal output of modality {m} is on {u.device}; expected the multimodal output's device {multimodal.device}."), nameof(unimodal));
            }
        }
    }

    /// <summary>
    /// Validates presence flags (bool or 0/1 numbers, [B, M], at least one present modality per row) and returns them
    /// row-major on the host; all ones when <paramref name="present"/> is null.
    /// </summary>
    public static PooledArray<byte> Present(Tensor? present, long batch, int modalities)
    {
        var flags = PooledArray<byte>.Rent(checked((int)batch * modalities));
        try
        {
            FillPresent(flags.Span, present, batch, modalities);
            return flags;
        }
        catch
        {
            flags.Dispose();
            throw;
        }
    }

    private static void FillPresent(Span<byte> flags, Tensor? present, long batch, int modalities)
    {
        if (present is null)
        {
            flags.Fill(1);
            return;
        }

        if (present.dim() == 2 && present.shape[0] == batch && present.shape[1] != modalities)
        {
            throw new ArgumentException(
                Shapes.Message($"Expected presence flags of shape [{batch}, {modalities}] (BtwOptions.Modalities = {modalities} columns); got {Shapes.Of(present)}. The weighter's BtwOptions.Modalities must equal the model's modality count (BtwMoEOptions.Modalities)."),
                nameof(present));
        }

        if (present.dim() != 2 || present.shape[0] != batch || present.shape[1] != modalities)
        {
            throw new ArgumentException(Shapes.Message($"Expected presence flags of shape [{batch}, {modalities}]; got {Shapes.Of(present)}."), nameof(present));
        }

        if (present.is_complex())
        {
            throw new ArgumentException(Shapes.Message($"Expected presence flags as bool or 0/1 numbers; got {present.dtype}."), nameof(present));
        }

        if (batch == 0)
        {
            return; // an empty batch: nothing to read
        }

        using var values = PooledArray<double>.Rent(flags.Length);
        using (var scope = NewDisposeScope())
        {
            HostCopy.CopyTo(present.to_type(ScalarType.Float64), values.Span);
        }

        for (var i = 0; i < values.Length; i++)
        {
            var v = values[i];
            if (v != 0 && v != 1)
            {
                throw new ArgumentException(Shapes.Message($"Presence flags must be 0 or 1; row {i / modalities}, modality {i % modalities} has {v}."), nameof(present));
            }

            flags[i] = (byte)v;
        }

        for (var row = 0; row < batch; row++)
        {
            if (flags.Slice(row * modalities, modalities).IndexOf((byte)1) < 0)
            {
                throw new ArgumentException(NoModalityPresent(row), nameof(present));
            }
        }
    }

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
