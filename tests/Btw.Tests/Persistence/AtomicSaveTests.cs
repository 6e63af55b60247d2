using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Btw.Persistence;
using Btw.Tests.Support;
using Xunit;

namespace Btw.Tests.Persistence;

/// <summary>
/// A failed or interrupted Save leaves the previous file intact and loadable and no temporary file behind. Failures
/// are made real and deterministic: a fault injected between writing the temporary file and renaming it (what a
/// crash at that moment leaves), a rename over a directory, a folder that is a regular file, a stale temporary file
/// of a killed process.
/// </summary>
public sealed class AtomicSaveTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("btw-atomic-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static BtwWeighter Trained(int seed)
    {
        var weighter = new BtwWeighter(new BtwOptions { Modalities = 2, Weighting = BtwWeighting.KlMi, MinimumMiPairs = 4 });
        SyntheticBatch.Classification(new Random(seed), Enumerable.Range(0, 16).Select(i => (long)i).ToArray(), 2, 3).ObserveInto(weighter);
        weighter.EndEpoch();
        SyntheticBatch.Classification(new Random(seed + 1), [1, 2, 3], 2, 3).ObserveInto(weighter);
        return weighter;
    }

    private string[] TemporaryFiles() => Directory.GetFiles(_folder, "*.tmp", SearchOption.AllDirectories);

    [Fact]
    public void A_crash_between_writing_and_renaming_leaves_the_previous_file_intact()
    {
        var path = Path.Combine(_folder, "state.btw");
        using var old = Trained(1);
        old.Save(path);
        var oldBytes = File.ReadAllBytes(path);
        using var newer = Trained(2);
        var newBytes = StateSnapshot.Snapshot(newer);
        Assert.NotEqual(oldBytes, newBytes);

        string? temp = null;
        var ex = Assert.Throws<IOException>(() => AtomicFile.Write(path, newBytes, t =>
        {
            temp = t;
            Assert.Equal(newBytes, File.ReadAllBytes(t)); // the complete new state is on disk ...
            throw new IOException("simulated crash before the rename");
        }));
        Assert.Equal("simulated crash before the rename", ex.Message);
        Assert.NotNull(temp);
        Assert.Equal(_folder, Path.GetDirectoryName(temp));  // same folder, so the rename is atomic
        Assert.False(File.Exists(temp));                     // ... and removed on failure
        Assert.Empty(TemporaryFiles());
        Assert.Equal(oldBytes, File.ReadAllBytes(path));
        using var loaded = BtwWeighter.Load(path);
        Assert.Equal(oldBytes, StateSnapshot.Snapshot(loaded));
    }

    [Fact]
    public void A_partial_temporary_file_is_never_visible_under_the_target_name()
    {
        var path = Path.Combine(_folder, "state.btw");
        using var old = Trained(3);
        old.Save(path);
        var oldBytes = File.ReadAllBytes(path);
        using var newer = Trained(4);
        Assert.ThrowsAny<IOException>(() => AtomicFile.Write(path, StateSnapshot.Snapshot(newer), t =>
        {
            using (var s = new FileStream(t, FileMode.Open))
            {
                s.SetLength(s.Length / 2); // a torn write
            }

            throw new EndOfStreamException("simulated disk failure");
        }));
        Assert.Empty(TemporaryFiles());
        Assert.Equal(oldBytes, File.ReadAllBytes(path));
    }

    [Fact]
    public void Stale_temporary_files_of_dead_processes_are_removed_by_the_next_Load_and_Save_live_ones_are_kept()
    {
        var path = Path.Combine(_folder, "state.btw");
        using var old = Trained(5);
        old.Save(path);
        var partial = File.ReadAllBytes(path)[..40];
        var dead = DeadProcessId();
        using var live = Process.Start(new ProcessStartInfo("sleep", "60") { UseShellExecute = false })!;
        try
        {
            string Temporary(string target, int pid) => Path.Combine(_folder, "." + target + "." + pid + "." + Guid.NewGuid().ToString("N") + ".tmp");
            var ofDead = Temporary("state.btw", dead);
            var ofLive = Temporary("state.btw", live.Id);
            var ofOtherTarget = Temporary("other.btw", dead);
            var withoutProcess = Path.Combine(_folder, ".state.btw." + Guid.NewGuid().ToString("N") + ".tmp");  // not our format
            foreach (var file in new[] { ofDead, ofLive, ofOtherTarget, withoutProcess })
            {
                File.WriteAllBytes(file, partial);
            }

            using (var loaded = BtwWeighter.Load(path))
            {
                Assert.Equal(StateSnapshot.Snapshot(old), StateSnapshot.Snapshot(loaded));
            }

            Assert.Equal(new[] { ofLive, ofOtherTarget, withoutProcess }.Order(), TemporaryFiles().Order());

            // A leftover of this very process (a write whose clean-up failed) goes with the next Save; the live one stays.
            var ofThisProcess = Temporary("state.btw", Environment.ProcessId);
            File.WriteAllBytes(ofThisProcess, partial);
            using var newer = Trained(6);
            newer.Save(path);
            Assert.Equal(new[] { ofLive, ofOtherTarget, withoutProcess }.Order(), TemporaryFiles().Order());
            using var reloaded = BtwWeighter.Load(path);
            Assert.Equal(StateSnapshot.Snapshot(newer), StateSnapshot.Snapshot(reloaded));
        }
        finally
        {
            live.Kill();
            live.WaitForExit();
        }
    }

    [Fact]
    public void A_temporary_file_of_a_killed_process_not_yet_reaped_by_its_parent_is_removed_by_the_next_Load()
    {
        // A zombie: "sleep 0.5" runs in the background of a shell that then becomes "sleep 30", which never waits for it. Its
        // process id still answers kill(pid, 0), so Process.HasExited says it runs; it writes nothing any more, though.
        // (A crashed trainer is a zombie until its supervisor reaps it; Load must not keep its temporary for that.)
        if (!OperatingSystem.IsLinux())
        {
            return;   // zombies are read from /proc
        }

        var path = Path.Combine(_folder, "state.btw");
        using var old = Trained(5);
        old.Save(path);
        using var parent = Process.Start(new ProcessStartInfo("sh", ["-c", "sleep 0.5 & echo $!; exec sleep 30"]) { UseShellExecute = false, RedirectStandardOutput = true })!;
        try
        {
            var zombie = int.Parse(parent.StandardOutput.ReadLine()!, System.Globalization.CultureInfo.InvariantCulture);
            var clock = Stopwatch.StartNew();
            while (ProcState(zombie) != 'Z' && clock.Elapsed < TimeSpan.FromSeconds(30))
            {
                System.Threading.Thread.Sleep(10);
            }

            Assert.Equal('Z', ProcState(zombie));
            using (var asProcess = Process.GetProcessById(zombie))
            {
                Assert.False(asProcess.HasExited);   // the trap: .NET counts a zombie as running
            }

            var ofZombie = Path.Combine(_folder, ".state.btw." + zombie + "." + Guid.NewGuid().ToString("N") + ".tmp");
            var ofLive = Path.Combine(_folder, ".state.btw." + parent.Id + "." + Guid.NewGuid().ToString("N") + ".tmp");
            File.WriteAllBytes(ofZombie, [1, 2, 3]);
            File.WriteAllBytes(ofLive, [1, 2, 3]);
            using (var loaded = BtwWeighter.Load(path))
            {
                Assert.Equal(StateSnapshot.Snapshot(old), StateSnapshot.Snapshot(loaded));
            }

            Assert.Equal(new[] { ofLive }, TemporaryFiles());
        }
        finally
        {
            parent.Kill();
            parent.WaitForExit();
        }
    }

    // The state letter of /proc/PID/stat (after the command name's closing parenthesis), or '?' when there is no such process.
    private static char ProcState(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        if (!File.Exists(stat))
        {
            return '?';
        }

        var text = File.ReadAllText(stat);
        return text[text.LastIndexOf(')') + 2];
    }

    [Fact]
    public void The_folder_is_flushed_after_the_rename()
    {
        // Where the C library is reachable (Linux, macOS) the folder fsync must really run, not silently do nothing.
        Assert.Equal(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), DirectorySync.Flush(_folder));
        Assert.False(DirectorySync.Flush(Path.Combine(_folder, "no such folder")));
    }

    /// <summary>The id of a process that has run and exited (and been reaped), so no process has it for now.</summary>
    private static int DeadProcessId()
    {
        using var process = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        process.WaitForExit();
        return process.Id;
    }

    [Fact]
    public void A_rename_that_fails_because_the_target_is_a_directory_leaves_no_temporary_file()
    {
        var path = Path.Combine(_folder, "taken");
        Directory.CreateDirectory(path);
        File.WriteAllText(Path.Combine(path, "inside.txt"), "keep me");
        using var weighter = Trained(7);
        var ex = Record.Exception(() => weighter.Save(path));
        Assert.True(ex is IOException or UnauthorizedAccessException, $"got {ex?.GetType()}");
        Assert.Empty(TemporaryFiles());
        Assert.Equal("keep me", File.ReadAllText(Path.Combine(path, "inside.txt")));
    }

    [Fact]
    public void A_save_into_an_impossible_location_fails_cleanly_and_the_old_file_still_loads()
    {
        var good = Path.Combine(_folder, "good.btw");
        using var weighter = Trained(8);
        weighter.Save(good);
        SyntheticBatch.Classification(new Random(9), [20, 21], 2, 3).ObserveInto(weighter);

        // The "folder" is a regular file: nothing can be created inside it.
        Assert.ThrowsAny<IOException>(() => weighter.Save(Path.Combine(good, "state.btw")));
        Assert.ThrowsAny<IOException>(() => weighter.Save(Path.Combine(_folder, "missing", "state.btw")));
        Assert.Empty(TemporaryFiles());
        Assert.Equal(["good.btw"], Directory.GetFileSystemEntries(_folder).Select(Path.GetFileName));
        using var loaded = BtwWeighter.Load(good);
        Assert.Equal(3, loaded.PendingObservations);

        // The weighter is still usable and a later save to a good place works.
        weighter.Save(good);
        using var reloaded = BtwWeighter.Load(good);
        Assert.Equal(5, reloaded.PendingObservations);
    }

    [Fact]
    public void A_save_replaces_the_previous_file_and_leaves_nothing_else()
    {
        var path = Path.Combine(_folder, "state.btw");
        using var a = Trained(10);
        using var b = Trained(11);
        a.Save(path);
        b.Save(path);
        Assert.Equal(["state.btw"], Directory.GetFileSystemEntries(_folder).Select(Path.GetFileName));
        using var loaded = BtwWeighter.Load(path);
        Assert.Equal(StateSnapshot.Snapshot(b), StateSnapshot.Snapshot(loaded));
    }

    [Fact]
    public void A_file_name_near_the_file_system_limit_can_be_saved()
    {
        // 250 characters is a legal file name; the temporary name must not exceed the 255-byte limit either.
        var path = Path.Combine(_folder, new string('w', 246) + ".btw");
        using var weighter = Trained(12);
        weighter.Save(path);
        using var loaded = BtwWeighter.Load(path);
        Assert.Equal(StateSnapshot.Snapshot(weighter), StateSnapshot.Snapshot(loaded));
        Assert.Empty(TemporaryFiles());
    }

    [Fact]
    public void Loading_a_missing_or_empty_file_fails_clearly()
    {
        Assert.Throws<FileNotFoundException>(() => BtwWeighter.Load(Path.Combine(_folder, "absent.btw")));
        var empty = Path.Combine(_folder, "empty.btw");
        File.WriteAllBytes(empty, []);
        var ex = Assert.Throws<InvalidDataException>(() => BtwWeighter.Load(empty));
        Assert.Contains("not a valid Btw weighter state", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => BtwWeighter.Load(""));
    }
}
