using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

namespace Btw.Persistence;

/// <summary>
/// Flushes a folder's entries to the disk (fsync on the folder), so that a rename into it survives a power loss. .NET
/// has no API for it (a <see cref="FileStream"/> cannot open a folder), so this calls the C library directly on Linux
/// and macOS. On Windows it does nothing: NTFS journals the rename with the file system's metadata.
/// </summary>
internal static class DirectorySync
{
    private static bool s_unavailable;

    /// <summary>Flushes <paramref name="folder"/>. Best effort: never throws (a file system without folder fsync, a folder that cannot be opened).</summary>
    /// <returns>Whether the folder was flushed.</returns>
    public static bool Flush(string folder)
    {
        if (s_unavailable || !(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD()))
        {
            return false;
        }

        try
        {
            var nulTerminated = Encoding.UTF8.GetBytes(folder + "\0");
            var descriptor = Open(nulTerminated, 0); // O_RDONLY, which is 0 everywhere: enough for fsync on a folder
            if (descriptor < 0)
            {
                return false;
            }

            try
            {
                return Fsync(descriptor) == 0;
            }
            finally
            {
                _ = Close(descriptor);
            }
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            s_unavailable = true;
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "open")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Open(byte[] path, int flags);

    [DllImport("libc", EntryPoint = "fsync")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Fsync(int descriptor);

    [DllImport("libc", EntryPoint = "close")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Close(int descriptor);
}
