using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Btw.Tests.Support;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Btw.Tests.Reliability;

/// <summary>
/// The one-lock thread-safety claim under a real stress, bounded in time: three threads Observe batches (with missing
/// modalities) and read WeightsFor, two threads read WeightsForUnseen, MeanWeights and WeightsFromOutputs, and one
/// thread alternates Save and EndEpoch, all at once for <see cref="Duration"/>. Invariants: no exception at all (none
/// of the documented ones applies: the weighter stays alive and every input is valid), every saved file loads and its
/// completed epochs never go backwards, every weight is finite and non-negative, missing modalities get 0 and every row
/// sums to the number of modalities present (<see cref="BtwScale.PresentCount"/>).
/// </summary>
public sealed class ConcurrencyStressTests : IDisposable
{
    private const int M = 3;
    private const int Classes = 4;
    private const int BatchSize = 16;
    private const int IdsPerObserver = 160;

    /// <summary>How long the threads run; override with BTW_STRESS_SECONDS.</summary>
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(
        double.TryParse(Environment.GetEnvironmentVariable("BTW_STRESS_SECONDS"), System.Globalization.CultureInfo.InvariantCulture, out var s) && s > 0 ? s : 3);

    private readonly string _folder = Directory.CreateTempSubdirectory("btw-stress-").FullName;
    private readonly ITestOutputHelper _output;

    public ConcurrencyStressTests(ITestOutputHelper output) => _output = output;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Observers_readers_and_a_saving_folding_thread_keep_every_invariant()
    {
        using var weighter = new BtwWeighter(new BtwOptions { Modalities = M, Weighting = BtwWeighting.KlMi, MinimumMiPairs = 8, UnseenWeights = BtwUnseenWeights.FromOutputs });
        var errors = new ConcurrentQueue<string>();
        var counts = new ConcurrentDictionary<string, long>();
        var saved = new ConcurrentQueue<(string Path, int Epochs)>();
        using var stop = new CancellationTokenSource();
        using var start = new Barrier(6);

        void Worker(string name, int seed, Action<Random> iteration) => Guard(errors, name, () =>
        {
            var random = new Random(seed);
            start.SignalAndWait();
            while (!stop.IsCancellationRequested)
            {
                iteration(random);
                counts.AddOrUpdate(name, 1, (_, n) => n + 1);
            }
        });

        var threads = new List<Task>();
        for (var t = 0; t < 3; t++)
        {
            var firstId = 1000L * (t + 1);
            threads.Add(Task.Factory.StartNew(() => Worker($"observer {firstId / 1000}", (int)firstId, random =>
            {
                using var scope = NewDisposeScope();
                var ids = Enumerable.Range(0, IdsPerObserver).Select(i => firstId + i).OrderBy(_ => random.Next()).Take(BatchSize).ToArray();
                var (unimodal, multimodal, present) = Outputs(random, BatchSize);
                weighter.Observe(tensor(ids), unimodal, multimodal, present);
                CheckRows(weighter.WeightsFor(tensor(ids), present), present, "WeightsFor(ids, present)");
            }), TaskCreationOptions.LongRunning));
        }

        for (var t = 0; t < 2; t++)
        {
            var seed = 50 + t;
            threads.Add(Task.Factory.StartNew(() => Worker($"reader {seed}", seed, random =>
            {
                using var scope = NewDisposeScope();
                var (unimodal, multimodal, present) = Outputs(random, BatchSize);
                CheckRows(weighter.WeightsForUnseen(present), present, "WeightsForUnseen");
                CheckRows(weighter.WeightsFromOutputs(unimodal, multimodal, present), present, "WeightsFromOutputs");
                var means = weighter.MeanWeights;
                if (means.Count != M || means.Any(w => !double.IsFinite(w) || w < 0))
                {
                    throw new InvalidOperationException($"MeanWeights [{string.Join(", ", means)}] are not M finite non-negative numbers");
                }
            }), TaskCreationOptions.LongRunning));
        }

        threads.Add(Task.Factory.StartNew(() => Worker("saver", 0, random =>
        {
            var path = Path.Combine(_folder, $"state-{saved.Count % 8}.btw");   // overwrite a few files in turn
            var epochs = weighter.CompletedEpochs;
            weighter.Save(path);
            using (var loaded = BtwWeighter.Load(path))
            {
                if (loaded.CompletedEpochs < epochs)
                {
                    throw new InvalidOperationException($"a file saved after epoch {epochs} loads with {loaded.CompletedEpochs} epochs");
                }

                saved.Enqueue((path, loaded.CompletedEpochs));
            }

            Thread.Sleep(random.Next(0, 5));
            BtwEpochReport report;
            try
            {
                report = weighter.EndEpoch();
            }
            catch (InvalidOperationException ex) when (ex.Message.Contains("Observe", StringComparison.Ordinal))
            {
                return;   // nothing was observed since this thread's last fold: refused, as it must be, and nothing changed
            }

            if (report.Modalities.Any(m => !double.IsFinite(m.MeanWeight)))
            {
                throw new InvalidOperationException($"epoch {report.Epoch} reports a non-finite mean weight");
            }
        }), TaskCreationOptions.LongRunning));

        var clock = Stopwatch.StartNew();
        await Task.Delay(Duration);
        stop.Cancel();
        await Task.WhenAll(threads).WaitAsync(TimeSpan.FromSeconds(60));   // a deadlock ends in a TimeoutException
        var seconds = clock.Elapsed.TotalSeconds;

        Assert.True(errors.IsEmpty, string.Join(Environment.NewLine, errors));

        // Every file written (the last version of each) loads, and a final fold leaves every stored weight valid.
        var files = Directory.GetFiles(_folder, "*.btw");
        foreach (var file in files)
        {
            using var loaded = BtwWeighter.Load(file);
            Assert.Equal(M, loaded.Modalities);
        }

        Assert.Empty(Directory.GetFiles(_folder, "*.tmp"));
        if (weighter.PendingObservations > 0)   // the folding thread may have folded everything already (an empty fold is refused)
        {
            weighter.EndEpoch();
        }

        var allIds = Enumerable.Range(1, 3).SelectMany(t => Enumerable.Range(0, IdsPerObserver).Select(i => (1000L * t) + i)).ToArray();
        var stored = StateSnapshot.Weights(weighter, allIds);
        Assert.All(stored, w => Assert.True(float.IsFinite(w) && w >= 0, $"stored weight {w}"));
        Assert.Equal(allIds.Length, weighter.Count);

        var summary = string.Join(", ", counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}: {c.Value}"));
        _output.WriteLine($"{seconds:F1} s, 6 threads: {summary} iterations; {saved.Count} saves each loaded back, {weighter.CompletedEpochs} epochs, {files.Length} files re-loaded at the end; no exception.");
        Assert.True(counts.Count == 6 && counts.Values.All(n => n >= 3), $"a thread barely ran: {summary}");
    }

