using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using Btw.Internal;
using Btw.Kernels;
using Btw.Persistence;

namespace Btw.Weighting.State;

/// <summary>
/// The epoch state of a <see cref="BtwWeighter"/> in the style of a stateful metric (update / merge / reset): one row
/// per distinct example id observed since the last <see cref="BtwWeighter.EndEpoch()"/>, holding the id, the presence
/// flags r_i (M bytes) and one block per declared column (<see cref="ObservationColumns"/>). An id observed again
/// overwrites its row (the newest prediction wins). Every operation iterates <see cref="Columns"/>.
/// </summary>
internal sealed class EpochObservations
{
    private readonly IdIndex _rowOf = new();
    private readonly double[][] _data;
    private long[] _ids = [];
    private byte[] _present = [];
    private int _capacity;

    /// <summary>An empty state with the given columns (default: <see cref="ObservationColumns.All"/>).</summary>
    public EpochObservations(int modalities, ImmutableArray<ObservationColumn> columns = default)
    {
        Modalities = modalities;
        Columns = columns.IsDefault ? ObservationColumns.All : columns;
        _data = new double[Columns.Length][];
        for (var c = 0; c < _data.Length; c++)
        {
            _data[c] = [];
        }

        Allocate(256);
    }

    public int Modalities { get; }

    public ImmutableArray<ObservationColumn> Columns { get; }

    /// <summary>Number of distinct ids recorded.</summary>
    public int Rows { get; private set; }

    /// <summary>Rows skipped for non-finite outputs.</summary>
    public int Skipped { get; set; }

    /// <summary>Bytes of state per recorded row with full buffers: the id, the presence flags, the values and its entry in the dense id index (ids 0 .. N - 1; see <see cref="IdIndex"/>).</summary>
    public int BytesPerRow => sizeof(long) + Modalities + (sizeof(double) * ValuesPerRow) + IdIndex.DenseBytesPerId;

    /// <summary>Bytes of one row in the saved format: id, presence flags, the columns' values.</summary>
    private int SavedBytesPerRow => sizeof(long) + Modalities + (sizeof(double) * ValuesPerRow);

    private int ValuesPerRow
    {
        get
        {
            var total = 0;
            foreach (var column in Columns)
            {
                total += column.Width(Modalities);
            }

            return total;
        }
    }

    public long Id(int row) => _ids[row];

    /// <summary>r_i^m in {0, 1} of one row, length M, writable.</summary>
    public Span<byte> Present(int row) => _present.AsSpan(row * Modalities, Modalities);

    /// <summary>
    /// Every recorded value of <paramref name="column"/>: row r's values (one per modality, then the multimodal one
    /// where the column has it) at [r * width, (r + 1) * width), width = <see cref="ObservationColumn.Width"/>; for loops
    /// over all rows (one lookup of the column instead of one per row).
    /// </summary>
    public ReadOnlySpan<double> Column(ObservationColumn column) => _data[IndexOf(column)].AsSpan(0, Rows * column.Width(Modalities));

    /// <summary>Every row's presence flags: row r's at [r * M, (r + 1) * M).</summary>
    public ReadOnlySpan<byte> PresentFlags => _present.AsSpan(0, Rows * Modalities);

    /// <summary>The values of <paramref name="column"/> in one row: M unimodal ones, then the multimodal one if it has one; writable.</summary>
    public Span<double> Values(ObservationColumn column, int row)
    {
        var width = column.Width(Modalities);
        return _data[IndexOf(column)].AsSpan(row * width, width);
    }

    /// <summary>Returns the row index for <paramref name="id"/>, adding a row if the id is new in this epoch.</summary>
    public int RowFor(long id)
    {
        if (_rowOf.TryGetValue(id, out var row))
        {
            return row;
        }

        if (Rows == _capacity)
        {
            Allocate(_capacity * 2);
        }

        row = Rows++;
        _ids[row] = id;
        _rowOf.Add(id, row);
        return row;
    }

    /// <summary>
    /// Records the kept rows of a batch (one per id; ids distinct), column by column as declared. The values of a
    /// missing modality are stored as 0: its output may be anything (even NaN, as from a head that was fed nothing), is
    /// never used, and must not reach the saved state.
    /// </summary>
    /// <param name="ids">The batch's ids [B].</param>
    /// <param name="present">Presence flags, row-major [B, M].</param>
    /// <param name="keep">Which rows to record [B].</param>
    /// <param name="batch">The batch's columns.</param>
    public void Record(ReadOnlySpan<long> ids, ReadOnlySpan<byte> present, ReadOnlySpan<bool> keep, in BatchStatistics batch)
    {
        var m = Modalities;
        using var rows = PooledArray<int>.Rent(ids.Length);
        for (var i = 0; i < ids.Length; i++)
        {
            rows[i] = keep[i] ? RowFor(ids[i]) : -1;
            if (keep[i])
            {
                present.Slice(i * m, m).CopyTo(Present(rows[i]));
            }
        }

        for (var c = 0; c < Columns.Length; c++)
        {
            var data = _data[c];   // after RowFor, which may have grown the buffers
            var width = Columns[c].Width(m);
            for (var j = 0; j < width; j++)
            {
                var source = batch.Of(Columns[c], j);
                for (var i = 0; i < ids.Length; i++)
                {
                    if (rows[i] >= 0)
                    {
                        data[(rows[i] * width) + j] = j == m || present[(i * m) + j] != 0 ? source[i] : 0.0;
                    }
                }
            }
        }
    }

