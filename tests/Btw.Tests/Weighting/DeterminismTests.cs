using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Btw.Tests.Support;
using Xunit;

namespace Btw.Tests.Weighting;

/// <summary>
/// Same seed and data, same bits: across runs, across the number of threads the modality statistics may use, across
/// the order in which an epoch's batches (and the rows within them) arrive, and across splitting an epoch between
/// workers whose observations are merged.
/// </summary>
public class DeterminismTests
{
    private const int M = 6;

    private static List<List<SyntheticBatch>> Data(BtwTask task) =>
        SyntheticBatch.Epochs(seed: 2024, epochs: 3, examples: 240, batchSize: 16, (rng, ids) => task == BtwTask.Classification
            ? SyntheticBatch.Classification(rng, ids, M, 5, missingRate: 0.2)
            : SyntheticBatch.Regression(rng, ids, M, 2, missingRate: 0.2));

    private static BtwOptions Options(BtwTask task, BtwWeighting weighting) =>
        new() { Modalities = M, Task = task, RegressionOutput = task == BtwTask.Regression ? BtwRegressionOutput.MeanAndLogVariance : BtwRegressionOutput.Mean, Weighting = weighting, MinimumMiPairs = 8 };

    /// <summary>Trains on every epoch and returns the final state, the weights of every id and each epoch's report table.</summary>
    private static (byte[] State, float[] Weights, string Reports) Train(BtwOptions options, List<List<SyntheticBatch>> data, Func<List<SyntheticBatch>, IEnumerable<SyntheticBatch>>? order = null)
    {
        using var weighter = new BtwWeighter(options);
        var reports = new List<string>();
        foreach (var epoch in data)
        {
            foreach (var batch in order?.Invoke(epoch) ?? epoch)
            {
                batch.ObserveInto(weighter);
            }

            reports.Add(weighter.EndEpoch().ToTable());
        }

        var ids = data[0].SelectMany(b => b.Ids).Order().ToArray();
        return (StateSnapshot.Snapshot(weighter), StateSnapshot.Weights(weighter, ids), string.Join("\n", reports));
    }

    private static void AssertSame((byte[] State, float[] Weights, string Reports) expected, (byte[] State, float[] Weights, string Reports) actual)
    {
        StateSnapshot.BitIdentical(expected.Weights, actual.Weights);
        Assert.Equal(expected.Reports, actual.Reports);
        Assert.Equal(expected.State, actual.State);
    }

    [Theory]
    [InlineData(BtwTask.Classification, BtwWeighting.KlMi)]
    [InlineData(BtwTask.Regression, BtwWeighting.KlMi)]
    [InlineData(BtwTask.Regression, BtwWeighting.Correlation)]
    public void Two_runs_with_the_same_seed_and_data_are_bit_identical(BtwTask task, BtwWeighting weighting)
    {
        AssertSame(Train(Options(task, weighting), Data(task)), Train(Options(task, weighting), Data(task)));
    }

    /// <summary>
    /// Beyond the id index's first 1,024 entries: 3,000 examples under order-preserving id maps that keep every id in the
    /// array (0 .. N - 1), put most in the dictionary (4i + 3: one rank of four under a distributed sampler), split them
    /// (ids past 1,500 spread to hashes), or leave gaps the array grows over; each weighter is also saved and loaded in the
    /// middle of every epoch (the loaded index is rebuilt in slot order). Same weights, same reports.
    /// </summary>
    [Fact]
    public void Id_patterns_across_the_array_and_the_dictionary_give_the_same_weights_and_reports_through_save_and_load()
    {
        var data = SyntheticBatch.Epochs(seed: 77, epochs: 3, examples: 3000, batchSize: 64, (rng, ids) => SyntheticBatch.Classification(rng, ids, 3, 4, missingRate: 0.2));
        var options = new BtwOptions { Modalities = 3, Task = BtwTask.Classification, Weighting = BtwWeighting.KlMi, MinimumMiPairs = 8 };
        Func<long, long>[] maps = [id => id, id => (4 * id) + 3, id => id < 1500 ? id : (id * 1_000_003_000_011L) + 5, id => (3 * id) + (id % 7)];
        (float[] Weights, string Reports)? first = null;
        foreach (var map in maps)
        {
            var mapped = data.Select(epoch => epoch.Select(b => new SyntheticBatch(Array.ConvertAll(b.Ids, id => map(id)), b.Unimodal, b.Multimodal, b.Present, b.OutputShape)).ToList()).ToList();
            var weighter = new BtwWeighter(options);
            var reports = new List<string>();
            foreach (var epoch in mapped)
            {
                for (var k = 0; k < epoch.Count; k++)
                {
                    if (k == epoch.Count / 2)
                    {
                        var bytes = weighter.ToBytes();
                        weighter.Dispose();
                        weighter = BtwWeighter.FromBytes(bytes);
                    }

                    epoch[k].ObserveInto(weighter);
                }

                reports.Add(weighter.EndEpoch().ToTable());
            }

            var ids = mapped[0].SelectMany(b => b.Ids).Order().ToArray();
            var result = (StateSnapshot.Weights(weighter, ids), string.Join("\n", reports));
            weighter.Dispose();
            if (first is { } expected)
            {
                StateSnapshot.BitIdentical(expected.Weights, result.Item1);
                Assert.Equal(expected.Reports, result.Item2);
            }
            else
            {
                first = result;
            }
        }
    }

