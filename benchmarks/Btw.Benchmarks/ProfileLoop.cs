using System;
using System.Diagnostics;
using System.Globalization;
using static TorchSharp.torch;

namespace Btw.Benchmarks;

/// <summary>
/// A loop to attach a profiler to (<c>--profile step|classification|regression [N] [seconds]</c>, e.g. under
/// <c>dotnet-trace collect --profile cpu-sampling -- dotnet Btw.Benchmarks.dll --profile regression 50000 20</c>):
/// repeats WeightsFor + Observe (the benchmark's per-step work) or EndEpoch over N observed examples for the given time
/// and prints the mean time per call.
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
            var task = what == "regression" ? BtwTask.Regression : BtwTask.Classification;
            using var data = new Workload(n);
            using var source = data.ObservedWeighter(task);
            using var target = new BtwWeighter(new BtwOptions { Modalities = Workload.Modalities, Task = task, Weighting = task == BtwTask.Regression ? BtwWeighting.Kl : BtwWeighting.KlMi, UnseenWeights = BtwUnseenWeights.Ones, RegressionOutput = task == BtwTask.Regression ? BtwRegressionOutput.MeanAndLogVariance : BtwRegressionOutput.Mean });
            while (sw.Elapsed.TotalSeconds < seconds)
            {
                target.MergeObservations(source);
                sw.Start();
                target.EndEpoch();
                sw.Stop();
                calls++;
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what}: {calls} calls, {sw.Elapsed.TotalMicroseconds / calls:F1} us per call"));
        return 0;
    }
}
