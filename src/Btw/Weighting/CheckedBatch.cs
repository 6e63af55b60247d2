using System;
using System.Collections.Generic;
using Btw.Internal;
using Btw.Kernels;
using static TorchSharp.torch;

namespace Btw.Weighting;

/// <summary>
/// The outputs of one batch as <see cref="BtwWeighter.Observe"/> and <see cref="BtwWeighter.WeightsFromOutputs"/> take
/// them, checked and brought to the host before the weighter's lock is taken: the presence flags, the batch statistics
/// and which rows are kept (<see cref="BatchStatistics.KeepFiniteRows"/>). Pooled buffers: dispose it.
/// </summary>
internal readonly struct CheckedBatch : IDisposable
{
    private CheckedBatch(PooledArray<byte> flags, BatchStatistics statistics, PooledArray<bool> keep, int skipped)
    {
        Flags = flags;
        Statistics = statistics;
        Keep = keep;
        Skipped = skipped;
    }

    /// <summary>Presence flags, row-major [B, M].</summary>
    public PooledArray<byte> Flags { get; }

    public BatchStatistics Statistics { get; }

    /// <summary>Which rows are kept [B].</summary>
    public PooledArray<bool> Keep { get; }

    /// <summary>Rows skipped for non-finite outputs.</summary>
    public int Skipped { get; }

    /// <summary>
    /// Validates the outputs and flags of a batch of <paramref name="rows"/> rows (the message names the argument, the
    /// modality and the row) and, for a non-empty batch, computes its statistics and the rows to keep.
    /// </summary>
    public static CheckedBatch Of(IReadOnlyList<Tensor> unimodal, Tensor multimodal, Tensor? present, int rows, BtwOptions options, ITaskKernel kernel)
    {
        BatchValidator.Outputs(unimodal, multimodal, rows, options, kernel);
        var flags = BatchValidator.Present(present, rows, options.Modalities);
        if (rows == 0)
        {
            return new CheckedBatch(flags, default, PooledArray<bool>.Rent(0), 0);
        }

        var statistics = default(BatchStatistics);
        var keep = PooledArray<bool>.Rent(rows);
        try
        {
            statistics = BatchStatistics.Compute(unimodal, multimodal, kernel);
            var skipped = statistics.KeepFiniteRows(flags.Span, keep.Span, options.NonFinite);
            return new CheckedBatch(flags, statistics, keep, skipped);
        }
        catch
        {
            flags.Dispose();
            statistics.Dispose();
            keep.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        Flags.Dispose();
        Statistics.Dispose();
        Keep.Dispose();
    }
}
