using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Text;

namespace Btw.Demo.Data;

/// <summary>Reads tables of numbers, comma- or whitespace-separated (one row per non-empty line, every line the same length).</summary>
internal static class CsvNumbers
{
    /// <summary>Reads a gzip-compressed table.</summary>
    public static IReadOnlyList<double[]> ReadGzip(string path)
    {
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.ASCII);
        return Read(reader, path);
    }

    /// <summary>Reads a comma-separated table, skipping the first <paramref name="skipLines"/> lines (a header).</summary>
    /// <exception cref="FormatException">A value is not a number, or a line's length differs from the first line's; the message names the line.</exception>
    public static IReadOnlyList<double[]> Read(TextReader reader, string source, int skipLines = 0) => Read(reader, source, skipLines, whitespace: false);

    /// <summary>Reads a whitespace-separated table (runs of spaces or tabs separate values).</summary>
    /// <exception cref="FormatException">A value is not a number, or a line's length differs from the first line's; the message names the line.</exception>
    public static IReadOnlyList<double[]> ReadWhitespaceSeparated(TextReader reader, string source) => Read(reader, source, 0, whitespace: true);

    private static List<double[]> Read(TextReader reader, string source, int skipLines, bool whitespace)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var rows = new List<double[]>();
        string? line;
        var number = 0;
        while ((line = reader.ReadLine()) is not null)
        {
            number++;
            if (number <= skipLines || line.Trim().Length == 0)
            {
                continue;
            }

            var parts = whitespace ? line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries) : line.Split(',', StringSplitOptions.TrimEntries);
            var row = new double[parts.Length];
            for (var i = 0; i < parts.Length; i++)
            {
                if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out row[i]))
                {
                    throw new FormatException($"{source}:{number}: '{parts[i]}' is not a number.");
                }
            }

            if (rows.Count > 0 && row.Length != rows[0].Length)
            {
                throw new FormatException($"{source}:{number}: expected {rows[0].Length} values, found {row.Length}.");
            }

            rows.Add(row);
        }

        return rows;
    }
}
