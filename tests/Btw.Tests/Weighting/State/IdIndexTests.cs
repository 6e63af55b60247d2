using System;
using System.Collections.Generic;
using Btw.Weighting.State;
using Xunit;

namespace Btw.Tests.Weighting.State;

/// <summary>
/// <see cref="IdIndex"/> answers exactly as a dictionary does, whatever the ids: dense row indices in shuffled order,
/// sparse ids (hashes near int64's maximum), strides that stay just outside the dense bound, and mixtures that move ids
/// from the dictionary into the dense array as it grows.
/// </summary>
public class IdIndexTests
{
    public static TheoryData<string> Patterns => new() { "shuffled-dense", "sparse", "stride-7", "stride-4", "stride-3", "mixed", "late-small" };

    [Theory]
    [MemberData(nameof(Patterns))]
    public void Lookups_match_a_dictionary_for_every_id_pattern(string pattern)
    {
        var random = new Random(11);
        var ids = Ids(pattern, random);
        var index = new IdIndex();
        var reference = new Dictionary<long, int>();
        for (var k = 0; k < ids.Count; k++)
        {
            if (reference.ContainsKey(ids[k]))
            {
                continue;
            }

            index.Add(ids[k], reference.Count);
            reference.Add(ids[k], reference.Count);

            // Every few additions: every id held so far, and ids never added, answer as the dictionary does.
            if (k % 97 == 0 || k == ids.Count - 1)
            {
                foreach (var (id, slot) in reference)
                {
                    Assert.True(index.TryGetValue(id, out var found), $"id {id} lost after {k} additions ({pattern})");
                    Assert.Equal(slot, found);
                }

                for (var probe = 0; probe < 50; probe++)
                {
                    var absent = random.NextInt64(0, long.MaxValue);
                    Assert.Equal(reference.ContainsKey(absent), index.TryGetValue(absent, out _));
                }
            }
        }

        Assert.Equal(reference.Count, index.Count);
        Assert.False(index.TryGetValue(-1, out _));
        Assert.False(index.TryGetValue(long.MinValue, out _));
    }

    [Theory]
    [MemberData(nameof(Patterns))]
    public void Slots_in_id_order_are_the_slots_sorted_by_id(string pattern)
    {
        var ids = Ids(pattern, new Random(12));
        var index = new IdIndex();
        var idOfSlot = new List<long>();
        foreach (var id in ids)
        {
            if (!index.TryGetValue(id, out _))
            {
                index.Add(id, idOfSlot.Count);
                idOfSlot.Add(id);
            }
        }

        var expected = new int[idOfSlot.Count];
        for (var k = 0; k < expected.Length; k++)
        {
            expected[k] = k;
        }

        Array.Sort(idOfSlot.ToArray(), expected);
        Assert.Equal(expected, index.SlotsInIdOrder(index.Count));
    }

    /// <summary>
    /// The dense array grows by doubling, so adding N ids costs O(N) whatever their pattern: its length changes at most
    /// about log2(N) times (ids 4i + r, the ids one rank of four sees under a distributed sampler, once made it grow by
    /// four entries at every addition, a full copy each time: quadratic, 75 s for 200,000 ids) and never exceeds
    /// four entries per held id (or <see cref="IdIndex.MinimumDense"/>).
    /// </summary>
    [Theory]
    [MemberData(nameof(Patterns))]
    public void The_dense_array_grows_geometrically_within_four_entries_per_id(string pattern)
    {
        var ids = Ids(pattern, new Random(13));
        var index = new IdIndex();
        for (var epoch = 0; epoch < 2; epoch++)
        {
            var changes = 0;
            var length = index.DenseLength;
            foreach (var id in ids)
            {
                if (index.TryGetValue(id, out _))
                {
                    continue;
                }

                index.Add(id, index.Count);
                if (index.DenseLength != length)
                {
                    Assert.True(index.DenseLength >= 2L * length, $"the dense array grew from {length} to only {index.DenseLength} ({pattern})");
                    length = index.DenseLength;
                    changes++;
                }

                if (epoch == 0)
                {
                    Assert.True(length <= Math.Max(IdIndex.MinimumDense, 4L * index.Count), $"dense length {length} for {index.Count} ids ({pattern})");
                }
            }

            Assert.True(changes <= 1 + Math.Log2(ids.Count), $"{changes} resizes for {ids.Count} ids ({pattern}, epoch {epoch})");
            index.Clear();   // as EpochObservations.Reset: the next epoch keeps the array
        }
    }

    [Fact]
    public void Clear_forgets_every_id_and_the_index_refills_with_new_slots()
    {
        var index = new IdIndex();
        for (var id = 0; id < 5000; id++)
        {
            index.Add(id, id);
        }

        index.Add(long.MaxValue - 3, 5000);
        index.Clear();
        Assert.Equal(0, index.Count);
        Assert.False(index.TryGetValue(0, out _));
        Assert.False(index.TryGetValue(4999, out _));
        Assert.False(index.TryGetValue(long.MaxValue - 3, out _));

        index.Add(4999, 0);
        index.Add(long.MaxValue - 3, 1);
        Assert.True(index.TryGetValue(4999, out var first));
        Assert.Equal(0, first);
        Assert.True(index.TryGetValue(long.MaxValue - 3, out var second));
        Assert.Equal(1, second);
        Assert.False(index.TryGetValue(0, out _));
    }

    private static List<long> Ids(string pattern, Random random)
    {
        var ids = new List<long>();
        switch (pattern)
        {
            case "shuffled-dense":
                for (var i = 0; i < 20_000; i++)
                {
                    ids.Add(i);
                }

                Shuffle(ids, random);
                break;
            case "sparse":
                for (var i = 0; i < 3000; i++)
                {
                    ids.Add(long.MaxValue - random.NextInt64(0, 1L << 40));
                }

                break;
            case "stride-7":
                for (var i = 0; i < 6000; i++)
                {
                    ids.Add(7L * i);   // beyond four entries per id once past the minimum: mostly in the dictionary
                }

                break;
            case "stride-4":
                for (var i = 0; i < 30_000; i++)
                {
                    ids.Add((4L * i) + 3);   // rank 3 of 4 under a distributed sampler: always just inside the dense bound
                }

                break;
            case "stride-3":
                for (var i = 0; i < 20_000; i++)
                {
                    ids.Add(3L * i);
                }

                Shuffle(ids, random);
                break;
            case "mixed":
                for (var i = 0; i < 8000; i++)
                {
                    ids.Add(random.Next(3) == 0 ? random.NextInt64(0, long.MaxValue) : random.Next(0, 30_000));
                }

                break;
            default: // "late-small": large ids first (dictionary), then small ones that make the dense array grow over them
                for (var i = 0; i < 3000; i++)
                {
                    ids.Add(20_000 + i);
                }

                for (var i = 0; i < 6000; i++)
                {
                    ids.Add(i);
                }

                break;
        }

        return ids;
    }

    private static void Shuffle(List<long> ids, Random random)
    {
        for (var i = ids.Count - 1; i > 0; i--)
        {
            var k = random.Next(i + 1);
            (ids[i], ids[k]) = (ids[k], ids[i]);
        }
    }
}
