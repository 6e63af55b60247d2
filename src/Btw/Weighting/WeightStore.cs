using System;
using System.Collections.Generic;

namespace Btw;

/// <summary>
/// The smoothed weights w_i (M floats) of every example id seen so far. Ids are arbitrary non-negative int64; storage
/// grows as needed and keeps insertion order, so iteration (and the saved file) is deterministic.
/// </summary>
internal sealed class WeightStore
{
    private readonly Dictionary<long, int> _slotOf = new();
    private long[] _ids = new long[64];
    private float[] _weights;

    public WeightStore(int modalities)
    {
        Modalities = modalities;
        _weights = new float[64 * modalities];
    }

    public int Modalities { get; }

    public int Count { get; private set; }

    /// <summary>Managed bytes per stored example with full buffers: the weights, the id and the dictionary entry (24) and bucket (4).</summary>
    public int BytesPerExample => (sizeof(float) * Modalities) + sizeof(long) + 28;

    public long IdAt(int slot) => _ids[slot];

    public ReadOnlySpan<float> Row(int slot) => _weights.AsSpan(slot * Modalities, Modalities);

    public bool TryGetSlot(long id, out int slot) => _slotOf.TryGetValue(id, out slot);

    /// <summary>Copies the weights of <paramref name="id"/> into <paramref name="destination"/>, or <paramref name="unseen"/> when the id is unseen.</summary>
    public bool CopyTo(long id, Span<float> destination, ReadOnlySpan<float> unseen)
    {
        if (_slotOf.TryGetValue(id, out var slot))
        {
            Row(slot).CopyTo(destination);
            return true;
        }

        unseen.CopyTo(destination);
        return false;
    }

    /// <summary>Each modality's mean stored weight over every stored example, summed in slot order; ones when nothing is stored.</summary>
    public double[] ModalityMeans()
    {
        var means = new double[Modalities];
        if (Count == 0)
        {
            Array.Fill(means, 1.0);
            return means;
        }

        for (var slot = 0; slot < Count; slot++)
        {
            var row = Row(slot);
            for (var j = 0; j < Modalities; j++)
            {
                means[j] += row[j];
            }
        }

        for (var j = 0; j < Modalities; j++)
        {
            means[j] /= Count;
        }

        return means;
    }

    /// <summary>Returns the row of <paramref name="id"/>, adding it with all weights 1 if it is new.</summary>
    public Span<float> GetOrAdd(long id)
    {
        if (!_slotOf.TryGetValue(id, out var slot))
        {
            slot = Count;
            if (slot == _ids.Length)
            {
                Array.Resize(ref _ids, _ids.Length * 2);
                Array.Resize(ref _weights, _weights.Length * 2);
            }

            _ids[slot] = id;
            _weights.AsSpan(slot * Modalities, Modalities).Fill(1f);
            _slotOf.Add(id, slot);
            Count++;
        }

        return _weights.AsSpan(slot * Modalities, Modalities);
    }
}
