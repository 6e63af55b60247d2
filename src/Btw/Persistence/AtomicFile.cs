using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.IO;

namespace Btw.Persistence;

/// <summary>Writes a file so that readers see either the old content or the complete new one, never a partial write.</summary>
/// <remarks>
/// <para>The new content goes to a temporary file in the target's folder (so the final rename stays within one file
/// system and is atomic), is flushed to the disk, then renamed over the target, and the folder is flushed so that the
/// rename itself is durable (<see cref="DirectorySync"/>; on Linux and macOS). A crash at any point leaves either the
/// previous file or the new one under the target name, plus at worst a stray hidden <c>.tmp</c> file.</para>
/// <para>Stray temporary files do not pile up: a temporary name records the writing process's id, and the next write
/// or <see cref="RemoveStaleTemporaries"/> (called by <c>BtwWeighter.Load</c>) of the same target deletes those whose
/// process no longer runs (a zombie, killed but not yet reaped by its parent, counts as no longer running), and this process's own that no write is using. Temporaries of another process that is still
/// running are left alone, so concurrent writers do not disturb each other.</para>
/// </remarks>
internal static class AtomicFile
{
    /// <summary>Longest part of the target's name kept in the temporary file's name, in UTF-16 code units.</summary>
    private const int MaxNameInTemporary = 40;

    private const string Suffix = ".tmp";

    /// <summary>Full paths of the temporary files this process is writing right now.</summary>
    private static readonly ConcurrentDictionary<string, byte> s_inFlight = new(StringComparer.Ordinal);

    /// <summary>
    /// Writes <paramref name="bytes"/> to a temporary file in the target's folder, flushes it to the disk, then renames
    /// it over <paramref name="path"/>. On failure the temporary file is removed and the target is untouched.
    /// </summary>
    public static void Write(string path, byte[] bytes) => Write(path, bytes, beforeRename: null);

    /// <summary>
    /// As <see cref="Write(string, byte[])"/>; <paramref name="beforeRename"/> (for tests) is called with the temporary
    /// file's path once it is complete and flushed, just before the rename, and may throw to simulate a crash there.
    /// </summary>
    internal static void Write(string path, byte[] bytes, Action<string>? beforeRename)
    {
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full) ?? ".";
        RemoveStaleTemporaries(full);
        var temp = Path.Combine(folder, TemporaryName(Path.GetFileName(full)));
        s_inFlight[temp] = 0;
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.WriteThrough))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            beforeRename?.Invoke(temp);
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
        finally
        {
            s_inFlight.TryRemove(temp, out _);
        }

        DirectorySync.Flush(folder);
    }

    /// <summary>
    /// A hidden, unique name derived from the target's: "." + at most <see cref="MaxNameInTemporary"/> characters of
    /// it + "." + the process id + "." + 32 hex digits + ".tmp", so that it stays within the 255-byte limit of common
    /// file systems even when the target's own name is close to that limit.
    /// </summary>
    internal static string TemporaryName(string fileName)
        => Prefix(fileName) + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "." + Guid.NewGuid().ToString("N") + Suffix;

    /// <summary>
    /// Deletes the temporary files of <paramref name="path"/> left by a process that no longer runs (killed during a
    /// write), and this process's own that no write is using. Best effort: never throws for I/O reasons.
    /// </summary>
    /// <returns>How many files were deleted.</returns>
    internal static int RemoveStaleTemporaries(string path)
    {
        var deleted = 0;
        try
        {
            var full = Path.GetFullPath(path);
            var folder = Path.GetDirectoryName(full);
            if (folder is null || !Directory.Exists(folder))
            {
                return 0;
            }

            var prefix = Prefix(Path.GetFileName(full));
            foreach (var candidate in Directory.EnumerateFiles(folder, "*" + Suffix))
            {
                if (OwnerProcess(Path.GetFileName(candidate), prefix) is not { } owner)
                {
                    continue; // another target's, or not written by this class
                }

                var stale = owner == Environment.ProcessId ? !s_inFlight.ContainsKey(candidate) : !IsRunning(owner);
                if (stale && TryDelete(candidate))
                {
                    deleted++;
                }
            }
        }
        catch (IOException)
        {
            // Best effort: a stray temporary file is harmless.
        }
        catch (UnauthorizedAccessException)
        {
            // Best effort (e.g. a folder that can be read but not listed).
        }

        return deleted;
    }

    private static string Prefix(string fileName)
    {
        var keep = Math.Min(fileName.Length, MaxNameInTemporary);
        if (keep > 0 && keep < fileName.Length && char.IsHighSurrogate(fileName[keep - 1]))
        {
            keep--; // do not split a surrogate pair
        }

        return "." + fileName[..keep] + ".";
    }

    // The process id in "<prefix><pid>.<32 hex digits>.tmp", or null when the name is not of that form.
    private static int? OwnerProcess(string name, string prefix)
    {
        if (!name.StartsWith(prefix, StringComparison.Ordinal) || !name.EndsWith(Suffix, StringComparison.Ordinal))
        {
            return null;
        }

        var middle = name.AsSpan(prefix.Length, name.Length - prefix.Length - Suffix.Length); // "<pid>.<guid>"
        var dot = middle.IndexOf('.');
        if (dot <= 0 || middle.Length - dot - 1 != 32 || !Guid.TryParseExact(middle[(dot + 1)..], "N", out _))
        {
            return null;
        }

        return int.TryParse(middle[..dot], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
    }

    /// <summary>
    /// Whether the process <paramref name="processId"/> still runs. A zombie (exited, not yet reaped by its parent, as a
    /// just-killed process is until its parent waits for it) does not: it writes nothing any more. On Linux /proc says so;
    /// <see cref="Process.HasExited"/> alone counts a zombie as running (kill(pid, 0) succeeds on it).
    /// </summary>
    internal static bool IsRunning(int processId)
    {
        if (OperatingSystem.IsLinux() && LinuxProcessRuns(processId) is { } runs)
        {
            return runs;
        }

        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false; // no process with that id
        }
        catch (InvalidOperationException)
        {
            return false; // exited meanwhile
        }
        catch (Exception ex) when (ex is NotSupportedException or System.ComponentModel.Win32Exception or UnauthorizedAccessException)
        {
            return true; // cannot tell: keep the file
        }
    }

    /// <summary>
    /// From /proc/PID/stat: false when there is no such process or it is a zombie (state Z) or dead (X), true when it
    /// is in any other state, null when the file cannot be read or parsed (then <see cref="Process"/> decides). The
    /// state is the first field after the command name's closing parenthesis (the name itself may hold spaces and ')').
    /// </summary>
    private static bool? LinuxProcessRuns(int processId)
    {
        string stat;
        try
        {
            stat = File.ReadAllText("/proc/" + processId.ToString(CultureInfo.InvariantCulture) + "/stat");
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return false; // no process with that id
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return null;  // e.g. reaped while being read, or /proc restricted: ask Process
        }

        var close = stat.LastIndexOf(')');
        if (close < 0 || close + 2 >= stat.Length)
        {
            return null;
        }

        return stat[close + 2] is not ('Z' or 'X' or 'x');
    }

    private static bool TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (IOException)
        {
            return false; // best effort: a stray temporary file is harmless
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
