using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using static TorchSharp.torch;

namespace Btw.Benchmarks;

/// <summary>
/// What the standard errors of the modality-level statistics (the MI's and the correlation's: <see cref="BtwModalityStatistics.All"/>) cost (<c>--uncertainty-cost [N ...]</c>, default 4,000 (the
/// jackknife regime), 50,000, 100,000 and 1,000,000): per task and N, a weighter with M = 4 modalities observes N examples of random outputs (classification:
/// logits [N, 10] from one shared signal plus noise; regression: (mean, log-variance) [N, 2]), and EndEpoch is timed on
/// copies of those observations (MergeObservations) with and without the standard errors, alternating, 5 rounds each
/// (each round averages max(1, 500,000 / N) EndEpochs);
/// the medians and their ratio are printed, in wall-clock time and in the process's CPU time (all threads; steadier
/// than wall-clock time on a shared machine). Everything runs in one process, so the ratio compares like with like.
/// </summary>
internal static class UncertaintyCost
{
    private const int Modalities = 4;
    private const int Rounds = 5;

    public static int Run(IReadOnlyList<int> sizes)
    {
        Console.WriteLine("task            N           EndEpoch without SE   EndEpoch with SE   ratio   CPU without   CPU with   CPU ratio   (medians of 5, alternating)");
        foreach (var task in new[] { BtwTask.Classification, BtwTask.Regression })
        {
            foreach (var n in sizes)
            {
                using var source = Observed(task, n);
                var without = new double[Rounds];
                var with = new double[Rounds];
                var cpuWithout = new double[Rounds];
                var cpuWith = new double[Rounds];
                for (var r = 0; r < Rounds; r++)
                {
                    (without[r], cpuWithout[r]) = Time(source, task, standardErrors: false, Repetitions(n));
                    (with[r], cpuWith[r]) = Time(source, task, standardErrors: true, Repetitions(n));
                }

                var (a, b, ca, cb) = (Timings.Median(without), Timings.Median(with), Timings.Median(cpuWithout), Timings.Median(cpuWith));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{task,-15} {n,-11:N0} {a,17:F3} s   {b,14:F3} s   {b / a,5:F2}   {ca,9:F3} s   {cb,6:F3} s   {cb / ca,9:F2}"));
            }
        }

        return 0;
    }

    // All: both statistics and both standard errors, as the figures in docs/performance.md were measured (before 0.4 every
    // EndEpoch estimated both; under the default Used, KlMi would estimate the MI's alone).
    private static BtwOptions Options(BtwTask task, bool standardErrors) =>
        new() { Modalities = Modalities, Task = task, Weighting = BtwWeighting.KlMi, EstimateStandardErrors = standardErrors, RegressionOutput = task == BtwTask.Regression ? BtwRegressionOutput.MeanAndLogVariance : BtwRegressionOutput.Mean, ModalityStatistics = BtwModalityStatistics.All };

    /// <summary>EndEpochs per measurement: enough work (about 500,000 examples) for the 10 ms ticks of the process CPU clock.</summary>
    private static int Repetitions(int n) => Math.Max(1, 500_000 / n);

    /// <summary>Wall-clock seconds and the process's CPU seconds (all threads) of one EndEpoch, averaged over <paramref name="repetitions"/> weighters.</summary>
    private static (double Wall, double Cpu) Time(BtwWeighter source, BtwTask task, bool standardErrors, int repetitions)
    {
        var weighters = new BtwWeighter[repetitions];
        for (var i = 0; i < repetitions; i++)
        {
            weighters[i] = new BtwWeighter(Options(task, standardErrors));
            weighters[i].MergeObservations(source);
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        var reports = weighters.Select(w => w.EndEpoch()).ToArray();
        var seconds = sw.Elapsed.TotalSeconds;
        process.Refresh();
        var cpuSeconds = (process.TotalProcessorTime - cpu).TotalSeconds;
        foreach (var w in weighters)
        {
            w.Dispose();
        }

        if (reports.Any(report => standardErrors != report.Modalities.All(m => m.MutualInformationStandardError > 0 && m.CorrelationStandardError > 0)))
        {
            throw new InvalidOperationException("The standard errors were not estimated as asked.");
        }

        return (seconds / repetitions, cpuSeconds / repetitions);
    }

    private static BtwWeighter Observed(BtwTask task, int n)
    {
        var weighter = new BtwWeighter(Options(task, true));
        var generator = new Generator(7);
        const int batch = 65_536;
        for (var start = 0; start < n; start += batch)
        {
            using var scope = NewDisposeScope();
            var length = Math.Min(batch, n - start);
            var ids = arange(start, start + length, dtype: ScalarType.Int64);
            var width = task == BtwTask.Classification ? 10 : 2;
            var signal = randn(length, width, generator: generator);
            var unimodal = Enumerable.Range(0, Modalities).Select(m => signal + (randn(length, width, generator: generator) * (m + 1))).ToList();
            var multimodal = signal + (randn(length, width, generator: generator) * 0.5);
            weighter.Observe(ids, unimodal, multimodal);
        }

        return weighter;
    }
}
