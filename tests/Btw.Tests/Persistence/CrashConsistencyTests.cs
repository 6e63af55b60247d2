using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using Btw.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace Btw.Tests.Persistence;

/// <summary>
/// Crash consistency with real processes and real SIGKILLs. A child process (tests/Btw.CrashChild, started with
/// <c>dotnet Btw.CrashChild.dll</c>) loads the state file if there is one and then saves a growing weighter in a loop,
/// logging "sequence digest" of each state just before saving it; the test kills it (Process.Kill: SIGKILL on Unix) at a
/// random moment after it has started, <see cref="Kills"/> times. After every kill, Load must return a complete state
/// whose digest is that of the last logged state or of the one before (the save in progress may or may not have
/// renamed), never anything else, and no temporary file may remain once Load has run: the killed child's is removed
/// (Load runs even when the kill landed before the first rename, and then throws <see cref="FileNotFoundException"/>).
/// The kill moments are drawn from a fixed seed, but where they land depends on the machine's timing; the invariant
/// must hold wherever they land.
/// </summary>
public sealed class CrashConsistencyTests : IDisposable
{
    /// <summary>Kills per run; override with BTW_CRASH_KILLS (e.g. 1000 for a longer run).</summary>
    private static readonly int Kills = int.TryParse(Environment.GetEnvironmentVariable("BTW_CRASH_KILLS"), out var k) && k > 0 ? k : 100;

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly string _folder = Directory.CreateTempSubdirectory("btw-crash-").FullName;
    private readonly ITestOutputHelper _output;

    public CrashConsistencyTests(ITestOutputHelper output) => _output = output;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task After_every_SIGKILL_Load_returns_the_last_saved_state_or_the_one_before_and_no_temporary_file_remains()
    {
        var state = Path.Combine(_folder, "state.btw");
        var random = new Random(20251130);
        string? previous = null;   // digest of the state on disk before the current child ran (null: no file yet)
        int lastSaved = 0, oneBefore = 0, leftTemporary = 0, noFileYet = 0;
        long savesLogged = 0, largestFile = 0;
        var clock = Stopwatch.StartNew();

        for (var run = 1; run <= Kills; run++)
        {
            var log = Path.Combine(_folder, $"log-{run}.txt");
            await RunAndKill(state, log, seed: run, delayMs: random.Next(0, 150));

            var logged = CompleteLines(log);
            savesLogged += logged.Count;
            var acceptable = new List<string?>();
            acceptable.Add(logged.Count >= 1 ? logged[^1] : previous);
            acceptable.Add(logged.Count >= 2 ? logged[^2] : previous);
            var temporaries = TemporaryFiles();
            var writersBeforeLoad = string.Join("; ", temporaries.Select(WriterState));
            leftTemporary += temporaries.Length > 0 ? 1 : 0;

            string? digest = null;
            if (File.Exists(state))
            {
                using var loaded = BtwWeighter.Load(state);   // throws if the file is torn or corrupted
                digest = Convert.ToHexString(SHA256.HashData(StateSnapshot.Snapshot(loaded)));
                largestFile = Math.Max(largestFile, new FileInfo(state).Length);
            }
            else
            {
                // The kill landed before the first save's rename (under load a child's first save can take longer than
                // the delay): there is no file, but the killed child's temporary may be there. Load still runs its
                // clean-up before it finds nothing to read, so the guarantee below holds here too.
                noFileYet++;
                Assert.Throws<FileNotFoundException>(() => BtwWeighter.Load(state));
            }

            Assert.True(acceptable.Contains(digest),
                $"Kill {run}: the file holds state {digest ?? "(none)"}, neither the last logged one ({acceptable[0] ?? "(none)"}) nor the one before ({acceptable[1] ?? "(none)"}); {logged.Count} saves were logged in this run.");
            Assert.True(TemporaryFiles().Length == 0,
                $"Kill {run}: Load left temporary files behind: {string.Join(", ", TemporaryFiles().Select(Path.GetFileName))} (before Load: {string.Join(", ", temporaries.Select(Path.GetFileName))}; their writers before Load: {writersBeforeLoad}, after: {string.Join("; ", TemporaryFiles().Select(WriterState))}).");
            if (digest is not null && digest == acceptable[0] && logged.Count > 0)
            {
                lastSaved++;
            }
            else
            {
                oneBefore++;
            }

            previous = digest;
        }

        _output.WriteLine($"{Kills} SIGKILLs survived in {clock.Elapsed.TotalSeconds:F1} s: {savesLogged} saves started; after the kill the file held the last logged state {lastSaved} times, the one before {oneBefore} times (no file yet: {noFileYet}); {leftTemporary} kills left a temporary file, every one removed by the next Load; largest state {largestFile / 1024} KiB.");
        Assert.True(leftTemporary > 0, "no kill landed during a write: the test did not exercise a crash mid-save");
        Assert.True(lastSaved > 0 && oneBefore > 0, $"kills landed only on one side of the rename ({lastSaved} / {oneBefore})");
    }

    /// <summary>Starts the child, waits until it has loaded the state, lets it run for <paramref name="delayMs"/> ms and kills it.</summary>
    private static async Task RunAndKill(string state, string log, int seed, int delayMs)
    {
        var child = Path.Combine(AppContext.BaseDirectory, "Btw.CrashChild.dll");
        var start = new ProcessStartInfo(DotnetHost())
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { child, state, log, seed.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the crash child");
        try
        {
            var firstLine = await process.StandardOutput.ReadLineAsync().WaitAsync(StartTimeout);
            if (firstLine != "started")
            {
                process.Kill();
                Assert.Fail($"The crash child did not start: stdout '{firstLine}', stderr: {await process.StandardError.ReadToEndAsync()}");
            }

            await Task.Delay(delayMs);
        }
        finally
        {
            process.Kill();          // SIGKILL on Unix
            process.WaitForExit();   // reaps it: its process id no longer runs
        }

        Assert.NotEqual(0, process.ExitCode);
    }

    /// <summary>The log's complete lines' digests, in order (a line cut by the kill has no newline and is ignored).</summary>
    private static List<string> CompleteLines(string log)
    {
        if (!File.Exists(log))
        {
            return [];
        }

        var text = Encoding.ASCII.GetString(File.ReadAllBytes(log));
        var end = text.LastIndexOf('\n');
        return end < 0 ? [] : text[..end].Split('\n').Select(line => line.Split(' ')[1]).ToList();
    }

    private string[] TemporaryFiles() => Directory.GetFiles(_folder, "*.tmp");

    /// <summary>What /proc says of the process whose id a temporary file's name records (".state.btw.PID.GUID.tmp"), for the failure message.</summary>
    private static string WriterState(string temporary)
    {
        var parts = Path.GetFileName(temporary).Split('.');
        var pid = parts.Length >= 3 ? parts[^3] : "?";
        var stat = $"/proc/{pid}/stat";
        return File.Exists(stat) ? $"{pid}: {File.ReadAllText(stat).Split(' ').Take(5).Aggregate((a, b) => a + " " + b)}" : $"{pid}: no such process";
    }

    /// <summary>The dotnet host running these tests (the child is a framework-dependent dll).</summary>
    private static string DotnetHost()
    {
        var current = Environment.ProcessPath;
        if (current is not null && Path.GetFileNameWithoutExtension(current).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            return current;
        }

        return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
    }
}
