using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Btw.Tests.Support;
using Xunit;

namespace Btw.Tests.Weighting;

/// <summary>
/// What the documentation claims: every public member is thread-safe, serialised by one internal lock; concurrent
/// Observe calls give the state of the same batches observed one after another, and readers never see a torn state.
/// </summary>
public class ThreadSafetyTests
{
    private const int M = 3;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private static List<List<SyntheticBatch>> Data() =>
        SyntheticBatch.Epochs(seed: 31, epochs: 3, examples: 192, batchSize: 12, (rng, ids) => SyntheticBatch.Classification(rng, ids, M, 4, 0.2));

    private static BtwOptions Options => new() { Modalities = M, Weighting = BtwWeighting.KlMi, MinimumMiPairs = 8 };

    [Fact]
    public async Task Concurrent_Observe_of_disjoint_batches_gives_the_same_state_as_sequential_Observe()
    {
        var data = Data();
        using var sequential = new BtwWeighter(Options);
        using var concurrent = new BtwWeighter(Options);
        foreach (var epoch in data)
        {
            foreach (var batch in epoch)
            {
                batch.ObserveInto(sequential);
            }

            // Four threads take the batches round-robin and observe them at the same time.
            using var start = new Barrier(4);
            var workers = Enumerable.Range(0, 4).Select(t => Task.Factory.StartNew(() =>
            {
                start.SignalAndWait();
                for (var b = t; b < epoch.Count; b += 4)
                {
                    epoch[b].ObserveInto(concurrent);
                }
            }, TaskCreationOptions.LongRunning)).ToArray();
            await Task.WhenAll(workers).WaitAsync(Timeout);

            Assert.Equal(sequential.PendingObservations, concurrent.PendingObservations);
            Assert.Equal(sequential.EndEpoch().ToTable(), concurrent.EndEpoch().ToTable());
            Assert.Equal(StateSnapshot.Snapshot(sequential), StateSnapshot.Snapshot(concurrent));
        }
    }

    [Fact]
    public async Task Readers_running_during_Observe_and_EndEpoch_never_see_a_torn_state()
    {
        var data = Data();
        var ids = data[0].SelectMany(b => b.Ids).Order().ToArray();
        using var weighter = new BtwWeighter(Options);
        var states = new List<float[]> { StateSnapshot.Weights(weighter, ids) }; // S0, S1, ... after each EndEpoch
        var reads = new ConcurrentBag<float[]>();
        var errors = new ConcurrentQueue<Exception>();
        using var done = new CancellationTokenSource();
        using var started = new CountdownEvent(3);   // every reader has read once before the writer starts

        var readers = Enumerable.Range(0, 3).Select(r => Task.Factory.StartNew(() =>
        {
            Span<float> row = stackalloc float[M];
            var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"btw-reader-{Guid.NewGuid():N}.btw");
            var first = true;
            try
            {
                while (!done.IsCancellationRequested)
                {
                    reads.Add(StateSnapshot.Weights(weighter, ids));
                    if (first)
                    {
                        first = false;
                        started.Signal();
                    }

                    weighter.TryGetWeights(ids[r], row);
                    _ = weighter.Count + weighter.PendingObservations + weighter.NormalizedMutualInformation.Count;
                    if (r == 0)
                    {
                        weighter.Save(path);
                        using var copy = BtwWeighter.Load(path);
                    }
                }
            }
            catch (Exception ex)
            {
                errors.Enqueue(ex);
            }
            finally
            {
                if (first)
                {
                    started.Signal();   // a reader that failed before its first read must not hold the writer back
                }

                System.IO.File.Delete(path);
            }
        }, TaskCreationOptions.LongRunning)).ToArray();

        Assert.True(started.Wait(TimeSpan.FromSeconds(60)), "the reader threads did not start");
        for (var round = 0; round < 3; round++)
        {
            foreach (var epoch in data)
            {
                foreach (var batch in epoch)
                {
                    batch.ObserveInto(weighter);
                }

                weighter.EndEpoch();
                states.Add(StateSnapshot.Weights(weighter, ids)); // only this thread changes the weights
            }
        }

        done.Cancel();
        await Task.WhenAll(readers).WaitAsync(Timeout);
        Assert.Empty(errors);
        Assert.True(reads.Count > 3, $"only {reads.Count} reads happened");
        var known = new HashSet<string>(states.Select(s => Convert.ToBase64String(s.SelectMany(BitConverter.GetBytes).ToArray())));
        Assert.Equal(states.Count, known.Count); // every fold changed the weights, so a torn read would be unknown
        Assert.All(reads, r => Assert.Contains(Convert.ToBase64String(r.SelectMany(BitConverter.GetBytes).ToArray()), known));
    }

    [Fact]
    public async Task Two_weighters_merging_into_each_other_at_the_same_time_do_not_deadlock()
    {
        var data = Data();
        using var a = new BtwWeighter(Options);
        using var b = new BtwWeighter(Options);
        data[0][0].ObserveInto(a);
        data[0][1].ObserveInto(b);
        using var start = new Barrier(2);
        var ab = Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < 2000; i++)
            {
                a.MergeObservations(b);
            }
        }, TaskCreationOptions.LongRunning);
        var ba = Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < 2000; i++)
            {
                b.MergeObservations(a);
            }
        }, TaskCreationOptions.LongRunning);
        await Task.WhenAll(ab, ba).WaitAsync(Timeout); // a deadlock ends in a TimeoutException
        Assert.Equal(24, a.PendingObservations);
        Assert.Equal(24, b.PendingObservations);
    }

    [Fact]
    public async Task Dispose_racing_with_Observe_gives_either_success_or_ObjectDisposedException()
    {
        var batch = Data()[0][0];
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var weighter = new BtwWeighter(Options);
            var observe = Task.Run(() =>
            {
                try
                {
                    batch.ObserveInto(weighter);
                }
                catch (ObjectDisposedException)
                {
                    // Allowed: the weighter was disposed first.
                }
            });
            weighter.Dispose();
            await observe.WaitAsync(Timeout);
            Assert.Throws<ObjectDisposedException>(() => weighter.EndEpoch());
        }
    }
}
