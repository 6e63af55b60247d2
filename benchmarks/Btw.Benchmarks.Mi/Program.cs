using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using Btw;
using Btw.Tests.Support;

// Times MutualInformation.Ksg and MutualInformation.Discrete for n in {1e3, 1e5, 1e6} and writes the
// inputs (little-endian float64 / int32 binaries for numpy.fromfile) and the timings for benchmarks/mi/run.sh.
// Usage: Btw.Benchmarks.Mi <output-directory> [n ...]
// The timings go to <output-directory>/$BTW_MI_TSV (default csharp.tsv); benchmarks/mi/run.sh runs this twice, on all
// cores and with DOTNET_PROCESSOR_COUNT=1 (the library's estimators then use one thread).
// Protocol, the same as sklearn_timing.py's: one warm-up call, then the best of 5 calls (2 at n >= 1e6).
string outDir = args.Length > 0 ? args[0] : "out";
int[] sizes = args.Length > 1 ? Array.ConvertAll(args[1..], s => int.Parse(s, CultureInfo.InvariantCulture)) : [1_000, 100_000, 1_000_000];
Directory.CreateDirectory(outDir);
string tsv = Environment.GetEnvironmentVariable("BTW_MI_TSV") is { Length: > 0 } name ? name : "csharp.tsv";
using var results = new StreamWriter(Path.Combine(outDir, tsv));
results.WriteLine("n\tksg_seconds\tksg_value\tdiscrete_seconds\tdiscrete_value");
Console.WriteLine($"{"n",9} {"Ksg s",10} {"Ksg value",20} {"Discrete s",11} {"Discrete value",20}   ({Environment.ProcessorCount} cores)");
foreach (int n in sizes)
{
    (double[] x, double[] y) = ReferenceDatasets.Continuous("sine", 777, n);
    (int[] a, int[] b) = ReferenceDatasets.Labels("dependent", 778, n);
    File.WriteAllBytes(Path.Combine(outDir, $"x_{n}.f64"), MemoryMarshal.AsBytes(x.AsSpan()).ToArray());
    File.WriteAllBytes(Path.Combine(outDir, $"y_{n}.f64"), MemoryMarshal.AsBytes(y.AsSpan()).ToArray());
    File.WriteAllBytes(Path.Combine(outDir, $"a_{n}.i32"), MemoryMarshal.AsBytes(a.AsSpan()).ToArray());
    File.WriteAllBytes(Path.Combine(outDir, $"b_{n}.i32"), MemoryMarshal.AsBytes(b.AsSpan()).ToArray());

    int runs = n >= 1_000_000 ? 2 : 5;
    (double ksgSeconds, double ksg) = Best(runs, () => MutualInformation.Ksg(x, y));
    (double discreteSeconds, double discrete) = Best(runs, () => MutualInformation.Discrete(a, b));
    results.WriteLine(string.Join('\t', n, R(ksgSeconds), R(ksg), R(discreteSeconds), R(discrete)));
    Console.WriteLine($"{n,9} {ksgSeconds,10:F5} {ksg,20:R} {discreteSeconds,11:F5} {discrete,20:R}");
}

static string R(double v) => v.ToString("R", CultureInfo.InvariantCulture);

// Best wall-clock time of `runs` calls after one warm-up call (JIT, thread pool, array pool).
static (double Seconds, double Value) Best(int runs, Func<double> f)
{
    double value = f();
    double best = double.PositiveInfinity;
    for (int r = 0; r < runs; r++)
    {
        var sw = Stopwatch.StartNew();
        double v = f();
        sw.Stop();
        if (v != value)
        {
            throw new InvalidOperationException($"Non-deterministic result: {v:R} vs {value:R}.");
        }

        best = Math.Min(best, sw.Elapsed.TotalSeconds);
    }

    return (best, value);
}
