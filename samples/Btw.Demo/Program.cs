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
                return DemoApp.Run(options, Console.Out, DemoPaths.Discover(), "dotnet run --project samples/Btw.Demo" + (args.Length > 0 ? " -- " + string.Join(' ', args) : ""));
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine(e.Message);
                return 1;
            }
        });
        return command.Parse(args).Invoke();
    }
}
