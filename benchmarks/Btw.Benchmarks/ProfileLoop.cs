using System;
using System.Diagnostics;
using System.Globalization;
using static TorchSharp.torch;

namespace Btw.Benchmarks;

/// <summary>
/// A loop to attach a profiler to (<c>--profile step|classification|regression [N] [seconds]</c>, e.g. under
/// <c>dotnet-trace collect --profile cpu-sampling -- dotnet Btw.Benchmarks.dll --profile regression 50000 20</c>):
/// repeats WeightsFor + Observe (the benchmark's per-step work) or EndEpoch over N observed examples for the given time
/// and prints the mean time per call. <c>classification-cold</c> and <c>regression-cold</c> run 20 training steps of the
/// benchmark model before each EndEpoch (only EndEpoch is timed), as in a training loop.
/// </summary>
internal static class ProfileLoop
{
    public static int Run(string[] args)
    {
        var what = args.Length > 0 ? args[0] : "step";
        var n = args.Length > 1 ? (int)double.Parse(args[1], CultureInfo.InvariantCulture) : 50_000;
        var seconds = args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 20;
        Workload.ConfigureTorchThreads();
        long calls = 0;
        long gen0 = 0;   // collections during the timed EndEpoch calls (gen0 counts every generation's)
        long gen2 = 0;
        var sw = new Stopwatch();
        if (what == "step")
        {
            var bench = new BtwBenchmarks();
            bench.Setup();
            sw.Start();
            while (sw.Elapsed.TotalSeconds < seconds)
            {
                bench.WeightsForPlusObserve();
                calls++;
            }
        }
        else
        {
            var task = what.StartsWith("regression", StringComparison.Ordinal) ? BtwTask.Regression : BtwTask.Classification;
            var cold = what.EndsWith("-cold", StringComparison.Ordinal);   // 20 training steps before each EndEpoch, as in a loop
            BtwBenchmarks? bench = null;
            if (cold)
            {
                bench = new BtwBenchmarks();
                bench.Setup();
            }

            using var data = new Workload(n);
            using var source = data.ObservedWeighter(task);
            using var target = new BtwWeighter(new BtwOptions { Modalities = Workload.Modalities, Task = task, Weighting = task == BtwTask.Regression ? BtwWeighting.Kl : BtwWeighting.KlMi, UnseenWeights = BtwUnseenWeights.Ones, RegressionOutput = task == BtwTask.Regression ? BtwRegressionOutput.MeanAndLogVariance : BtwRegressionOutput.Mean, ModalityStatistics = BtwModalityStatistics.All });   // All: profiles the KSG estimate under Kl
            while (sw.Elapsed.TotalSeconds < seconds)
            {
                target.MergeObservations(source);
                for (var i = 0; cold && i < 20; i++)
                {
                    bench!.TrainingStep();
                }

                var (g0, g2) = (GC.CollectionCount(0), GC.CollectionCount(2));
                sw.Start();
                target.EndEpoch();
                sw.Stop();
                (gen0, gen2) = (gen0 + GC.CollectionCount(0) - g0, gen2 + GC.CollectionCount(2) - g2);
                calls++;
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what}: {calls} calls, {sw.Elapsed.TotalMicroseconds / calls:F1} us per call; collections inside the timed calls: {gen0} (of them gen2 {gen2})"));
        return 0;
    }
}
