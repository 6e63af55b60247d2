using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Btw.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace Btw.Tests.Architecture;

/// <summary>
/// The folders of src/Btw depend on each other as docs/design.md says and without a cycle. A folder depends on another
/// when its code (comments and strings left out) names a type declared there, whatever the namespace (public types
/// live in the root namespace, so <c>using</c> directives alone would miss most dependencies).
/// </summary>
public partial class FolderDependencyTests(ITestOutputHelper output)
{
    /// <summary>The allowed dependencies of each folder (the table of docs/design.md); "." is the folder's own root files.</summary>
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["Internal"] = [],
        ["Information"] = [],
        ["Options"] = ["Internal"],
        ["Persistence"] = ["Options"],
        ["Reports"] = ["Modules", "Options"],
        ["Kernels"] = ["Information", "Internal", "Options"],
        ["Divergence"] = ["Internal", "Kernels", "Options"],
        ["Weighting"] = ["Information", "Internal", "Kernels", "Options", "Persistence", "Reports"],
        ["Modules"] = ["Internal"],
        ["Losses"] = ["Internal", "Kernels", "Modules", "Options", "Weighting"],
        ["Evaluation"] = ["Modules", "Options", "Weighting"],
        ["Trial"] = ["Internal", "Options"],
    };

    [Fact]
    public void Every_folder_depends_only_on_the_folders_the_design_allows_and_there_is_no_cycle()
    {
        var graph = Dependencies();
        foreach (var (folder, uses) in graph.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"{folder} -> {string.Join(", ", uses.OrderBy(u => u.Key, StringComparer.Ordinal).Select(u => $"{u.Key} ({string.Join(", ", u.Value.Order(StringComparer.Ordinal))})"))}");
        }

        Assert.Equal(Allowed.Keys.Order(StringComparer.Ordinal), graph.Keys.Order(StringComparer.Ordinal));
        foreach (var (folder, uses) in graph)
        {
            foreach (var (target, types) in uses)
            {
                Assert.True(Allowed[folder].Contains(target), $"{folder} uses {target} ({string.Join(", ", types)}), which docs/design.md does not allow");
            }
        }

        Assert.Empty(Cycles(graph.ToDictionary(p => p.Key, p => p.Value.Keys.ToArray())));
    }

    [Fact]
    public void The_allowed_table_has_no_cycle_and_the_design_document_lists_every_folder()
    {
        Assert.Empty(Cycles(Allowed));
        var design = File.ReadAllText(Path.Combine(RepositoryFiles.Root(), "docs", "design.md"));
        foreach (var folder in Allowed.Keys)
        {
            Assert.Contains($"`{folder}/`", design, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_cycle_check_finds_a_cycle()
    {
        var withCycle = new Dictionary<string, string[]> { ["A"] = ["B"], ["B"] = ["C"], ["C"] = ["A"], ["D"] = ["A"] };
        Assert.Equal(["A", "B", "C"], Cycles(withCycle).Single().Order(StringComparer.Ordinal));
    }

    /// <summary>Folder -> (folder used -> the type names that make the dependency).</summary>
    private static Dictionary<string, Dictionary<string, SortedSet<string>>> Dependencies()
    {
        var root = Path.Combine(RepositoryFiles.Root(), "src", "Btw");
        var files = Directory.GetFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                     && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => (Folder: FolderOf(root, f), Code: CodeOnly(File.ReadAllText(f))))
            .ToArray();

        var declaredIn = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (folder, code) in files)
        {
            foreach (Match m in Declaration().Matches(code))
            {
                declaredIn.TryAdd(m.Groups["name"].Value, folder);
            }
        }

        var graph = files.Select(f => f.Folder).Distinct().ToDictionary(f => f, _ => new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal));
        foreach (var (folder, code) in files)
        {
            foreach (Match m in TypeReference().Matches(code))
            {
                if (declaredIn.TryGetValue(m.Groups["name"].Value, out var target) && target != folder)
                {
                    if (!graph[folder].TryGetValue(target, out var types))
                    {
                        graph[folder][target] = types = new SortedSet<string>(StringComparer.Ordinal);
                    }

                    types.Add(m.Groups["name"].Value);
                }
            }
        }

        return graph;
    }

    private static string FolderOf(string root, string file)
    {
        var relative = Path.GetRelativePath(root, file).Split(Path.DirectorySeparatorChar);
        return relative.Length > 1 ? relative[0] : ".";
    }

    /// <summary>The code without comments, string contents, using directives and namespace qualifiers (Btw.X.Name becomes Name).</summary>
    private static string CodeOnly(string source)
    {
        var code = Regex.Replace(source, @"//[^\n]*|/\*.*?\*/", string.Empty, RegexOptions.Singleline);
        code = Regex.Replace(code, @"@?""(?:\\.|""""|[^""\\])*""|'(?:\\.|[^'\\])'", "\"\"");
        code = Regex.Replace(code, @"^(?:global\s+)?(?:using|namespace)\b[^;\n]*;?", string.Empty, RegexOptions.Multiline);   // directives only, not using statements
        return Regex.Replace(code, @"\b(?:global::)?Btw\.(?:\w+\.)*?(?=[A-Z]\w*\b(?!\.[A-Z]\w*\.))", string.Empty);
    }

    /// <summary>The sets of folders on a cycle (strongly connected components of more than one folder), by Tarjan's algorithm.</summary>
    private static List<string[]> Cycles(IReadOnlyDictionary<string, string[]> graph)
    {
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var cycles = new List<string[]>();
        void Visit(string v)
        {
            index[v] = low[v] = index.Count;
            stack.Push(v);
            foreach (var w in graph.TryGetValue(v, out var next) ? next : [])
            {
                if (!index.TryGetValue(w, out var indexOfW))
                {
                    Visit(w);
                    low[v] = Math.Min(low[v], low[w]);
                }
                else if (stack.Contains(w))
                {
                    low[v] = Math.Min(low[v], indexOfW);
                }
            }

            if (low[v] == index[v])
            {
                var component = new List<string>();
                string w;
                do
                {
                    w = stack.Pop();
                    component.Add(w);
                }
                while (w != v);
                if (component.Count > 1)
                {
                    cycles.Add([.. component]);
                }
            }
        }

        foreach (var v in graph.Keys.Order(StringComparer.Ordinal))
        {
            if (!index.ContainsKey(v))
            {
                Visit(v);
            }
        }

        return cycles;
    }

    [GeneratedRegex(@"\b(?:class|struct|record|enum|interface)\s+(?<name>[A-Z]\w*)")]
    private static partial Regex Declaration();

    // A capitalised name used as a type: not a member access (after '.'), not a member declaration or call of the same
    // name (before '(' or a property body / initialiser), unless constructed with 'new'.
    [GeneratedRegex(@"(?<![\w.])(?:(?<=\bnew\s+)(?<name>[A-Z]\w*)\b|(?<name>[A-Z]\w*)\b(?!\s*(?:\(|\{|=>|=(?!=))))")]
    private static partial Regex TypeReference();
}
