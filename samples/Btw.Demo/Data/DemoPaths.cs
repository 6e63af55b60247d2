using System;
using System.IO;

namespace Btw.Demo.Data;

/// <summary>
/// Where the demo finds its data and writes its output. The repository root is the nearest folder,
/// from the working directory up and then from the program's folder up, that holds
/// <c>samples/data/segment</c>; without one, the data copied next to the program is used.
/// </summary>
internal sealed class DemoPaths
{
    public DemoPaths(string dataDirectory, string mnistCacheDirectory, string defaultOutputRoot)
    {
        DataDirectory = dataDirectory;
        MnistCacheDirectory = mnistCacheDirectory;
        DefaultOutputRoot = defaultOutputRoot;
    }

    /// <summary>The folder with segment/ and diabetes/.</summary>
    public string DataDirectory { get; }

    /// <summary>The folder fetch-mnist.sh fills (.cache/mnist at the repository root).</summary>
    public string MnistCacheDirectory { get; }

    /// <summary>samples/out at the repository root.</summary>
    public string DefaultOutputRoot { get; }

    public static DemoPaths Discover()
    {
        var root = FindRoot(Directory.GetCurrentDirectory()) ?? FindRoot(AppContext.BaseDirectory);
        if (root is not null)
        {
            return new DemoPaths(
                Path.Combine(root, "samples", "data"),
                Path.Combine(root, ".cache", "mnist"),
                Path.Combine(root, "samples", "out"));
        }

        var here = AppContext.BaseDirectory;
        return new DemoPaths(Path.Combine(here, "data"), Path.Combine(here, ".cache", "mnist"), Path.Combine(Directory.GetCurrentDirectory(), "out"));
    }

    private static string? FindRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, "samples", "data", "segment")))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
