using System;
using System.Diagnostics;
using System.Globalization;
using Btw.Information;

namespace Btw.Benchmarks;

/// <summary>
/// Time per phase of the KSG estimator at 1 thread and at every core (<c>--ksg-phases [n ...]</c>, default 1e6 and
/// 1e7): one warm-up call per thread count, then <c>rounds</c> interleaved rounds (1 thread, all cores, alternating),
/// the minimum per phase. Prints the speedup, the serial fraction that Amdahl's law gives for it, s = (p / S - 1) /
/// (p - 1) on p cores, and the speedup that s projects for 16 cores, 1 / (s + (1 - s) / 16). Checks that every call
/// returns the same bits. Pin the process (<c>taskset -c 0,1</c>) on a shared machine.
/// </summary>
internal static class KsgPhases
{
    private static readonly string[] Names = ["standardise", "sort", "tree build", "neighbours", "counts", "digamma sums", "total"];

    public static int Run(string[] args)
    {
        int[] sizes = args.Length > 0 ? Array.ConvertAll(args, s => (int)double.Parse(s, CultureInfo.InvariantCulture)) : [1_000_000, 10_000_000];
        int cores = Environment.ProcessorCount;
        int rounds = Environment.GetEnvironmentVariable("BTW_KSG_ROUNDS") is { Length: > 0 } r ? int.Parse(r, CultureInfo.InvariantCulture) : 3;
        Console.WriteLine($"KSG phases, best of {rounds} interleaved rounds; {cores} cores available to the process");
        foreach (int n in sizes)
        {
            var random = new Random(17);
            var x = new double[n];
            var y = new double[n];
            for (int i = 0; i < n; i++)
            {
                x[i] = random.NextDouble();
                y[i] = Math.Sin(6 * x[i]) + (0.3 * random.NextDouble());
            }

            double reference = KsgEstimator.EstimateUnclipped(x, y, 3, 1);
            _ = KsgEstimator.EstimateUnclipped(x, y, 3, cores);
            var one = Best();
            var all = Best();
            for (int round = 0; round < rounds; round++)
            {
                Merge(one, Time(x, y, 1, reference));
                Merge(all, Time(x, y, cores, reference));
            }

            Console.WriteLine();
            Console.WriteLine($"n = {n:N0}  (estimate {reference:R} nats, bit-identical at 1 and {cores} threads)");
            Console.WriteLine($"{"phase",-14} {"1 thread s",11} {cores + " threads s",11} {"speedup",8}");
            for (int p = 0; p < Names.Length; p++)
            {
                Console.WriteLine($"{Names[p],-14} {one[p],11:F4} {all[p],11:F4} {one[p] / all[p],7:F2}x");
            }

            // The serial fraction from the code's structure: on one thread, the time outside the work that splits into
            // parallel parts (ParallelRegionClock), best of the rounds.
            double serialStructural = double.PositiveInfinity;
            for (int round = 0; round < rounds; round++)
            {
                ParallelRegionClock.Start();
                long start = Stopwatch.GetTimestamp();
                _ = KsgEstimator.EstimateUnclipped(x, y, 3, 1);
                long total = Stopwatch.GetTimestamp() - start;
                long parallel = ParallelRegionClock.Stop();
                serialStructural = Math.Min(serialStructural, (total - parallel) / (double)total);
            }

            Console.WriteLine($"serial fraction from the structure (1 thread: time outside parallel regions / total) {serialStructural:P2}; Amdahl projects {1 / (serialStructural + ((1 - serialStructural) / 2)):F2}x on 2 cores, {1 / (serialStructural + ((1 - serialStructural) / 16)):F1}x on 16");
            // Work inflation: CPU seconds (all threads) of the parallel call against the one-thread call. Unlike wall
            // time it hardly depends on whether a second core was free; near 1 means the parallel paths add no work.
            Console.WriteLine($"process CPU time per call: {one[^1]:F3} s on 1 thread, {all[^1]:F3} s on {cores} (work inflation {all[^1] / one[^1]:F3}x)");
            double speedup = one[^2] / all[^2];
            if (cores > 1)
            {
                double serial = ((cores / speedup) - 1) / (cores - 1);
                double projected = 1 / (serial + ((1 - serial) / 16));
                Console.WriteLine($"measured speedup on {cores} cores {speedup:F2}x; the serial fraction Amdahl's law gives for it {serial:P1}; projected speedup on 16 cores {projected:F1}x");
            }
        }

        return 0;
    }

    private static double[] Best()
    {
        var best = new double[Names.Length + 1]; // the phases, the total, and the process CPU time of that call
        Array.Fill(best, double.PositiveInfinity);
        return best;
    }

    private static void Merge(double[] best, double[] times)
    {
        for (int p = 0; p < best.Length; p++)
        {
            best[p] = Math.Min(best[p], times[p]);
        }
    }

    private static double[] Time(double[] x, double[] y, int threads, double reference)
    {
        var phases = new KsgPhaseTimes();
        TimeSpan cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        long start = Stopwatch.GetTimestamp();
        double value = KsgEstimator.EstimateUnclipped(x, y, 3, threads, phases);
        double total = Stopwatch.GetElapsedTime(start).TotalSeconds;
        double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
        if (BitConverter.DoubleToInt64Bits(value) != BitConverter.DoubleToInt64Bits(reference))
        {
            throw new InvalidOperationException($"{threads} threads gave {value:R}, 1 thread {reference:R}.");
        }

        double f = Stopwatch.Frequency;
        return [phases.Standardize / f, phases.Sort / f, phases.TreeBuild / f, phases.Neighbours / f, phases.Counts / f, phases.DigammaSums / f, total, cpu];
    }
}