    [Theory]
    [InlineData(BtwTask.Classification)]
    [InlineData(BtwTask.Regression)]
    public void Dense_and_sparse_ids_give_the_same_weights_and_reports(BtwTask task)
    {
        // Row indices 0 .. 239 go through the id index's array; the same examples under ids spread up to about 2^48 (an
        // order-preserving map) go through its dictionary. The weights per example and every report are the same bits.
        const long Spread = 1_000_003_000_011L;
        var data = Data(task);
        var sparse = data.Select(epoch => epoch.Select(b => new SyntheticBatch(Array.ConvertAll(b.Ids, id => (id * Spread) + 5), b.Unimodal, b.Multimodal, b.Present, b.OutputShape)).ToList()).ToList();
        var options = Options(task, BtwWeighting.KlMi);
        var dense = Train(options, data);
        var spread = Train(options, sparse);
        StateSnapshot.BitIdentical(dense.Weights, spread.Weights);
        Assert.Equal(dense.Reports, spread.Reports);
        Assert.NotEqual(dense.State, spread.State);   // the saved ids differ, nothing else
    }

    [Theory]
    [InlineData(BtwTask.Classification)]
    [InlineData(BtwTask.Regression)]
    public void Results_do_not_depend_on_how_many_threads_the_statistics_can_use(BtwTask task)
    {
        var data = Data(task);
        var options = Options(task, BtwWeighting.KlMi);
        var normal = Train(options, data);

        // An exclusive scheduler runs one task at a time: Parallel.For inside EndEpoch cannot parallelise.
        var pair = new ConcurrentExclusiveSchedulerPair(TaskScheduler.Default, maxConcurrencyLevel: 4);
        var single = Task.Factory.StartNew(() =>
        {
            Assert.Equal(1, TaskScheduler.Current.MaximumConcurrencyLevel);
            return Train(options, data);
        }, default, TaskCreationOptions.None, pair.ExclusiveScheduler).Wait(TimeSpan.FromSeconds(60), out var singleResult);
        Assert.True(single, "the single-threaded run did not finish");

        var four = Task.Factory.StartNew(() =>
        {
            Assert.Equal(4, TaskScheduler.Current.MaximumConcurrencyLevel);
            return Train(options, data);
        }, default, TaskCreationOptions.None, pair.ConcurrentScheduler).Wait(TimeSpan.FromSeconds(60), out var fourResult);
        Assert.True(four, "the four-thread run did not finish");

        AssertSame(normal, singleResult);
        AssertSame(normal, fourResult);
    }

    [Theory]
    [InlineData(BtwTask.Classification, BtwWeighting.KlMi)]
    [InlineData(BtwTask.Classification, BtwWeighting.Correlation)]
    [InlineData(BtwTask.Regression, BtwWeighting.Mi)]
    public void The_order_of_batches_and_of_rows_within_an_epoch_does_not_matter(BtwTask task, BtwWeighting weighting)
    {
        var data = Data(task);
        var options = Options(task, weighting);
        var inOrder = Train(options, data);
        var reversed = Train(options, data, epoch => Enumerable.Reverse(epoch).Select(b => b.PermuteRows(Enumerable.Range(0, b.Rows).Reverse().ToArray())));
        var rng = new Random(5);
        var shuffled = Train(options, data, epoch =>
        {
            var batches = epoch.ToArray();
            rng.Shuffle(batches);
            return batches;
        });
        AssertSame(inOrder, reversed);
        AssertSame(inOrder, shuffled);
    }

    [Fact]
    public void An_epoch_split_between_workers_and_merged_equals_one_weighter_seeing_everything()
    {
        var data = Data(BtwTask.Classification);
        var options = Options(BtwTask.Classification, BtwWeighting.KlMi);
        var whole = Train(options, data);

        using var main = new BtwWeighter(options);
        var reports = new List<string>();
        foreach (var epoch in data)
        {
            using var worker = new BtwWeighter(options);
            for (var b = 0; b < epoch.Count; b++)
            {
                epoch[b].ObserveInto(b % 2 == 0 ? worker : main);
            }

            main.MergeObservations(worker);
            reports.Add(main.EndEpoch().ToTable());
        }

        var ids = data[0].SelectMany(b => b.Ids).Order().ToArray();
        AssertSame(whole, (StateSnapshot.Snapshot(main), StateSnapshot.Weights(main, ids), string.Join("\n", reports)));
    }
}

internal static class TaskWaitExtensions
{
    public static bool Wait<T>(this Task<T> task, TimeSpan timeout, out T result)
    {
        var done = task.Wait(timeout);
        result = done ? task.Result : default!;
        return done;
    }
}