    /// <summary>
    /// The row indices sorted by example id. Folding the rows in this order makes the epoch's results independent of the
    /// order in which examples were observed (batch order, rows within a batch, threads, merged workers): sums over
    /// examples are then always taken in the same order, so they round the same way.
    /// </summary>
    public int[] RowsInIdOrder() => _rowOf.SlotsInIdOrder(Rows);

    /// <summary>Folds another worker's observations into this one; rows of ids present in both are taken from <paramref name="other"/>.</summary>
    public void Merge(EpochObservations other)
    {
        using var rows = PooledArray<int>.Rent(other.Rows);
        for (var r = 0; r < other.Rows; r++)
        {
            rows[r] = RowFor(other._ids[r]);
            other.Present(r).CopyTo(Present(rows[r]));
        }

        // Column by column (one lookup of each column, not one per row), after RowFor, which may have grown the buffers.
        foreach (var column in Columns)
        {
            var width = column.Width(Modalities);
            var source = other.Column(column);
            var target = _data[IndexOf(column)].AsSpan();
            for (var r = 0; r < other.Rows; r++)
            {
                source.Slice(r * width, width).CopyTo(target.Slice(rows[r] * width, width));
            }
        }

        Skipped += other.Skipped;
    }

    /// <summary>Forgets every row (keeps the buffers).</summary>
    public void Reset()
    {
        _rowOf.Clear();
        Rows = 0;
        Skipped = 0;
    }

    /// <summary>Writes rows, skipped, then per row: id, per modality the flag and each column's value, then each column's multimodal value.</summary>
    public void Write(BinaryWriter w)
    {
        w.Write(Rows);
        w.Write(Skipped);
        for (var r = 0; r < Rows; r++)
        {
            w.Write(_ids[r]);
            for (var j = 0; j < Modalities; j++)
            {
                w.Write(Present(r)[j]);
                foreach (var column in Columns)
                {
                    w.Write(Values(column, r)[j]);
                }
            }

            foreach (var column in Columns)
            {
                if (column.HasMultimodal)
                {
                    w.Write(Values(column, r)[Modalities]);
                }
            }
        }
    }

    /// <summary>Reads what <see cref="Write"/> wrote, checking every value against its column's declaration.</summary>
    public static EpochObservations Read(StateReader r, int modalities, ImmutableArray<ObservationColumn> columns = default)
    {
        var epoch = new EpochObservations(modalities, columns);
        var rows = r.ReadInt32();
        epoch.Skipped = r.ReadInt32();
        r.Require(rows >= 0 && epoch.Skipped >= 0 && (long)rows * epoch.SavedBytesPerRow <= r.Remaining, "an observation count larger than the file");
        for (var i = 0; i < rows; i++)
        {
            var id = r.ReadInt64();
            r.Require(id >= 0, "a negative example id among the observations");
            var row = epoch.RowFor(id);
            r.Require(row == i, "a repeated example id among the observations");
            var anyPresent = false;
            for (var j = 0; j < modalities; j++)
            {
                var flag = r.ReadFlag("a presence flag");
                anyPresent |= flag == 1;
                epoch.Present(row)[j] = flag;
                foreach (var column in epoch.Columns)
                {
                    epoch.Values(column, row)[j] = ReadValue(r, column);
                }
            }

            r.Require(anyPresent, "an observation with no modality present");
            foreach (var column in epoch.Columns)
            {
                if (column.HasMultimodal)
                {
                    epoch.Values(column, row)[modalities] = ReadValue(r, column);
                }
            }
        }

        return epoch;
    }

    // Negative divergences or confidences would fold into negative weights, which the next load would reject.
    private static double ReadValue(StateReader r, ObservationColumn column) =>
        r.ReadDouble(column.Minimum, double.MaxValue, "a " + column.Name);

    private int IndexOf(ObservationColumn column)
    {
        for (var c = 0; c < Columns.Length; c++)
        {
            if (ReferenceEquals(Columns[c], column))
            {
                return c;
            }
        }

        throw new ArgumentException($"The epoch state has no column '{column.Name}'.", nameof(column));
    }

    private void Allocate(int capacity)
    {
        Array.Resize(ref _ids, capacity);
        Array.Resize(ref _present, capacity * Modalities);
        for (var c = 0; c < _data.Length; c++)
        {
            Array.Resize(ref _data[c], capacity * Columns[c].Width(Modalities));
        }

        _capacity = capacity;
    }
}
