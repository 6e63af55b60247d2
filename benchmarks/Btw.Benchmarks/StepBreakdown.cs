using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using Btw.Internal;
using Btw.Kernels;
using Btw.Weighting;
using TorchSharp;
using static TorchSharp.torch;

namespace Btw.Benchmarks;

/// <summary>
/// Where the per-step time goes (<c>--step-breakdown [steps]</c>): the pieces of <c>WeightsFor</c> and <c>Observe</c>
/// (B = 256, M = 4, C = 10, the benchmark's outputs) timed one by one with Stopwatch, each piece called once per step,
/// a training step between steps (the caches as a user's loop leaves them; <c>warm</c> without). Medians in
/// microseconds. The floor: the kernel alone on the host copy of the outputs (the arithmetic a step must do) and
/// the bytes it touches.
/// </summary>
internal static class StepBreakdown
{
    public static int Run(int steps)
    {
        var bench = new BtwBenchmarks();
        bench.Setup();
        var weighter = new BtwWeighter(new BtwOptions { Modalities = Workload.Modalities, Task = BtwTask.Classification, Weighting = BtwWeighting.KlMi, UnseenWeights = BtwUnseenWeights.Ones });
        var options = new BtwOptions { Modalities = Workload.Modalities, Task = BtwTask.Classification, Weighting = BtwWeighting.KlMi, UnseenWeights = BtwUnseenWeights.Ones };
        var kernel = TaskKernel.For(options);
        using var data = new Workload(Workload.Batch * 64);
        var ids = new Tensor[64];
        for (var b = 0; b < ids.Length; b++)
        {
            ids[b] = data.Ids.narrow(0, (long)b * Workload.Batch, Workload.Batch).contiguous().DetachFromDisposeScope();
        }

        var (multimodal, unimodal) = (data.ClassificationMultimodal.narrow(0, 0, Workload.Batch).contiguous(), Array.ConvertAll(data.ClassificationUnimodal, u => u.narrow(0, 0, Workload.Batch).contiguous()));
        var unimodalList = new List<Tensor>(unimodal);
        var width = Workload.Classes;
        var hostOutputs = new double[(Workload.Modalities + 1) * Workload.Batch * width];
        using (var scope = NewDisposeScope())
        {
            HostCopy.CopyTo(stack([.. unimodal, multimodal], 0).to_type(ScalarType.Float64), hostOutputs.AsSpan());
        }

        // One epoch so that every id has stored weights.
        for (var b = 0; b < ids.Length; b++)
        {
            weighter.Observe(ids[b], unimodalList, multimodal);
        }

        weighter.EndEpoch();
        foreach (var cold in new[] { true, false })
        {
            var names = new[] { "WeightsFor (total)", "  ids to host + checks", "Observe (total)", "  ids to host + checks + distinct", "  output checks", "  presence flags", "  outputs to host + kernel Fill", "    (the kernel alone, timed apart)", "  finite-row checks", "  (rest: record in the epoch)", "sum WeightsFor + Observe" };
            var t = new double[names.Length][];
            for (var p = 0; p < names.Length; p++)
            {
                t[p] = new double[steps];
            }

            for (var s = 0; s < steps; s++)
            {
                if (cold)
                {
                    bench.TrainingStep();
                }

                using var scope = NewDisposeScope();
                var id = ids[s % ids.Length];
                var t0 = Stopwatch.GetTimestamp();
                _ = weighter.WeightsFor(id);
                var t1 = Stopwatch.GetTimestamp();
                weighter.Observe(id, unimodalList, multimodal);
                var t2 = Stopwatch.GetTimestamp();
                using (var x = BatchValidator.Ids(id, false))
                {
                }

                var t3 = Stopwatch.GetTimestamp();
                using (var x = BatchValidator.Ids(id, true))
                {
                }

                var t4 = Stopwatch.GetTimestamp();
                BatchValidator.Outputs(unimodalList, multimodal, Workload.Batch, options, kernel);
                var t5 = Stopwatch.GetTimestamp();
                using var flags = BatchValidator.Present(null, Workload.Batch, Workload.Modalities);
                var t6 = Stopwatch.GetTimestamp();
                using var stats = BatchStatistics.ComputeOnHost(unimodalList, multimodal, kernel);
                var t7 = Stopwatch.GetTimestamp();
                using var keep = PooledArray<bool>.Rent(Workload.Batch);
                _ = stats.KeepFiniteRows(flags.Span, keep.Span, BtwNonFinitePolicy.Throw);
                var t8 = Stopwatch.GetTimestamp();
                var f = 1e6 / Stopwatch.Frequency;
                t[0][s] = (t1 - t0) * f;
                t[1][s] = (t3 - t2) * f;
                t[2][s] = (t2 - t1) * f;
                t[3][s] = (t4 - t3) * f;
                t[4][s] = (t5 - t4) * f;
                t[5][s] = (t6 - t5) * f;
                t[6][s] = (t7 - t6) * f;
                t[8][s] = (t8 - t7) * f;
                t[10][s] = (t2 - t0) * f;
            }

            // The kernel alone, on the host copy (the same arithmetic as inside ComputeOnHost).
            for (var s = 0; s < steps; s++)
            {
                if (cold)
                {
                    bench.TrainingStep();
                }

                var t0 = Stopwatch.GetTimestamp();
                using var stats = FillOnly(kernel, hostOutputs, width);
                t[7][s] = (Stopwatch.GetTimestamp() - t0) * 1e6 / Stopwatch.Frequency;
            }

            var median = Array.ConvertAll(t, Timings.Median);
            median[9] = median[2] - median[3] - median[4] - median[5] - median[6] - median[8];
            Console.WriteLine(cold ? "== After a training step (a user's loop), median us over " + steps + " steps" : "== Back to back (warm caches)");
            for (var p = 0; p < names.Length; p++)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{names[p],-36} {median[p],8:F1}"));
            }

            var bytes = (hostOutputs.Length * 8) + ((ObservationColumns.All.Length + 1) * (Workload.Modalities + 1) * Workload.Batch * 8);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"floor: the kernel alone {median[7]:F1} us over {bytes / 1024.0:F0} KiB of outputs and statistics; WeightsFor + Observe is {median[10] / median[7]:F1}x it"));
        }

        // The kernel against its pre-issue-17 form, interleaved (same bits, checked).
        var reference = new ReferenceCategoricalFill.Kernel(options.Temperature);
        var now = new double[steps * 4];
        var before = new double[steps * 4];
        for (var s = 0; s < now.Length; s++)
        {
            var t0 = Stopwatch.GetTimestamp();
            using var a = FillOnly(kernel, hostOutputs, width);
            var t1 = Stopwatch.GetTimestamp();
            using var b = FillOnly(reference, hostOutputs, width);
            var t2 = Stopwatch.GetTimestamp();
            now[s] = (t1 - t0) * 1e6 / Stopwatch.Frequency;
            before[s] = (t2 - t1) * 1e6 / Stopwatch.Frequency;
            if (s == 0)
            {
                foreach (var column in ObservationColumns.All)
                {
                    for (var j = 0; j <= Workload.Modalities; j++)
                    {
                        if (!a.Of(column, j).SequenceEqual(b.Of(column, j)) || !a.FiniteOf(j).SequenceEqual(b.FiniteOf(j)))
                        {
                            throw new InvalidOperationException($"The kernel differs from its reference in column {column.Name}, output {j}.");
                        }
                    }
                }
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"== Classification kernel, warm, interleaved: now {Timings.Median(now):F1} us, before issue 17 {Timings.Median(before):F1} us ({Timings.Median(before) / Timings.Median(now):F2}x; bit-identical)"));
        return 0;
    }

    private static BatchStatistics FillOnly(ITaskKernel kernel, double[] outputs, int width) => BatchStatistics.FillOnHost(outputs, width, Workload.Batch, Workload.Modalities, kernel);
}
