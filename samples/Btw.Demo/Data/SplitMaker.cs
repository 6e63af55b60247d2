using System;
using System.Collections.Generic;
using System.Linq;

namespace Btw.Demo.Data;

/// <summary>
/// Seeded, reproducible row splits. Classification splits are stratified: each class's rows are shuffled
/// (System.Random with the given seed, Fisher-Yates) and cut by the fractions, rounding down for the
/// later parts so that every class keeps at least its share in the first part. Regression splits shuffle all rows.
/// </summary>
internal static class SplitMaker
{
    /// <summary>Splits <paramref name="data"/> into parts of the given fractions (which must sum to 1).</summary>
    public static IReadOnlyList<int[]> Split(MultiViewDataset data, IReadOnlyList<double> fractions, int seed)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(fractions);
        if (fractions.Count < 2 || fractions.Any(f => f <= 0) || Math.Abs(fractions.Sum() - 1) > 1e-9)
        {
            throw new ArgumentException("Fractions must be at least two positive numbers summing to 1.", nameof(fractions));
        }

        var random = new Random(seed);
        var parts = fractions.Select(_ => new List<int>()).ToArray();
        IEnumerable<int[]> groups = data.Task == BtwTask.Classification
            ? Enumerable.Range(0, data.Classes).Select(c => Enumerable.Range(0, data.Rows).Where(r => data.Labels![r] == c).ToArray())
            : new[] { Enumerable.Range(0, data.Rows).ToArray() };
        foreach (var group in groups)
        {
            Shuffle(group, random);
            var start = 0;
            for (var p = fractions.Count - 1; p >= 1; p--)
            {
                var count = (int)Math.Floor(group.Length * fractions[p]);
                parts[p].AddRange(group.Skip(start).Take(count));
                start += count;
            }

            parts[0].AddRange(group.Skip(start));
        }

        return parts.Select(p =>
        {
            var array = p.ToArray();
            Array.Sort(array);
            return array;
        }).ToArray();
    }

    public static void Shuffle<T>(T[] items, Random random)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(random);
        for (var i = items.Length - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>A train/validation/test split of one pool of rows (e.g. 60/20/20).</summary>
    public static DataSplit ThreeWay(MultiViewDataset data, double train, double validation, double test, int seed)
    {
        ArgumentNullException.ThrowIfNull(data);
        var parts = Split(data, new[] { train, validation, test }, seed);
        var kind = data.Task == BtwTask.Classification ? "stratified" : "shuffled";
        var description = FormattableString.Invariant(
            $"{data.Rows} rows, {kind} {train * 100:0}/{validation * 100:0}/{test * 100:0} train/validation/test (split seed {seed}): {parts[0].Length}/{parts[1].Length}/{parts[2].Length} rows.");
        return new DataSplit(data.Select(parts[0]), data.Select(parts[1]), data.Select(parts[2]), description);
    }
}
