using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml.Linq;

namespace Btw.PublicDocs;

/// <summary>Keeps the &lt;member&gt; entries of an XML documentation file whose ids are in a set.</summary>
internal static class DocumentationFilter
{
    /// <summary>What <see cref="Apply"/> kept and removed.</summary>
    public sealed record Result(int Kept, IReadOnlyList<string> Removed);

    /// <summary>Removes the entries whose id is not in <paramref name="visible"/>; writes the file back when <paramref name="write"/> and something was removed.</summary>
    public static Result Apply(string xmlPath, IReadOnlySet<string> visible, bool write)
    {
        var document = XDocument.Load(xmlPath, LoadOptions.PreserveWhitespace);
        var members = document.Root?.Element("members")?.Elements("member").ToList() ?? [];
        var removed = new List<string>();
        var kept = 0;
        foreach (var member in members)
        {
            var id = (string?)member.Attribute("name") ?? string.Empty;
            if (visible.Contains(id))
            {
                kept++;
                continue;
            }

            removed.Add(id);
            if (write)
            {
                // Remove the entry with the whitespace before it, so the file keeps one entry per indented block.
                if (member.PreviousNode is XText text && string.IsNullOrWhiteSpace(text.Value))
                {
                    text.Remove();
                }

                member.Remove();
            }
        }

        if (write && removed.Count > 0)
        {
            var temporary = xmlPath + ".tmp";
            using (var writer = System.Xml.XmlWriter.Create(temporary, new System.Xml.XmlWriterSettings { Encoding = new System.Text.UTF8Encoding(false) }))
            {
                document.Save(writer);
            }

            File.Move(temporary, xmlPath, overwrite: true);
        }

        return new Result(kept, removed);
    }
}
