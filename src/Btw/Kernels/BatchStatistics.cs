using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.InteropServices;
using Btw.Internal;
using TorchSharp;
using static TorchSharp.torch;

namespace Btw.Kernels;

/// <summary>
/// The per-example columns of one batch (<see cref="ObservationColumns.All"/>, then a finite flag), as a float64
/// matrix [columns + 1, M + 1, B] in a pooled buffer (dispose it): block c holds column c, its row j modality j and
/// row M the multimodal output (0 for columns without a multimodal value); the last block holds 1 where an output's row
/// is finite, else 0. The task's kernel (<see cref="ITaskKernel"/>) fills it.
/// </summary>
/// <remarks>
/// Outputs on the CPU are copied to managed memory in one block and the kernel's host path fills the matrix in
/// float64 (a few microseconds for a batch; TorchSharp's kernels on tensors this small cost far more per call).
/// Outputs on another device go through the kernel's tensor path over all M + 1 outputs at once ([M + 1, B, K]) and
/// the matrix comes to the host in one transfer. Both paths agree to rounding (tested to 1e-12).
/// </remarks>
internal readonly struct BatchStatistics : IDisposable
{
    private static readonly ImmutableArray<ObservationColumn> Columns = ObservationColumns.All;
    private readonly PooledArray<double> _values;

    private BatchStatistics(PooledArray<double> values, int batch, int modalities)
    {
        _values = values;
        Batch = batch;
        Modalities = modalities;
    }

    public int Batch { get; }

    public int Modalities { get; }

    /// <summary>The value of <paramref name="column"/> for example <paramref name="row"/> and modality <paramref name="modality"/> (M: multimodal).</summary>
    public double this[ObservationColumn column, int row, int modality] => Of(column, modality)[row];

    /// <summary>d_i^j in nats.</summary>
    public double Divergence(int row, int modality) => this[ObservationColumns.Divergence, row, modality];

    /// <summary>The statistic for MI; <paramref name="modality"/> = M for the multimodal output.</summary>
    public double Value(int row, int modality) => this[ObservationColumns.Value, row, modality];

    /// <summary>The entropy-based confidence score of the unimodal prediction.</summary>
    public double Confidence(int row, int modality) => this[ObservationColumns.Confidence, row, modality];

    /// <summary>The statistic for correlation; <paramref name="modality"/> = M for the multimodal output.</summary>
    public double Agreement(int row, int modality) => this[ObservationColumns.Agreement, row, modality];

    /// <summary>Whether the output is finite in this row; <paramref name="modality"/> = M for the multimodal output.</summary>
    public bool IsFinite(int row, int modality) => FiniteOf(modality)[row] != 0;

    /// <summary>
    /// Decides which rows are kept (sets <paramref name="keep"/>, returns the number skipped): a row is bad when the multimodal output, or the unimodal output of a present
    /// modality, holds a NaN or an infinity, or when a finite output still gives a non-finite statistic (an overflow in
    /// float64, e.g. a log-variance above about 709 or means about 1e154 apart). Missing modalities are not looked at.
    /// Under <see cref="BtwNonFinitePolicy.Throw"/> the first bad row throws an <see cref="ArgumentException"/>; otherwise bad rows are counted and skipped.
    /// </summary>
    public int KeepFiniteRows(ReadOnlySpan<byte> flags, Span<bool> keep, BtwNonFinitePolicy policy)
    {
        var m = Modalities;
        var batch = keep.Length;
        var skipped = 0;

        // The common case at a glance: every statistic finite (their vectorised sum is; an overflowing sum of finite
        // values only sends the batch down the row-by-row path below) and every output finite: every row is kept.
        var columns = _values.Span[..(Columns.Length * (m + 1) * Batch)];
        var finiteFlags = _values.Span.Slice(Columns.Length * (m + 1) * Batch, (m + 1) * Batch);
        if (batch > 0 && batch == Batch && double.IsFinite(System.Numerics.Tensors.TensorPrimitives.Sum(columns))
            && System.Numerics.Tensors.TensorPrimitives.Min(finiteFlags) == 1.0)
        {
            keep.Fill(true);
            return 0;
        }

        using var columnsFinite = ColumnsFinite();
        for (var i = 0; i < batch; i++)
        {
            string? problem = null;
            var paramName = "unimodal";
            if (!IsFinite(i, m))
            {
                problem = Shapes.Message($"The multimodal output has a NaN or infinite value in row {i}");
                paramName = "multimodal";
            }

            for (var j = 0; j < m && problem is null; j++)
            {
                if (flags[(i * m) + j] != 0 && !IsFinite(i, j))
                {
                    problem = Shapes.Message($"The unimodal output of modality {j} has a NaN or infinite value in row {i}");
                }
            }

            if (problem is null && !columnsFinite[(i * (m + 1)) + m])
            {
                problem = Shapes.Message($"The multimodal output in row {i} is finite but gives a non-finite statistic (a float64 overflow)");
                paramName = "multimodal";
            }

            for (var j = 0; j < m && problem is null; j++)
            {
                if (flags[(i * m) + j] != 0 && !columnsFinite[(i * (m + 1)) + j])
                {
                    problem = Shapes.Message($"The unimodal output of modality {j} in row {i} is finite but gives a non-finite divergence or statistic (a float64 overflow, e.g. a log-variance above about 709)");
                }
            }

            keep[i] = problem is null;
            if (problem is null)
            {
                continue;
            }

            if (policy == BtwNonFinitePolicy.Throw)
            {
                throw new ArgumentException(problem + "; nothing of this batch was recorded (set BtwOptions.NonFinite = SkipRows to skip such rows).", paramName);
            }

            skipped++;
        }

        return skipped;
    }

    /// <summary>The B values of one column for one modality (M: multimodal), writable.</summary>
    public Span<double> Of(ObservationColumn column, int modality) => Block(IndexOf(column), modality);

    /// <summary>The B finite flags of one modality (M: multimodal), writable.</summary>
    public Span<double> FiniteOf(int modality) => Block(Columns.Length, modality);

    /// <summary>Computes the columns of a validated batch: on the host for CPU outputs, on their device otherwise.</summary>
    public static BatchStatistics Compute(IReadOnlyList<Tensor> unimodal, Tensor multimodal, ITaskKernel kernel) =>
        multimodal.device_type == DeviceType.CPU
            ? ComputeOnHost(unimodal, multimodal, kernel)
            : ComputeOnDevice(unimodal, multimodal, kernel);

    internal static BatchStatistics ComputeOnDevice(IReadOnlyList<Tensor> unimodal, Tensor multimodal, BtwOptions options) =>
        ComputeOnDevice(unimodal, multimodal, TaskKernel.For(options));

    internal static BatchStatistics ComputeOnHost(IReadOnlyList<Tensor> unimodal, Tensor multimodal, BtwOptions options) =>
        ComputeOnHost(unimodal, multimodal, TaskKernel.For(options));

    /// <summary>The kernel's tensor path on the outputs' device; one transfer of the matrix to the host.</summary>
    internal static BatchStatistics ComputeOnDevice(IReadOnlyList<Tensor> unimodal, Tensor multimodal, ITaskKernel kernel)
    {
        var m = unimodal.Count;
        var batch = checked((int)multimodal.shape[0]);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var matrix = kernel.Compute(StackFloat64(unimodal, multimodal, batch));
        var values = PooledArray<double>.Rent(checked((int)matrix.NumberOfElements));
        HostCopy.CopyTo(matrix, values.Span);
        return new BatchStatistics(values, batch, m);
    }

    /// <summary>Copies the outputs to managed memory as float64 [M + 1, B, K] and runs the kernel's host path.</summary>
    internal static BatchStatistics ComputeOnHost(IReadOnlyList<Tensor> unimodal, Tensor multimodal, ITaskKernel kernel)
    {
        var m = unimodal.Count;
        var batch = checked((int)multimodal.shape[0]);
        var width = batch == 0 ? 1 : checked((int)(multimodal.NumberOfElements / batch));
        using var outputs = PooledArray<double>.Rent(checked((m + 1) * batch * width));
        if (!TryCopyDirect(unimodal, multimodal, outputs.Span))
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            HostCopy.CopyTo(StackFloat64(unimodal, multimodal, batch), outputs.Span);
        }

        return FillOnHost(outputs.Span, width, batch, m, kernel);
    }

    /// <summary>The kernel's host path alone, on outputs already on the host as float64 [M + 1, B, K] (also a benchmark's floor).</summary>
    internal static BatchStatistics FillOnHost(ReadOnlySpan<double> outputs, int width, int batch, int modalities, ITaskKernel kernel)
    {
        var statistics = new BatchStatistics(PooledArray<double>.Rent((Columns.Length + 1) * (modalities + 1) * batch), batch, modalities);
        statistics._values.Span.Clear();
        try
        {
            kernel.Fill(outputs, width, statistics);
        }
        catch
        {
            statistics.Dispose();   // a refused batch (see ITaskKernel.Fill) returns the buffer to the pool
            throw;
        }

        return statistics;
    }

    /// <summary>
    /// Copies the M + 1 outputs straight from their memory into <paramref name="destination"/> ([M + 1, B, K] float64,
    /// float32 values widened exactly) when every output is a contiguous CPU tensor of one dtype, float32 or float64 (a
    /// model's outputs usually are): no tensor is created. Returns false, having copied nothing, otherwise.
    /// </summary>
    private static bool TryCopyDirect(IReadOnlyList<Tensor> unimodal, Tensor multimodal, Span<double> destination)
    {
        var dtype = multimodal.dtype;
        if (dtype != ScalarType.Float32 && dtype != ScalarType.Float64)
        {
            return false;
        }

        var count = unimodal.Count + 1;
        var size = destination.Length / count;
        for (var j = 0; j < count; j++)
        {
            var t = j < unimodal.Count ? unimodal[j] : multimodal;
            if (t.dtype != dtype || t.device_type != DeviceType.CPU || t.NumberOfElements != size || !t.is_contiguous())
            {
                return false;
            }
        }

        for (var j = 0; j < count; j++)
        {
            var t = j < unimodal.Count ? unimodal[j] : multimodal;
            var target = destination.Slice(j * size, size);
            if (dtype == ScalarType.Float64)
            {
                MemoryMarshal.Cast<byte, double>(t.bytes).CopyTo(target);
            }
            else
            {
                System.Numerics.Tensors.TensorPrimitives.ConvertChecked<float, double>(MemoryMarshal.Cast<byte, float>(t.bytes), target);
            }
        }

        return true;
    }

    /// <summary>
    /// The tensor path's matrix from its columns: unimodal-only ones [M, B] get a zero multimodal row, those with a
    /// multimodal value are [M + 1, B]; the finite flags [M + 1, B] come last. Arguments in the order of <see cref="ObservationColumns.All"/>.
    /// </summary>
    internal static Tensor Stack(params Tensor[] columnsThenFinite)
    {
        var blocks = new Tensor[columnsThenFinite.Length];
        for (var c = 0; c < blocks.Length; c++)
        {
            var block = columnsThenFinite[c];
            blocks[c] = c < Columns.Length && !Columns[c].HasMultimodal ? cat([block, zeros_like(block[..1])], 0) : block;
        }

        return stack(blocks, 0);
    }

    /// <summary>[M + 1, B, K] -> [M + 1, B]: 1 where every value of the row is finite.</summary>
    internal static Tensor FiniteRows(Tensor all) => isfinite(all).all(2).to_type(ScalarType.Float64);

    /// <summary>Returns the buffer to the pool.</summary>
    public void Dispose() => _values.Dispose();

    private static int IndexOf(ObservationColumn column)
    {
        for (var c = 0; c < Columns.Length; c++)
        {
            if (ReferenceEquals(Columns[c], column))
            {
                return c;
            }
        }

        throw new ArgumentException($"The batch has no column '{column.Name}'.", nameof(column));
    }

    /// <summary>For each row i and output j (M: multimodal), at [i * (M + 1) + j], whether every column with a value there is finite.</summary>
    private PooledArray<bool> ColumnsFinite()
    {
        var result = PooledArray<bool>.Rent(Batch * (Modalities + 1));
        result.Span.Fill(true);
        foreach (var column in Columns)
        {
            for (var j = 0; j < column.Width(Modalities); j++)
            {
                var values = Of(column, j);
                for (var i = 0; i < Batch; i++)
                {
                    if (!double.IsFinite(values[i]))
                    {
                        result[(i * (Modalities + 1)) + j] = false;
                    }
                }
            }
        }

        return result;
    }

    private Span<double> Block(int block, int modality) => _values.Span.Slice(((block * (Modalities + 1)) + modality) * Batch, Batch);

    // The M + 1 outputs as one float64 tensor [M + 1, B, K] (regression [B] becomes [B, 1]).
    private static Tensor StackFloat64(IReadOnlyList<Tensor> unimodal, Tensor multimodal, int batch)
    {
        var outputs = new Tensor[unimodal.Count + 1];
        var sameType = true;
        for (var j = 0; j < outputs.Length; j++)
        {
            outputs[j] = j < unimodal.Count ? unimodal[j] : multimodal;
            sameType &= outputs[j].dtype == outputs[0].dtype;
        }

        if (!sameType)
        {
            outputs = Array.ConvertAll(outputs, o => o.to_type(ScalarType.Float64));
        }

        var all = stack(outputs, 0).reshape(outputs.Length, batch, -1);
        return all.dtype == ScalarType.Float64 ? all : all.to_type(ScalarType.Float64);
    }
}
