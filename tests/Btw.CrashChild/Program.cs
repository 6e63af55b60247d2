using System;
using System.IO;
using System.Security.Cryptography;
using System.Text;

namespace Btw.CrashChild;

/// <summary>
/// Usage: <c>dotnet Btw.CrashChild.dll STATE LOG SEED</c>. Loads STATE if it exists (so each run resumes where the
/// killed one left it), prints "started", then forever: grows the weighter, appends "SEQ SHA256\n" (the digest of the
/// state about to be saved) to LOG in one write, and saves to STATE. The parent kills it at a random moment; after the
/// kill STATE must hold the state of the last logged line or of the one before.
/// </summary>
internal static class Program
{
    /// <summary>Above this many stored ids the child starts again from an empty weighter, so saves stay fast.</summary>
    private const int MaximumIds = 6000;

    private static int Main(string[] args)
    {
        if (args.Length != 3 || !int.TryParse(args[2], out var seed))
        {
            Console.Error.WriteLine("usage: Btw.CrashChild STATE LOG SEED");
            return 2;
        }

        var (state, logPath) = (args[0], args[1]);
        var options = GrowingState.Options();
        var weighter = File.Exists(state) ? BtwWeighter.Load(state) : new BtwWeighter(options);
        if (weighter.Count + weighter.PendingObservations > MaximumIds)
        {
            weighter.Dispose();
            weighter = new BtwWeighter(options);
        }

        var random = new Random(seed);
        using var log = new FileStream(logPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, 1, FileOptions.None);
        Console.Out.WriteLine("started");
        Console.Out.Flush();
        for (var sequence = 1L; ; sequence++)
        {
            GrowingState.Grow(weighter, random, rows: 48);
            if (sequence % 3 == 0)
            {
                weighter.EndEpoch();
            }

            var digest = Convert.ToHexString(SHA256.HashData(GrowingState.Serialize(weighter)));
            log.Write(Encoding.ASCII.GetBytes(FormattableString.Invariant($"{sequence} {digest}\n")));   // one write() call
            log.Flush();
            weighter.Save(state);
        }
    }
}
