using System;
using System.Collections.Generic;

namespace Btw;

/// <summary>
/// The epoch state of a <see cref="BtwWeighter"/> in the style of a stateful metric (update / merge / reset): one row
/// per distinct example id observed since the last <see cref="BtwWeighter.EndEpoch()"/>. An id observed again
/// overwrites its row (the newest prediction wins).
/// </summary>
internal sealed class EpochObservations
{
    private readonly Dictionary<long, int> _rowOf = new();
    private int _capacity;

    public EpochObservations(int modalities)
    {
        Modalities = modalities;
        Allocate(256);
    }

    public int Modalities { get; }

    /// <summary>Number of distinct ids recorded.</summary>
    public int Rows { get; private set; }

    /// <summary>Rows skipped for non-finite outputs.</summary>
    public int Skipped { get; set; }

    /// <summary>Bytes of state per recorded row with full buffers (the dictionary entry counts 24 bytes and its bucket 4).</summary>
    public int BytesPerRow => sizeof(long) + (Modalities * ((4 * sizeof(double)) + 1)) + (2 * sizeof(double)) + 28;

    public long[] Ids { get; private set; } = [];

    /// <summary>d_i^m, row-major [rows, M], nats.</summary>
    public double[] Divergence { get; private set; } = [];

    /// <summary>r_i^m in {0, 1}, row-major [rows, M].</summary>
    public byte[] Present { get; private set; } = [];

    /// <summary>The unimodal statistic for MI: predicted label (classification) or mean (regression), [rows, M].</summary>
    public double[] UnimodalValue { get; private set; } = [];

    /// <summary>The entropy-based confidence score of the unimodal prediction, [rows, M].</summary>
    public double[] Confidence { get; private set; } = [];

    /// <summary>The unimodal statistic for correlation, [rows, M].</summary>
    public double[] UnimodalAgreement { get; private set; } = [];

    /// <summary>The multimodal statistic for MI, [rows].</summary>
    public double[] MultimodalValue { get; private set; } = [];

    /// <summary>The multimodal statistic for correlation, [rows].</summary>
    public double[] MultimodalAgreement { get; private set; } = [];

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
        Ids[row] = id;
        _rowOf.Add(id, row);
        return row;
    }

    /// <summary>
    /// The row indices sorted by example id. Folding the rows in this order makes the epoch's results independent of the
    /// order in which examples were observed (batch order, rows within a batch, threads, merged workers): sums over
    /// examples are then always taken in the same order, so they round the same way.
    /// </summary>
    public int[] RowsInIdOrder()
    {
        var order = new int[Rows];
        for (var r = 0; r < order.Length; r++)
        {
            order[r] = r;
        }

        var keys = Ids.AsSpan(0, Rows).ToArray();
        Array.Sort(keys, order); // ids are distinct within an epoch, so the order is total
        return order;
    }

    /// <summary>Copies row <paramref name="sourceRow"/> of <paramref name="source"/> into this state (overwriting the same id).</summary>
    public void CopyRow(EpochObservations source, int sourceRow)
    {
        var m = Modalities;
        var row = RowFor(source.Ids[sourceRow]);
        Array.Copy(source.Divergence, sourceRow * m, Divergence, row * m, m);
        Array.Copy(source.Present, sourceRow * m, Present, row * m, m);
        Array.Copy(source.UnimodalValue, sourceRow * m, UnimodalValue, row * m, m);
        Array.Copy(source.Confidence, sourceRow * m, Confidence, row * m, m);
        Array.Copy(source.UnimodalAgreement, sourceRow * m, UnimodalAgreement, row * m, m);
        MultimodalValue[row] = source.MultimodalValue[sourceRow];
        MultimodalAgreement[row] = source.MultimodalAgreement[sourceRow];
    }

    /// <summary>Folds another worker's observations into this one; rows of ids present in both are taken from <paramref name="other"/>.</summary>
    public void Merge(EpochObservations other)
    {
        for (var r = 0; r < other.Rows; r++)
        {
            CopyRow(other, r);
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

    private void Allocate(int capacity)
    {
        var m = Modalities;
        Ids = Resize(Ids, capacity);
        Divergence = Resize(Divergence, capacity * m);
        Present = Resize(Present, capacity * m);
        UnimodalValue = Resize(UnimodalValue, capacity * m);
        Confidence = Resize(Confidence, capacity * m);
        UnimodalAgreement = Resize(UnimodalAgreement, capacity * m);
        MultimodalValue = Resize(MultimodalValue, capacity);
        MultimodalAgreement = Resize(MultimodalAgreement, capacity);
        _capacity = capacity;
    }

    private static T[] Resize<T>(T[] array, int length)
    {
        var copy = array;
        Array.Resize(ref copy, length);
        return copy;
    }
}
