using System;
using System.IO;
using Btw.PublicDocs;

// Usage: Btw.PublicDocs ASSEMBLY XML [--check]
//   filters XML in place, keeping the <member> entries of members visible outside ASSEMBLY; prints "kept K of N";
//   with --check, changes nothing and exits 1 if an entry is not visible (listing them).
if (args.Length is < 2 or > 3 || (args.Length == 3 && args[2] != "--check"))
{
    Console.Error.WriteLine("usage: Btw.PublicDocs ASSEMBLY XML [--check]");
    return 2;
}

var visible = VisibleMembers.Of(args[0]);
var result = DocumentationFilter.Apply(args[1], visible, write: args.Length == 2);
if (args.Length == 3)
{
    foreach (var id in result.Removed)
    {
        Console.Error.WriteLine($"not public: {id}");
    }

    Console.WriteLine($"{Path.GetFileName(args[1])}: {result.Kept} entries, {result.Removed.Count} not public");
    return result.Removed.Count == 0 ? 0 : 1;
}

Console.WriteLine($"{Path.GetFileName(args[1])}: kept {result.Kept} of {result.Kept + result.Removed.Count} documentation entries (public API only)");
return 0;
