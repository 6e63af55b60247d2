using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Btw.Tests.Support;
using Xunit;

namespace Btw.Tests.Modules;

/// <summary>
/// The C# blocks of both READMEs compile as pasted. scripts/check-consumer.sh compiles every block of the package README
/// (src/Btw/PACKAGE.md) against the packed .nupkg; these tests tie the other copies to it: each block of the repository
/// README is one of the package README's, and the tested loop (ReadmeExample.cs) is a block of both.
/// </summary>
public class ReadmeCodeBlockTests
{
    private static readonly string Root = RepositoryFiles.Root();

    [Fact]
    public void Every_csharp_block_of_the_repository_readme_is_a_block_of_the_package_readme()
    {
        var package = CSharpBlocks(Path.Combine(Root, "src", "Btw", "PACKAGE.md"));
        var repository = CSharpBlocks(Path.Combine(Root, "README.md"));
        Assert.True(package.Length >= 4, $"the package README has {package.Length} C# blocks; expected the loop, classification, regression and the program");
        Assert.NotEmpty(repository);
        Assert.All(repository, block => Assert.Contains(block, package));
    }

    [Fact]
    public void The_tested_loop_is_a_block_of_both_readmes()
    {
        var source = File.ReadAllText(Path.Combine(Root, "tests", "Btw.Tests", "Modules", "ReadmeExample.cs"));
        var match = Regex.Match(source, @"// <readme-example>\r?\n(.*?)// </readme-example>", RegexOptions.Singleline);
        Assert.True(match.Success, "the readme-example markers are missing");
        var loop = RepositoryFiles.Normalize(match.Groups[1].Value);
        Assert.Contains(loop, CSharpBlocks(Path.Combine(Root, "src", "Btw", "PACKAGE.md")));
        Assert.Contains(loop, CSharpBlocks(Path.Combine(Root, "README.md")));
    }

    [Fact]
    public void The_tested_data_loading_example_is_a_block_of_both_readmes()
    {
        var source = File.ReadAllText(Path.Combine(Root, "tests", "Btw.Tests", "Modules", "ReadmeDataLoading.cs"));
        var match = Regex.Match(source, @"// <readme-data-loading>\r?\n(.*?)// </readme-data-loading>", RegexOptions.Singleline);
        Assert.True(match.Success, "the readme-data-loading markers are missing");
        var code = RepositoryFiles.Normalize(match.Groups[1].Value);
        Assert.Contains(code, CSharpBlocks(Path.Combine(Root, "src", "Btw", "PACKAGE.md")));
        Assert.Contains(code, CSharpBlocks(Path.Combine(Root, "README.md")));
    }

    [Fact]
    public void The_package_readme_sends_nobody_to_repository_paths()
    {
        var text = File.ReadAllText(Path.Combine(Root, "src", "Btw", "PACKAGE.md"));
        Assert.DoesNotMatch(@"\]\((?!https://)", text);                  // every link is absolute
        Assert.DoesNotContain("scripts/", text, StringComparison.Ordinal);
        Assert.DoesNotContain("docs/", text, StringComparison.Ordinal);
        Assert.DoesNotContain("source repository", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("RESULTS.md", text, StringComparison.Ordinal);
        Assert.Contains("apt-get install -y -t trixie libstdc++6", text, StringComparison.Ordinal);
        Assert.Contains("TorchSharp-cpu", text, StringComparison.Ordinal);
    }

    // The ```csharp blocks of a Markdown file (indented ones too), whitespace-normalised.
    private static string[] CSharpBlocks(string path) =>
        Regex.Matches(File.ReadAllText(path), @"^[ \t]*```csharp[ \t]*\r?\n(.*?)^[ \t]*```[ \t]*$", RegexOptions.Singleline | RegexOptions.Multiline)
            .Select(m => RepositoryFiles.Normalize(m.Groups[1].Value))
            .ToArray();
}
