using System;
using System.Collections.Generic;

namespace Btw.Weighting.State;

/// <summary>
/// Maps example ids (non-negative int64) to slots: ids the dense array covers through that array, indexed by the id (one
/// memory access per lookup, and lookups of a batch independent of each other: the usual ids, a data set's row indices
/// 0 .. N - 1), every other id through a dictionary. The array grows (at least doubling, so adding N ids costs O(N)
/// whatever their pattern) when a new id lies past it but below four entries per held id; it never holds more than
/// about four entries per held id (plus <see cref="MinimumDense"/>; <see cref="Clear"/> keeps it), so sparse ids
/// (hashes, database keys) cost what a dictionary costs.
/// </summary>
internal sealed class IdIndex
{
    /// <summary>The dense array's smallest length once it is used.</summary>
    public const int MinimumDense = 1024;

    private readonly Dictionary<long, int> _sparse = new();
    private int[] _dense = [];   // slot + 1 at [id]; 0: absent

    /// <summary>The number of ids held.</summary>
    public int Count { get; private set; }

    /// <summary>The dense array's length (entries, ids 0 .. length - 1).</summary>
    public int DenseLength => _dense.Length;

    /// <summary>Managed bytes per held id when the ids are dense (0 .. N - 1): one int of the dense array.</summary>
    public static int DenseBytesPerId => sizeof(int);

    /// <summary>The slot of <paramref name="id"/>, if held.</summary>
    public bool TryGetValue(long id, out int slot)
    {
        if ((ulong)id < (ulong)_dense.Length)
        {
            slot = _dense[id] - 1;
            return slot >= 0;
        }

        return _sparse.TryGetValue(id, out slot);
    }

    /// <summary>Adds <paramref name="id"/> (not held yet) at <paramref name="slot"/> (non-negative).</summary>
    public void Add(long id, int slot)
    {
        // Grow only when the array can at least double: growing just past each new id (ids 4i + r stay just inside the
        // bound) would copy the whole array at every addition.
        if ((ulong)id >= (ulong)_dense.Length && id < DenseLimit && DenseLimit >= 2L * _dense.Length)
        {
            Grow(id);
        }

        if ((ulong)id < (ulong)_dense.Length)
        {
            _dense[id] = slot + 1;
        }
        else
        {
            _sparse.Add(id, slot);
        }

        Count++;
    }

    /// <summary>
    /// The slots of the held ids ordered by id (<paramref name="count"/> = <see cref="Count"/>): the dense array's slots
    /// in index order, then the dictionary's ids sorted (every dictionary id lies beyond the dense array). Ids are
    /// distinct, so the order is total.
    /// </summary>
    public int[] SlotsInIdOrder(int count)
    {
        var order = new int[count];
        var k = 0;
        foreach (var entry in _dense)
        {
            if (entry != 0)
            {
                order[k++] = entry - 1;
            }
        }

        if (k < order.Length)
        {
            var keys = new long[order.Length];
            var start = k;
            foreach (var (id, slot) in _sparse)
            {
                keys[k] = id;
                order[k++] = slot;
            }

            Array.Sort(keys, order, start, order.Length - start);
        }

        return order;
    }

    /// <summary>Forgets every id (keeps the dense array's memory).</summary>
    public void Clear()
    {
        Array.Clear(_dense);
        _sparse.Clear();
        Count = 0;
    }

    // Ids below this go to the dense array: at most about four array entries per held id.
    private long DenseLimit => Math.Max(MinimumDense, 4L * (Count + 1));

    // Grows the dense array past id (at least doubling: the limit is at least twice the length) and moves the sparse ids
    // it now covers.
    private void Grow(long id)
    {
        var length = Math.Max(MinimumDense, (long)_dense.Length * 2);
        while (length <= id)
        {
            length *= 2;
        }

        length = Math.Min(length, Math.Min(DenseLimit, Array.MaxLength));
        Array.Resize(ref _dense, (int)length);
        if (_sparse.Count == 0)
        {
            return;
        }

        List<long>? covered = null;
        foreach (var (key, _) in _sparse)
        {
            if (key < length)
            {
                (covered ??= []).Add(key);
            }
        }

        foreach (var key in covered ?? [])
        {
            _dense[key] = _sparse[key] + 1;
            _sparse.Remove(key);
        }
    }
}
