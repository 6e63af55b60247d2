using System;
using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace Btw.Benchmarks;

/// <summary>
/// Memory checks of the weighter (run with <c>--memory</c>):
/// 1. bytes per observed example of its state, measured as the growth of the managed heap (GC.GetTotalMemory after a
///    full collection) from before creating a weighter to after it has observed and folded N examples, against
///    <see cref="BtwWeighter.BytesPerExample"/>;
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
        // Classification only: the state's layout is the same for regression (EndEpoch there also runs KSG, which
        // this check does not need).
        foreach (var n in new[] { 100_000, 65_536 })
        {
            StateBytes(data, BtwTask.Classification, n);
        }

        Console.WriteLine();
        Console.WriteLine("# Allocation per WeightsFor + Observe step (B = 256, M = 4, C = 10)");
        return StepAllocations(data) ? 0 : 1;
    }

    private static void StateBytes(Workload data, BtwTask task, int n)
    {
        var batches = (n + Workload.Batch - 1) / Workload.Batch;
        var multimodal = task == BtwTask.Classification ? data.ClassificationMultimodal : data.RegressionMultimodal;
        var unimodal = task == BtwTask.Classification ? data.ClassificationUnimodal : data.RegressionUnimodal;
        var before = GC.GetTotalMemory(true);
        var weighter = new BtwWeighter(new BtwOptions { Modalities = Workload.Modalities, Task = task });
        for (var b = 0; b < batches; b++)
        {
            using var scope = NewDisposeScope();
            var start = (long)b * Workload.Batch;
            var length = Math.Min(Workload.Batch, n - start);
            weighter.Observe(data.Ids.narrow(0, start, length), Workload.Slice(unimodal, start, length), multimodal.narrow(0, start, length));
        }

        weighter.EndEpoch();
        var after = GC.GetTotalMemory(true);
        var measured = (after - before) / (double)n;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{task,-14} N = {n,7}: measured {measured,6:F1} B/example ({(after - before) / 1e6:F1} MB); BytesPerExample = {weighter.BytesPerExample} B; measured / stated = {measured / weighter.BytesPerExample:F2}"));
        GC.KeepAlive(weighter);
    }

    private static bool StepAllocations(Workload data)
    {
        var weighter = new BtwWeighter(new BtwOptions { Modalities = Workload.Modalities, Task = BtwTask.Classification });
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
