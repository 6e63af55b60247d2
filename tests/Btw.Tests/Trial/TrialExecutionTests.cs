using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Xunit;

namespace Btw.Tests.Trial;

/// <summary>How a trial runs: order, seeds, copies, progress, cancellation, parallelism and failing callbacks.</summary>
public class TrialExecutionTests
{
    /// <summary>A deterministic loss from (configuration, seed) only: a seed effect plus a configuration effect plus hash noise.</summary>
    private static double Deterministic(BtwOptions options, int seed)
    {
        var hash = unchecked((uint)(((int)options.Weighting + 1) * 2654435761u) ^ (uint)(seed * 40503));
        return 0.3 + 0.01 * seed - 0.02 * (int)options.Weighting + 1e-3 * (hash % 1000) / 1000.0;
    }

    private static BtwTrialOptions FourCandidates(bool parallel) => new()
    {
        Seeds = 6,
        FirstSeed = 3,
        RunInParallel = parallel,
        Candidates =
        [
            new BtwTrialCandidate("Kl", new BtwOptions { Modalities = 3, Weighting = BtwWeighting.Kl }),
            new BtwTrialCandidate("Mi", new BtwOptions { Modalities = 3, Weighting = BtwWeighting.Mi }),
            new BtwTrialCandidate("KlMi", new BtwOptions { Modalities = 3, Weighting = BtwWeighting.KlMi }),
            new BtwTrialCandidate("Correlation", new BtwOptions { Modalities = 3, Weighting = BtwWeighting.Correlation }),
        ],
    };

    [Fact]
    public void Sequential_runs_go_seed_by_seed_Uniform_first_with_the_documented_seeds()
    {
        var calls = new List<(BtwWeighting, int)>();
        BtwTrial.Run(3, BtwTask.Classification, (o, s) => { calls.Add((o.Weighting, s)); return Deterministic(o, s); }, FourCandidates(parallel: false));

        BtwWeighting[] order = [BtwWeighting.Uniform, BtwWeighting.Kl, BtwWeighting.Mi, BtwWeighting.KlMi, BtwWeighting.Correlation];
        Assert.Equal(Enumerable.Range(3, 6).SelectMany(s => order.Select(w => (w, s))), calls);
    }

    [Fact]
    public void Parallel_and_sequential_trials_give_identical_results()
    {
        var sequential = BtwTrial.Run(3, BtwTask.Classification, Deterministic, FourCandidates(parallel: false));
        var parallel = BtwTrial.Run(3, BtwTask.Classification, Deterministic, FourCandidates(parallel: true));

        Assert.Equal(sequential.ChosenLabel, parallel.ChosenLabel);
        Assert.Equal(sequential.Seeds, parallel.Seeds);
        Assert.Equal(sequential.ToMarkdown(), parallel.ToMarkdown());
        foreach (var (a, b) in sequential.Rows.Zip(parallel.Rows))
        {
            Assert.Equal(a.Label, b.Label);
            Assert.Equal(a.Losses, b.Losses);   // bit for bit: stored by (configuration, seed)
            Assert.Equal((a.MeanLoss, a.Difference, a.DifferenceStdDev, a.Lower, a.Upper, a.Qualifies), (b.MeanLoss, b.Difference, b.DifferenceStdDev, b.Lower, b.Upper, b.Qualifies));
        }

        // The data make the larger weighting values better, clearly: the result is not trivially Uniform.
        Assert.Equal("Correlation", sequential.ChosenLabel);
    }

