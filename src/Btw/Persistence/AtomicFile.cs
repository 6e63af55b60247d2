using System;
using System.IO;

namespace Btw;

/// <summary>Writes a file so that readers see either the old content or the complete new one, never a partial write.</summary>
internal static class AtomicFile
{
    /// <summary>
    /// Writes <paramref name="bytes"/> to a temporary file in the target's folder, flushes it to the disk, then renames
    /// it over <paramref name="path"/>. On failure the temporary file is removed and the target is untouched.
    /// </summary>
    public static void Write(string path, byte[] bytes)
    {
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full) ?? ".";
        var temp = Path.Combine(folder, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N") + ".tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.WriteThrough))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
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
