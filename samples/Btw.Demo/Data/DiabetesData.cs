using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;

namespace Btw.Demo.Data;

/// <summary>
/// The diabetes data of Efron, Hastie, Johnstone and Tibshirani (2004, "Least Angle Regression"), as
/// shipped by scikit-learn: 442 patients, 10 raw baseline variables (whitespace-separated, no header,
/// columns age, sex, bmi, bp, s1..s6) and a quantitative measure of disease progression one year later.
/// Views: body (bmi, bp), serum (s1..s6), demographics (age, sex). Regression.
/// </summary>
internal static class DiabetesData
{
    public const string DataFile = "diabetes_data_raw.csv.gz";
    public const string TargetFile = "diabetes_target.csv.gz";

    public static readonly IReadOnlyList<string> Columns = new[] { "age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6" };

    public static readonly IReadOnlyList<(string View, string[] Columns)> ViewColumns = new[]
    {
        ("body", new[] { "bmi", "bp" }),
        ("serum", new[] { "s1", "s2", "s3", "s4", "s5", "s6" }),
        ("demographics", new[] { "age", "sex" }),
    };

    /// <summary>Reads whitespace-separated numbers, one row per non-empty line, from a gzip file.</summary>
    public static IReadOnlyList<double[]> ReadGzipTable(string path)
    {
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.ASCII);
        return ReadTable(reader, path);
    }

    public static IReadOnlyList<double[]> ReadTable(TextReader reader, string source) => CsvNumbers.ReadWhitespaceSeparated(reader, source);

    public static MultiViewDataset FromTables(IReadOnlyList<double[]> data, IReadOnlyList<double[]> target)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(target);
        if (data.Count != target.Count)
        {
            throw new FormatException($"Diabetes: {data.Count} data rows but {target.Count} targets.");
        }

        if (data.Count == 0 || data[0].Length != Columns.Count)
        {
            throw new FormatException($"Diabetes: expected {Columns.Count} columns ({string.Join(", ", Columns)}), found {(data.Count == 0 ? 0 : data[0].Length)}.");
        }

        if (target.Any(t => t.Length != 1))
        {
            throw new FormatException("Diabetes: the target file must have one value per line.");
        }

        var views = ViewColumns.Select(vc =>
        {
            var indexes = vc.Columns.Select(c => Columns.ToList().IndexOf(c)).ToArray();
            var values = new float[data.Count * indexes.Length];
            for (var r = 0; r < data.Count; r++)
            {
                for (var c = 0; c < indexes.Length; c++)
                {
                    values[r * indexes.Length + c] = (float)data[r][indexes[c]];
                }
            }

            return new DatasetView(vc.View, vc.Columns, values);
        }).ToArray();
        return MultiViewDataset.Regression("diabetes", views, target.Select(t => (float)t[0]).ToArray());
    }

    /// <summary>Shuffled 60/20/20 train/validation/test split of the 442 rows with <paramref name="splitSeed"/>.</summary>
    public static DataSplit Load(string directory, int splitSeed)
    {
        var data = FromTables(ReadGzipTable(Path.Combine(directory, DataFile)), ReadGzipTable(Path.Combine(directory, TargetFile)));
        return SplitMaker.ThreeWay(data, 0.6, 0.2, 0.2, splitSeed);
    }
}
