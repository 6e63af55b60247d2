using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using Btw.Internal;
using Btw.Kernels;
using Btw.Weighting;
using Btw.Weighting.State;
using static TorchSharp.torch;

namespace Btw.Benchmarks;

/// <summary>
/// <c>--cold-calls [steps]</c>: what each piece of the weighter's step costs as the first thing after a training step
/// (as in a user's loop) and as the second, immediately after the first, with the same arguments: the difference is
/// what the training step's eviction of caches costs that piece, not its work. The platform's own pieces come first:
/// reading an id tensor (<c>BatchValidator.Ids</c>: a few calls into the native library and a copy of 256 int64) and
/// creating a [256, 4] tensor (<c>torch.empty</c>), which every <c>WeightsFor</c> must do; then single native calls
/// (one property read, the same read on five tensors, the shape, the data pointer) and the other way of making a tensor.
/// Medians in microseconds.
/// </summary>
internal static class ColdCalls
{
    private static long sink;   // keeps the timed reads from being optimised away

    public static int Run(int steps)
    {
        var bench = new BtwBenchmarks();
        bench.Setup();
        var options = new BtwOptions { Modalities = Workload.Modalities, Task = BtwTask.Classification, Weighting = BtwWeighting.KlMi, UnseenWeights = BtwUnseenWeights.Ones };
        using var weighter = new BtwWeighter(options);
        using var data = new Workload(Workload.Batch * 64);
        var id = data.Ids.narrow(0, 0, Workload.Batch).contiguous().DetachFromDisposeScope();
        var multimodal = data.ClassificationMultimodal.narrow(0, 0, Workload.Batch).contiguous().DetachFromDisposeScope();
        var unimodal = new List<Tensor>(Array.ConvertAll(data.ClassificationUnimodal, u => u.narrow(0, 0, Workload.Batch).contiguous().DetachFromDisposeScope()));
        var kernel = TaskKernel.For(options);
        var hostOutputs = new double[(Workload.Modalities + 1) * Workload.Batch * Workload.Classes];
        using (var scope = NewDisposeScope())
        {
            HostCopy.CopyTo(stack([.. unimodal, multimodal], 0).to_type(ScalarType.Float64), hostOutputs.AsSpan());
        }

        // An epoch store with 64 batches recorded, as after the first epoch.
        var epoch = new EpochObservations(Workload.Modalities);
        var allIds = new long[Workload.Batch * 64];
        for (var k = 0; k < allIds.Length; k++)
        {
            allIds[k] = k;
        }

        var present = new byte[Workload.Batch * Workload.Modalities];
        present.AsSpan().Fill(1);
        var keep = new bool[Workload.Batch];
        keep.AsSpan().Fill(true);
        using var stats = BatchStatistics.ComputeOnHost(unimodal, multimodal, kernel);
        for (var b = 0; b < 64; b++)
        {
            epoch.Record(allIds.AsSpan(b * Workload.Batch, Workload.Batch), present, keep, stats);
        }

        var pieces = new (string Name, Action<int> Call)[]
        {
            ("nothing (the timer)", _ => { }),
            ("read the ids (BatchValidator.Ids)", _ => { using (BatchValidator.Ids(id, false)) { } }),
            ("create a [256, 4] tensor (torch.empty)", _ => empty(Workload.Batch, Workload.Modalities).Dispose()),
            ("WeightsFor", _ => weighter.WeightsFor(id).Dispose()),
            ("Observe", _ => weighter.Observe(id, unimodal, multimodal)),
            ("outputs to host + kernel (ComputeOnHost)", _ => { using (BatchStatistics.ComputeOnHost(unimodal, multimodal, kernel)) { } }),
            ("the kernel alone (FillOnHost)", _ => { using (BatchStatistics.FillOnHost(hostOutputs, Workload.Classes, Workload.Batch, Workload.Modalities, kernel)) { } }),
            ("record in the epoch (EpochObservations.Record)", s => epoch.Record(allIds.AsSpan(s % 64 * Workload.Batch, Workload.Batch), present, keep, stats)),
            ("one native call (Tensor.dtype)", _ => sink += (int)multimodal.dtype),
            ("the same call on five tensors", _ =>
            {
                foreach (var u in unimodal)
                {
                    sink += (int)u.dtype;
                }

                sink += (int)multimodal.dtype;
            }),
            ("Tensor.shape", _ => sink += multimodal.shape[0]),
            ("Tensor.bytes (the data pointer)", _ => sink += multimodal.bytes.Length),
            ("a [256, 4] tensor from an array (torch.tensor)", _ => tensor(new float[Workload.Batch * Workload.Modalities], new long[] { Workload.Batch, Workload.Modalities }).Dispose()),
        };
        var first = new double[pieces.Length][];
        var second = new double[pieces.Length][];
        for (var p = 0; p < pieces.Length; p++)
        {
            first[p] = new double[steps];
            second[p] = new double[steps];
        }

        for (var s = 0; s < steps; s++)
        {
            for (var p = 0; p < pieces.Length; p++)
            {
                bench.TrainingStep();
                var t0 = Stopwatch.GetTimestamp();
                pieces[p].Call(s);
                var t1 = Stopwatch.GetTimestamp();
                pieces[p].Call(s);
                var t2 = Stopwatch.GetTimestamp();
                first[p][s] = (t1 - t0) * 1e6 / Stopwatch.Frequency;
                second[p][s] = (t2 - t1) * 1e6 / Stopwatch.Frequency;
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"== Each piece after a training step (first call) and right after it (second call), median us over {steps} steps"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"piece",-48} {"first",8} {"second",8}"));
        for (var p = 0; p < pieces.Length; p++)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{pieces[p].Name,-48} {Timings.Median(first[p]),8:F1} {Timings.Median(second[p]),8:F1}"));
        }

        return 0;
    }
}
