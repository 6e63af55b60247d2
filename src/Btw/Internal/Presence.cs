using System;
using static TorchSharp.torch;

namespace Btw.Internal;

/// <summary>
/// The one presence contract of the library, for the weighter (<see cref="BtwWeighter"/>) and the module
/// (<see cref="BtwMixtureOfExperts"/>) alike: flags r are bool or the numbers 0 and 1 (anything else is refused, never
/// read as "non-zero means present"), of shape [B, M], with at least one modality present in every row.
/// </summary>
internal static class Presence
{
    /// <summary>The message for a presence row with no modality present.</summary>
    public static string NoModalityPresent(long row) => Shapes.Message($"Row {row} has no modality present; every example needs at least one.");

    /// <summary>
    /// Validates presence flags (bool or 0/1 numbers, [B, M], at least one present modality per row) and returns them
    /// row-major on the host, 1 = present; all ones when <paramref name="present"/> is null. Every exception is an
    /// <see cref="ArgumentException"/> under <paramref name="paramName"/> naming the row and modality.
    /// </summary>
    public static PooledArray<byte> Read(Tensor? present, long batch, int modalities, string paramName)
    {
        var flags = PooledArray<byte>.Rent(checked((int)batch * modalities));
        try
        {
            Fill(flags.Span, present, batch, modalities, paramName);
            return flags;
        }
        catch
        {
            flags.Dispose();
            throw;
        }
    }

    private static void Fill(Span<byte> flags, Tensor? present, long batch, int modalities, string paramName)
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
                paramName);
        }

        if (present.dim() != 2 || present.shape[0] != batch || present.shape[1] != modalities)
        {
            throw new ArgumentException(Shapes.Message($"Expected presence flags of shape [{batch}, {modalities}]; got {Shapes.Of(present)}."), paramName);
        }

        if (present.is_complex())
        {
            throw new ArgumentException(Shapes.Message($"Expected presence flags as bool or 0/1 numbers; got {present.dtype}."), paramName);
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
                throw new ArgumentException(Shapes.Message($"Presence flags must be 0 or 1; row {i / modalities}, modality {i % modalities} has {v}."), paramName);
            }

            flags[i] = (byte)v;
        }

        for (var row = 0; row < batch; row++)
        {
            if (flags.Slice(row * modalities, modalities).IndexOf((byte)1) < 0)
            {
                throw new ArgumentException(NoModalityPresent(row), paramName);
            }
        }
    }
}
