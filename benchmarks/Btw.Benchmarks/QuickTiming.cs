using System;
using System.Diagnostics;
using System.Globalization;

namespace Btw.Benchmarks;

/// <summary>
/// A quick Stopwatch timing of the per-step benchmarks for development (<c>--quick [steps]</c>): interleaves rounds of
/// TrainingStep and WeightsForPlusObserve and prints the median per-op time of each and their ratio. Not a substitute
/// for the BenchmarkDotNet run.
/// </summary>
internal static class QuickTiming
{
    public static int Run(int steps)
    {
        var bench = new BtwBenchmarks();   // sets the torch threads as the benchmark does
        bench.Setup();
        var rounds = 15;
        var train = new double[rounds];
        var weigh = new double[rounds];
        for (var r = 0; r < rounds; r++)
        {
            var sw = Stopwatch.StartNew();
            for (var i = 0; i < steps; i++)
            {
                bench.TrainingStep();
            }

            train[r] = sw.Elapsed.TotalMicroseconds / steps;
            sw.Restart();
            for (var i = 0; i < steps; i++)
            {
                bench.WeightsForPlusObserve();
            }

            weigh[r] = sw.Elapsed.TotalMicroseconds / steps;
        }

        Array.Sort(train);
        Array.Sort(weigh);
        var t = train[rounds / 2];
        var w = weigh[rounds / 2];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"TrainingStep {t:F1} us, WeightsForPlusObserve {w:F1} us (min {weigh[0]:F1} us), ratio {w / t:P2} (torch threads {TorchSharp.torch.get_num_threads()})"));
        return 0;
    }
}
