using System;
using System.Collections.Generic;
using System.IO;
using Btw.Persistence;
using System.Runtime.CompilerServices;

namespace Btw.Weighting.State;

/// <summary>
/// The smoothed weights w_i (M floats) of every example id seen so far, and for each (id, modality) whether the
/// modality was ever present for that id (a weight never updated stays at its initial 1 and says nothing). Ids are
/// arbitrary non-negative int64; storage grows as needed and keeps insertion order, so iteration (and the saved file)
/// is deterministic.
/// </summary>
internal sealed class WeightStore
{
    private readonly IdIndex _slotOf = new();
    private long[] _ids = new long[64];
    private float[] _weights;
    private byte[] _seen;

    public WeightStore(int modalities)
    {
        Modalities = modalities;
        _weights = new float[64 * modalities];
        _seen = new byte[64 * modalities];
    }

    public int Modalities { get; }

    public int Count { get; private set; }

    /// <summary>Managed bytes per stored example with full buffers: the weights, the presence marks, the id and its entry in the dense id index (ids 0 .. N - 1; see <see cref="IdIndex"/>).</summary>
    public int BytesPerExample => ((sizeof(float) + 1) * Modalities) + sizeof(long) + IdIndex.DenseBytesPerId;

    public long IdAt(int slot) => _ids[slot];

    public ReadOnlySpan<float> Row(int slot) => _weights.AsSpan(slot * Modalities, Modalities);

    /// <summary>For each modality, 1 if it was ever present for the example in <paramref name="slot"/>, else 0.</summary>
    public Span<byte> Seen(int slot) => _seen.AsSpan(slot * Modalities, Modalities);

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

    /// <summary>
    /// Each modality's mean stored weight over the stored examples for which it was ever present, summed in slot order;
    /// 1 for a modality present for no stored example (and for every modality when nothing is stored).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double[] ModalityMeans()
    {
        var means = new double[Modalities];
        var counts = new long[Modalities];
        for (var slot = 0; slot < Count; slot++)
        {
            var row = Row(slot);
            var seen = Seen(slot);
            for (var j = 0; j < Modalities; j++)
            {
                if (seen[j] != 0)
                {
                    means[j] += row[j];
                    counts[j]++;
                }
            }
        }

        for (var j = 0; j < Modalities; j++)
        {
            means[j] = counts[j] > 0 ? means[j] / counts[j] : 1.0;
        }

        return means;
    }

    /// <summary>Returns the slot of <paramref name="id"/>, adding it with all weights 1 and nothing seen if it is new.</summary>
    public int SlotFor(long id)
    {
        if (!_slotOf.TryGetValue(id, out var slot))
        {
            slot = Count;
            if (slot == _ids.Length)
            {
                Array.Resize(ref _ids, _ids.Length * 2);
                Array.Resize(ref _weights, _weights.Length * 2);
                Array.Resize(ref _seen, _seen.Length * 2);
            }

            _ids[slot] = id;
            _weights.AsSpan(slot * Modalities, Modalities).Fill(1f);
            _slotOf.Add(id, slot);
            Count++;
        }

        return slot;
    }

    /// <summary>The weights of the example in <paramref name="slot"/>, writable.</summary>
    public Span<float> MutableRow(int slot) => _weights.AsSpan(slot * Modalities, Modalities);

    /// <summary>Writes the count, then per example: id, M x f32 weights, M presence marks.</summary>
    public void Write(BinaryWriter w)
    {
        w.Write(Count);
        for (var slot = 0; slot < Count; slot++)
        {
            w.Write(IdAt(slot));
            foreach (var value in Row(slot))
            {
                w.Write(value);
            }

            w.Write(Seen(slot));
        }
    }

    /// <summary>Reads what <see cref="Write"/> wrote: ids non-negative and distinct, weights finite and non-negative, marks 0/1.</summary>
    public static WeightStore Read(StateReader r, int modalities)
    {
        var count = r.ReadInt32();
        r.Require(count >= 0 && (long)count * (8 + (5 * modalities)) <= r.Remaining, "a weight count larger than the file");
        var store = new WeightStore(modalities);
        for (var i = 0; i < count; i++)
        {
            var id = r.ReadInt64();
            r.Require(id >= 0 && !store.TryGetSlot(id, out _), "a negative or repeated example id");
            var slot = store.SlotFor(id);
            var row = store.MutableRow(slot);
            for (var j = 0; j < modalities; j++)
            {
                var value = r.ReadSingle();
                r.Require(float.IsFinite(value) && value >= 0, "a weight that is negative or not finite");
                row[j] = value;
            }

            var seenMarks = store.Seen(slot);
            for (var j = 0; j < modalities; j++)
            {
                seenMarks[j] = r.ReadFlag("a presence mark");
            }
        }

        return store;
    }
}
