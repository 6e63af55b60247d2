using System;
using BenchmarkDotNet.Running;

namespace Btw.Benchmarks;

/// <summary>
/// Runs the benchmarks (BenchmarkDotNet arguments, e.g. <c>--filter '*'</c>) or, with <c>--memory</c>, the memory
/// checks (bytes per example of the weighter's state, and per-step allocations that must not grow with the step).
/// </summary>
internal static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "--memory")
        {
            return MemoryCheck.Run();
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