    /// <summary>Random classification outputs [B, C] and presence flags with at least one modality per row.</summary>
    private static (List<Tensor> Unimodal, Tensor Multimodal, Tensor Present) Outputs(Random random, int rows)
    {
        var multimodal = Enumerable.Range(0, rows * Classes).Select(_ => (float)((random.NextDouble() * 6) - 3)).ToArray();
        var unimodal = Enumerable.Range(0, M)
            .Select(m => tensor(multimodal.Select(z => (float)((z * (1 - (0.3 * m))) + (random.NextDouble() - 0.5))).ToArray(), new long[] { rows, Classes }))
            .ToList();
        var present = new bool[rows * M];
        for (var r = 0; r < rows; r++)
        {
            var kept = random.Next(M);
            for (var m = 0; m < M; m++)
            {
                present[(r * M) + m] = m == kept || random.NextDouble() < 0.6;
            }
        }

        return (unimodal, tensor(multimodal, new long[] { rows, Classes }), tensor(present, new long[] { rows, M }));
    }

    /// <summary>Finite, non-negative, 0 where missing, each row summing to the number present.</summary>
    private static void CheckRows(Tensor weights, Tensor present, string what)
    {
        var w = weights.data<float>().ToArray();
        var p = present.data<bool>().ToArray();
        for (var r = 0; r < w.Length / M; r++)
        {
            double sum = 0;
            var count = 0;
            for (var m = 0; m < M; m++)
            {
                var v = w[(r * M) + m];
                if (!float.IsFinite(v) || v < 0 || (!p[(r * M) + m] && v != 0))
                {
                    throw new InvalidOperationException($"{what}: row {r}, modality {m} has weight {v} (present: {p[(r * M) + m]})");
                }

                sum += v;
                count += p[(r * M) + m] ? 1 : 0;
            }

            if (Math.Abs(sum - count) > 1e-4 * count)
            {
                throw new InvalidOperationException($"{what}: row {r} sums to {sum}, expected the number present, {count}");
            }
        }
    }

    private static void Guard(ConcurrentQueue<string> errors, string name, Action body)
    {
        try
        {
            body();
        }
        catch (Exception ex)
        {
            errors.Enqueue($"{name}: {ex}");
        }
    }
}
