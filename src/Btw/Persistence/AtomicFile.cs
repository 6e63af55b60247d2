using System;
using System.IO;

namespace Btw;

/// <summary>Writes a file so that readers see either the old content or the complete new one, never a partial write.</summary>
/// <remarks>
/// The new content goes to a temporary file in the target's folder (so the final rename stays within one file
/// system and is atomic), is flushed to the disk, then renamed over the target. A crash at any point leaves either
/// the previous file or the new one under the target name, plus at worst a stray hidden <c>.tmp</c> file. The folder
/// entry itself is not flushed (.NET has no portable way to fsync a directory), so after a power loss the rename of
/// the last save may be lost and the previous file found instead; it is still complete and valid.
/// </remarks>
internal static class AtomicFile
{
    /// <summary>Longest part of the target's name kept in the temporary file's name, in UTF-16 code units.</summary>
    private const int MaxNameInTemporary = 40;

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
        var temp = Path.Combine(folder, TemporaryName(Path.GetFileName(full)));
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
    }

    /// <summary>
    /// A hidden, unique name derived from the target's: "." + at most <see cref="MaxNameInTemporary"/> characters of
    /// it + "." + 32 hex digits + ".tmp", so that it stays within the 255-byte limit of common file systems even when
    /// the target's own name is close to that limit.
    /// </summary>
    internal static string TemporaryName(string fileName)
    {
        var keep = Math.Min(fileName.Length, MaxNameInTemporary);
        if (keep > 0 && keep < fileName.Length && char.IsHighSurrogate(fileName[keep - 1]))
        {
            keep--; // do not split a surrogate pair
        }

        return "." + fileName[..keep] + "." + Guid.NewGuid().ToString("N") + ".tmp";
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: a stray temporary file is harmless.
        }
        catch (UnauthorizedAccessException)
        {
            // Best effort.
        }
    }
}
