using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;

namespace Btw.Demo.Data;

/// <summary>
/// Reads the dense form of Weka's ARFF format: <c>%</c> comments, <c>@relation</c>, <c>@attribute</c>
/// (numeric, real, integer, nominal <c>{a,b,...}</c>; names and values may be quoted with ' or "),
/// <c>@data</c> and comma-separated rows with <c>?</c> for a missing value. Keywords are case-insensitive.
/// String, date, relational and sparse (<c>{i v, ...}</c>) data are rejected with a clear message.
/// </summary>
internal static class ArffReader
{
    public static ArffDocument Read(string path)
    {
        using var reader = new StreamReader(path, Encoding.UTF8);
        return Read(reader, path);
    }

    public static ArffDocument Read(TextReader reader, string source = "<text>")
    {
        ArgumentNullException.ThrowIfNull(reader);
        string? relation = null;
        var attributes = new List<ArffAttribute>();
        var rows = new List<double[]>();
        var inData = false;
        var lineNumber = 0;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            var text = StripComment(line).Trim();
            if (text.Length == 0)
            {
                continue;
            }

            if (!inData)
            {
                if (StartsWithKeyword(text, "@relation"))
                {
                    relation = Unquote(text["@relation".Length..].Trim());
                }
                else if (StartsWithKeyword(text, "@attribute"))
                {
                    attributes.Add(ParseAttribute(text["@attribute".Length..].Trim(), source, lineNumber));
                }
                else if (StartsWithKeyword(text, "@data"))
                {
                    if (attributes.Count == 0)
                    {
                        throw new FormatException($"{source}:{lineNumber}: @data before any @attribute.");
                    }

                    inData = true;
                }
                else
                {
                    throw new FormatException($"{source}:{lineNumber}: expected @relation, @attribute or @data, found '{Shorten(text)}'.");
                }

                continue;
            }

            if (text[0] == '{')
            {
                throw new FormatException($"{source}:{lineNumber}: sparse ARFF rows are not supported.");
            }

            rows.Add(ParseRow(text, attributes, source, lineNumber));
        }

        if (relation is null)
        {
            throw new FormatException($"{source}: no @relation line.");
        }

        if (!inData)
        {
            throw new FormatException($"{source}: no @data section.");
        }

        return new ArffDocument(relation, attributes, rows);
    }

    private static ArffAttribute ParseAttribute(string rest, string source, int line)
    {
        var (name, afterName) = ReadToken(rest, source, line);
        var type = afterName.Trim();
        if (type.Length == 0)
        {
            throw new FormatException($"{source}:{line}: attribute '{name}' has no type.");
        }

        if (type[0] == '{')
        {
            var close = type.LastIndexOf('}');
            if (close < 0)
            {
                throw new FormatException($"{source}:{line}: nominal attribute '{name}' has no closing '}}'.");
            }

            var values = new List<string>();
            foreach (var part in SplitCommas(type[1..close], source, line))
            {
                values.Add(Unquote(part.Trim()));
            }

            if (values.Count == 0)
            {
                throw new FormatException($"{source}:{line}: nominal attribute '{name}' declares no values.");
            }

            return new ArffAttribute(name, values);
        }

        var keyword = type.ToUpperInvariant();
        if (keyword is "NUMERIC" or "REAL" or "INTEGER")
        {
            return new ArffAttribute(name, null);
        }

        throw new FormatException($"{source}:{line}: attribute '{name}' has unsupported type '{type}' (numeric, real, integer and nominal are supported).");
    }

    private static double[] ParseRow(string text, List<ArffAttribute> attributes, string source, int line)
    {
        var parts = SplitCommas(text, source, line);
        if (parts.Count != attributes.Count)
        {
            throw new FormatException($"{source}:{line}: expected {attributes.Count} values, found {parts.Count}.");
        }

        var row = new double[attributes.Count];
        for (var i = 0; i < parts.Count; i++)
        {
            var raw = Unquote(parts[i].Trim());
            if (raw == "?")
            {
                row[i] = double.NaN;
            }
            else if (attributes[i].IsNominal)
            {
                row[i] = attributes[i].IndexOf(raw, line);
            }
            else if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out row[i]))
            {
                throw new FormatException($"{source}:{line}: value '{raw}' of numeric attribute '{attributes[i].Name}' is not a number.");
            }
        }

        return row;
    }

    /// <summary>Splits on commas outside quotes.</summary>
    private static List<string> SplitCommas(string text, string source, int line)
    {
        var parts = new List<string>();
        var current = new StringBuilder();
        char quote = '\0';
        foreach (var c in text)
        {
            if (quote != '\0')
            {
                current.Append(c);
                if (c == quote)
                {
                    quote = '\0';
                }
            }
            else if (c is '\'' or '"')
            {
                quote = c;
                current.Append(c);
            }
            else if (c == ',')
            {
                parts.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        if (quote != '\0')
        {
            throw new FormatException($"{source}:{line}: unterminated quote.");
        }

        parts.Add(current.ToString());
        return parts;
    }

    /// <summary>Reads a name (quoted or up to whitespace) and returns it with the rest of the text.</summary>
    private static (string Token, string Remainder) ReadToken(string text, string source, int line)
    {
        if (text.Length > 0 && text[0] is '\'' or '"')
        {
            var end = text.IndexOf(text[0], 1);
            if (end < 0)
            {
                throw new FormatException($"{source}:{line}: unterminated quoted name.");
            }

            return (text[1..end], text[(end + 1)..]);
        }

        var i = 0;
        while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] != '{')
        {
            i++;
        }

        if (i == 0)
        {
            throw new FormatException($"{source}:{line}: missing attribute name.");
        }

        return (text[..i], text[i..]);
    }

    private static string StripComment(string line)
    {
        char quote = '\0';
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
            }
            else if (c is '\'' or '"')
            {
                quote = c;
            }
            else if (c == '%')
            {
                return line[..i];
            }
        }

        return line;
    }

    private static bool StartsWithKeyword(string text, string keyword) =>
        text.StartsWith(keyword, StringComparison.OrdinalIgnoreCase)
        && (text.Length == keyword.Length || char.IsWhiteSpace(text[keyword.Length]));

    private static string Unquote(string text) =>
        text.Length >= 2 && (text[0] is '\'' or '"') && text[^1] == text[0] ? text[1..^1] : text;

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "...";
}
