using System;
using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace Btw.Benchmarks;

/// <summary>
/// Memory checks of the weighter (run with <c>--memory</c>):
/// 1. bytes per observed example of its state, measured as the growth of the managed heap (GC.GetTotalMemory after a
///    full collection) from before creating a weighter to after it has observed and folded N examples, against
///    <see cref="BtwWeighter.BytesPerExample"/> (a second weighter, once the shared pools hold EndEpoch's scratch
///    buffers from the first, gives the state alone);
/// 2. that WeightsFor + Observe allocate the same managed bytes per step early and late in an epoch and across epochs
///    (GC.GetTotalAllocatedBytes(precise) around each step; medians of 100 steps), i.e. nothing grows with the number
///    of steps.
/// Exits 1 when the per-step allocation grows.
/// </summary>
internal static class MemoryCheck
{
    public static int Run()
    {
        Workload.ConfigureTorchThreads();
        using var data = new Workload();
        Console.WriteLine("# Weighter state: bytes per example (managed heap, GC.GetTotalMemory(true))");
        foreach (var task in new[] { BtwTask.Classification, BtwTask.Regression })
        {
            foreach (var n in new[] { 100_000, 65_536 })
            {
                StateBytes(data, task, n);
            }
        }

        Console.WriteLine();
        Console.WriteLine("# Allocation per WeightsFor + Observe step (B = 256, M = 4, C = 10)");
        return StepAllocations(data) ? 0 : 1;
    }

    private static void StateBytes(Workload data, BtwTask task, int n)
    {
        // The first pass also leaves scratch buffers in the shared array pools (EndEpoch's MI estimators rent arrays of
        // N elements); the second pass starts with them in place, so its growth is the weighter's own state.
        var cold = Observe(data, task, n, out var stated);
        var warm = Observe(data, task, n, out _);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{task,-14} N = {n,7}: weighter state {warm / n,6:F1} B/example ({warm / 1e6:F1} MB; BytesPerExample = {stated} B; measured / stated = {warm / n / stated:F2}); with the pools' scratch buffers of the first EndEpoch {cold / n,6:F1} B/example"));
    }

    private static double Observe(Workload data, BtwTask task, int n, out int stated)
    {
        var batches = (n + Workload.Batch - 1) / Workload.Batch;
        var multimodal = task == BtwTask.Classification ? data.ClassificationMultimodal : data.RegressionMultimodal;
        var unimodal = task == BtwTask.Classification ? data.ClassificationUnimodal : data.RegressionUnimodal;
        var before = GC.GetTotalMemory(true);
        // All: the first EndEpoch estimates the MI (KSG for regression) and leaves its scratch buffers, as before 0.4 and as
        // under Mi / KlMi; under the default Used, Kl estimates no modality statistic.
        var weighter = new BtwWeighter(new BtwOptions { Modalities = Workload.Modalities, Task = task, Weighting = task == BtwTask.Regression ? BtwWeighting.Kl : BtwWeighting.KlMi, UnseenWeights = BtwUnseenWeights.Ones, RegressionOutput = task == BtwTask.Regression ? BtwRegressionOutput.MeanAndLogVariance : BtwRegressionOutput.Mean, ModalityStatistics = BtwModalityStatistics.All });
        for (var b = 0; b < batches; b++)
        {
            using var scope = NewDisposeScope();
            var start = (long)b * Workload.Batch;
            var length = Math.Min(Workload.Batch, n - start);
            weighter.Observe(data.Ids.narrow(0, start, length), Workload.Slice(unimodal, start, length), multimodal.narrow(0, start, length));
        }

        weighter.EndEpoch();
        var after = GC.GetTotalMemory(true);
        stated = weighter.BytesPerExample;
        GC.KeepAlive(weighter);
        return after - before;
    }

    private static bool StepAllocations(Workload data)
    {
        var weighter = new BtwWeighter(new BtwOptions { Modalities = Workload.Modalities, Task = BtwTask.Classification, Weighting = BtwWeighting.KlMi, UnseenWeights = BtwUnseenWeights.Ones });
        var epochs = 3;
        var perStep = new long[epochs, data.Batches];
        for (var e = 0; e < epochs; e++)
        {
            for (var b = 0; b < data.Batches; b++)
            {
                using var scope = NewDisposeScope();
                var (start, length) = data.Range(b);
                var ids = data.Ids.narrow(0, start, length);
                var unimodal = Workload.Slice(data.ClassificationUnimodal, start, length);
                var multimodal = data.ClassificationMultimodal.narrow(0, start, length);
                var before = GC.GetTotalAllocatedBytes(true);
                _ = weighter.WeightsFor(ids);
                weighter.Observe(ids, unimodal, multimodal);
                perStep[e, b] = GC.GetTotalAllocatedBytes(true) - before;
            }

            weighter.EndEpoch();
        }

        // Full batches only (the last batch of an epoch is smaller). Epoch 1 grows the state (new ids); epochs 2 and 3
        // reuse it. A step may occasionally allocate more (the shared array pool re-filling a bucket after a trim), so
        // the check compares typical steps: the median of steps 0-99 with that of the last 100 steps, and epoch 3 with
        // epoch 2. Growth with the number of steps would show in both.
        var last = data.Batches - 2;
        var ok = true;
        var medians = new long[epochs];
        for (var e = 0; e < epochs; e++)
        {
            var early = Median(perStep, e, 0, 100);
            var late = Median(perStep, e, last - 99, last + 1);
            medians[e] = late;
            long min = long.MaxValue, max = 0, total = 0;
            for (var b = 0; b <= last; b++)
            {
                min = Math.Min(min, perStep[e, b]);
                max = Math.Max(max, perStep[e, b]);
                total += perStep[e, b];
            }

            var steady = e > 0;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"epoch {e + 1}: median of steps 0-99 {early} B, of steps {last - 99}-{last} {late} B; min {min} B, max {max} B, mean {total / (last + 1)} B{(steady ? string.Empty : " (first epoch: the state grows as new ids arrive)")}"));
            if (steady && late > early)
            {
                ok = false;
            }
        }

        if (medians[2] > medians[1])
        {
            ok = false;
        }

        Console.WriteLine(ok
            ? "PASS: per-step allocation does not grow with the number of steps"
            : "FAIL: per-step allocation grows with the number of steps");
        return ok;
    }

    private static long Median(long[,] values, int epoch, int from, int to)
    {
        var slice = new long[to - from];
        for (var b = from; b < to; b++)
        {
            slice[b - from] = values[epoch, b];
        }

        Array.Sort(slice);
        return slice[slice.Length / 2];
    }
}
