using System;
using System.IO;
using System.Text.RegularExpressions;

namespace Btw.Tests.Support;

/// <summary>Files of the repository the tests read (the READMEs and the code they must contain).</summary>
internal static class RepositoryFiles
{
    /// <summary>The folder holding Btw.sln, found by walking up from the test assembly.</summary>
    public static string Root()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Btw.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Btw.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Text with every run of white space folded to one space, trimmed, so code compares regardless of layout.</summary>
    public static string Normalize(string text) => Regex.Replace(text, @"\s+", " ").Trim();
}