    [Fact]
    public void Parallel_trials_run_configurations_concurrently()
    {
        // The first run waits until another run has started: this only finishes if two runs overlap.
        using var secondStarted = new ManualResetEventSlim();
        var started = 0;
        var overlapped = false;
        var options = FourCandidates(parallel: true);
        options.MaxDegreeOfParallelism = 2;
        BtwTrial.Run(3, BtwTask.Classification, (o, s) =>
        {
            if (Interlocked.Increment(ref started) == 1)
            {
                overlapped = secondStarted.Wait(TimeSpan.FromSeconds(30));
            }
            else
            {
                secondStarted.Set();
            }

            return Deterministic(o, s);
        }, options);

        Assert.True(overlapped, "no second run started while the first one was running");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Progress_reports_every_run_once_with_its_loss_and_the_count(bool parallel)
    {
        var reports = new List<BtwTrialProgress>();
        var options = FourCandidates(parallel);
        options.Progress = new SynchronousProgress(reports);

        var result = BtwTrial.Run(3, BtwTask.Classification, Deterministic, options);

        Assert.Equal(30, reports.Count);
        Assert.All(reports, r => Assert.Equal(30, r.Total));
        Assert.Equal(Enumerable.Range(1, 30), reports.Select(r => r.Completed).Order());
        foreach (var row in result.Rows)
        {
            var mine = reports.Where(r => r.Label == row.Label).OrderBy(r => r.Seed).ToList();
            Assert.Equal(result.Seeds, mine.Select(r => r.Seed));
            Assert.Equal(row.Losses, mine.Select(r => r.Loss));
        }

        if (!parallel)
        {
            Assert.Equal(Enumerable.Range(1, 30), reports.Select(r => r.Completed));
            Assert.Equal(("Uniform", 3), (reports[0].Label, reports[0].Seed));
            Assert.Equal(("Correlation", 8), (reports[^1].Label, reports[^1].Seed));
        }
    }

    [Fact]
    public void Cancellation_between_runs_throws_and_stops_calling_the_callback()
    {
        using var source = new CancellationTokenSource();
        var calls = 0;
        var options = FourCandidates(parallel: false);
        options.CancellationToken = source.Token;

        Assert.Throws<OperationCanceledException>(() => BtwTrial.Run(3, BtwTask.Classification, (o, s) =>
        {
            if (++calls == 3)
            {
                source.Cancel();   // during the third run: it finishes, no fourth one starts
            }

            return Deterministic(o, s);
        }, options));
        Assert.Equal(3, calls);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void An_already_cancelled_trial_calls_nothing(bool parallel)
    {
        var table = new LossTable([0.3, 0.2], [("A", [0.1, 0.1])]);
        var options = table.Options();
        options.RunInParallel = parallel;
        options.CancellationToken = new CancellationToken(canceled: true);

        Assert.ThrowsAny<OperationCanceledException>(() => BtwTrial.Run(3, BtwTask.Classification, table.Loss, options));
        Assert.Equal(0, table.Calls);
    }

    [Fact]
    public void A_parallel_trial_cancelled_midway_throws_OperationCanceledException_and_starts_no_further_run()
    {
        using var source = new CancellationTokenSource();
        var started = 0;
        var startedAfterCancel = 0;
        var options = FourCandidates(parallel: true);
        options.MaxDegreeOfParallelism = 2;
        options.CancellationToken = source.Token;

        Assert.ThrowsAny<OperationCanceledException>(() => BtwTrial.Run(3, BtwTask.Classification, (o, s) =>
        {
            if (source.IsCancellationRequested)
            {
                Interlocked.Increment(ref startedAfterCancel);
            }

            if (Interlocked.Increment(ref started) == 4)
            {
                source.Cancel();
            }

            return Deterministic(o, s);
        }, options));
        // The other worker may have passed its check just before the cancellation; nothing after that starts.
        Assert.InRange(started, 4, 5);
        Assert.InRange(startedAfterCancel, 0, 1);
    }

    [Theory]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    [InlineData(double.NegativeInfinity, "-Infinity")]
    public void A_non_finite_loss_is_refused_naming_the_configuration_and_the_seed(double bad, string shown)
    {
        foreach (var parallel in new[] { false, true })
        {
            var options = FourCandidates(parallel);
            var ex = Assert.Throws<InvalidOperationException>(() => BtwTrial.Run(3, BtwTask.Classification,
                (o, s) => o.Weighting == BtwWeighting.KlMi && s == 5 ? bad : Deterministic(o, s), options));
            Assert.Contains("'KlMi'", ex.Message, StringComparison.Ordinal);
            Assert.Contains("seed 5", ex.Message, StringComparison.Ordinal);
            Assert.Contains(shown, ex.Message, StringComparison.Ordinal);
            Assert.Contains("finite", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_callbacks_own_exception_comes_through_unwrapped_in_parallel_too()
    {
        foreach (var parallel in new[] { false, true })
        {
            var ex = Assert.Throws<TimeoutException>(() => BtwTrial.Run(3, BtwTask.Classification,
                (o, s) => o.Weighting == BtwWeighting.Mi ? throw new TimeoutException("training diverged") : Deterministic(o, s), FourCandidates(parallel)));
            Assert.Equal("training diverged", ex.Message);
        }
    }

    [Fact]
    public void Every_run_gets_its_own_copy_of_the_settings()
    {
        var received = new List<BtwOptions>();
        var table = new LossTable([0.3, 0.2, 0.25], [("A", [0.1, 0.1, 0.1])]);

        BtwTrial.Run(3, BtwTask.Classification, (o, s) =>
        {
            received.Add(o);
            var loss = table.Loss(o, s);
            o.Weighting = BtwWeighting.Entropy;   // a callback that changes what it was given changes nothing else
            o.Modalities = 9;
            return loss;
        }, table.Options());

        Assert.Equal(6, received.Distinct().Count());
        Assert.Equal(6, table.Calls);   // every lookup found its configuration: no run saw another's change
    }

    [Fact]
    public void Options_changed_after_the_start_do_not_affect_the_trial()
    {
        var options = new BtwTrialOptions { Seeds = 3 };
        var seeds = new List<int>();
        var result = BtwTrial.Run(2, BtwTask.Classification, (o, s) =>
        {
            options.Seeds = 10;
            options.Candidates = [];
            seeds.Add(s);
            return 1;
        }, options);

        Assert.Equal(3 * result.Rows.Count, seeds.Count);
        Assert.Equal([0, 1, 2], result.Seeds);
    }

    /// <summary>Records reports on the calling thread, in order (unlike Progress&lt;T&gt;, which posts them).</summary>
    private sealed class SynchronousProgress(List<BtwTrialProgress> reports) : IProgress<BtwTrialProgress>
    {
        public void Report(BtwTrialProgress value)
        {
            lock (reports)
            {
                reports.Add(value);
            }
        }
    }
}
