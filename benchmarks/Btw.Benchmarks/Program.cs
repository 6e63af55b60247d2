using System;
using System.Linq;
using BenchmarkDotNet.Running;

namespace Btw.Benchmarks;

/// <summary>
/// Runs the benchmarks (BenchmarkDotNet arguments, e.g. <c>--filter '*'</c>) or, with <c>--memory</c>, the memory
/// checks (bytes per example of the weighter's state, and per-step allocations that must not grow with the step); with
/// <c>--quick [steps]</c> a quick Stopwatch ratio of the per-step work; with <c>--digest</c> a digest of the weighter's
/// state after a fixed sequence of batches in 21 configurations (to check that a refactoring changes no bit); with
/// <c>--shape B=256,M=4,C=10</c> the per-step and per-epoch ratios in a user's loop for that shape (<see cref="UserLoop"/>);
/// with <c>--cold-calls [steps]</c> what each piece of the step costs first after a training step and right after that (<see cref="ColdCalls"/>); with <c>--step-breakdown [steps]</c> where the per-step time goes (<see cref="StepBreakdown"/>); with
/// <c>--ksg-phases [n ...]</c> the KSG estimator's time per phase on 1 thread and on every core, and its serial fraction
/// (<see cref="KsgPhases"/>); with <c>--profile step|classification|regression [N] [seconds]</c> a loop to attach a
/// profiler to (<see cref="ProfileLoop"/>); with
/// <c>--uncertainty-cost [N ...]</c> the cost of the modality-level standard errors in EndEpoch; with
/// <c>--calibration [draws]</c> the simulation check of those standard errors.
/// </summary>
internal static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "--memory")
        {
            return MemoryCheck.Run();
        }

        if (args.Length > 0 && args[0] == "--ksg-estimate")
        {
            return KsgEstimate.Run();
        }

        if (args.Length > 0 && args[0] == "--cold-calls")
        {
            return ColdCalls.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 200);
        }

        if (args.Length > 0 && args[0] == "--step-breakdown")
        {
            return StepBreakdown.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 400);
        }

        if (args.Length > 0 && args[0] == "--profile")
        {
            return ProfileLoop.Run(args[1..]);
        }

        if (args.Length > 0 && args[0] == "--shape")
        {
            return UserLoop.Run(args[1..]);
        }

        if (args.Length > 0 && args[0] == "--ksg-phases")
        {
            return KsgPhases.Run(args[1..]);
        }

        if (args.Length > 0 && args[0] == "--uncertainty-cost")
        {
            var sizes = args.Length > 1 ? args[1..].Select(a => int.Parse(a, System.Globalization.CultureInfo.InvariantCulture)).ToArray() : [4_000, 50_000, 100_000, 1_000_000];
            return UncertaintyCost.Run(sizes);
        }

        if (args.Length > 0 && args[0] == "--calibration")
        {
            var numbers = args[1..].Select(a => int.Parse(a, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            return Calibration.Run(numbers.Length > 0 ? numbers[0] : 1000, numbers.Length > 1 ? numbers[1..] : []);
        }

        if (args.Length > 0 && args[0] == "--digest")
        {
            StateDigest.Run();
            return 0;
        }

        if (args.Length > 0 && args[0] == "--quick")
        {
            return QuickTiming.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 50);
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
