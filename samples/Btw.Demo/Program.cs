using System;
using Btw.Demo.Cli;
using Btw.Demo.Data;

namespace Btw.Demo;

/// <summary>Entry point: <c>dotnet run --project samples/Btw.Demo -- [options]</c> (see <c>--help</c>).</summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        var command = DemoCommand.Build(options =>
        {
            try
            {
                return DemoApp.Run(options, Console.Out, DemoPaths.Discover(), CommandLine(args));
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine(e.Message);
                return 1;
            }
        });
        return command.Parse(args).Invoke();
    }

    /// <summary>The command that reproduces this run from the repository root, with the build configuration and quoted arguments.</summary>
    internal static string CommandLine(string[] args)
    {
#if DEBUG
        const string configuration = "";
#else
        const string configuration = " -c Release";
#endif
        var quoted = Array.ConvertAll(args, a => a.Length > 0 && a.AsSpan().IndexOfAny(" \t'\"$") < 0 ? a : "'" + a.Replace("'", "'\\''", StringComparison.Ordinal) + "'");
        return "dotnet run --project samples/Btw.Demo" + configuration + (args.Length > 0 ? " -- " + string.Join(' ', quoted) : "");
    }
}
