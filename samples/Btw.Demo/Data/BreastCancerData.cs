using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace Btw.Demo.Data;

/// <summary>
/// The Breast Cancer Wisconsin (Diagnostic) data (W. Wolberg, W. Street, O. Mangasarian, 1995) as scikit-learn ships it
/// (<c>breast_cancer.csv</c>): a header line "569,30,malignant,benign", then 569 lines of 30 cell-nucleus features and
/// the class (0 = malignant, 1 = benign). The 30 features are ten measurements (radius, texture, perimeter, area,
/// smoothness, compactness, concavity, concave points, symmetry, fractal dimension) summarised three ways over the
/// nuclei of an image; the views are those three summaries: mean, standard error, worst (10 features each). Two
/// classes. A held-out data set: never used to choose <c>BtwOptions.Recommended</c>.
/// </summary>
internal static class BreastCancerData
{
    public const string DataFile = "breast_cancer.csv";

    public static readonly IReadOnlyList<string> Measurements = new[]
    {
        "radius", "texture", "perimeter", "area", "smoothness", "compactness", "concavity", "concave-points", "symmetry", "fractal-dimension",
    };

    public static readonly IReadOnlyList<string> ViewNames = new[] { "mean", "se", "worst" };

    private static readonly string[] ClassNames = { "malignant", "benign" };

    /// <summary>Builds the data set from parsed lines of 31 numbers (30 features, then the class 0/1).</summary>
    /// <exception cref="FormatException">A line does not have 31 values, or a class is not 0 or 1.</exception>
    public static MultiViewDataset FromTable(IReadOnlyList<double[]> table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var width = Measurements.Count * ViewNames.Count;
        if (table.Count == 0 || table[0].Length != width + 1)
        {
            throw new FormatException($"Breast cancer: expected {width + 1} values per line (30 features, then the class), found {(table.Count == 0 ? 0 : table[0].Length)}.");
        }

        var labels = table.Select((row, i) => row[width] is 0 or 1
            ? (int)row[width]
            : throw new FormatException(FormattableString.Invariant($"Breast cancer: data line {i + 1} has class {row[width]}, expected 0 or 1."))).ToArray();
        var views = ViewNames.Select((name, v) =>
        {
            var values = new float[table.Count * Measurements.Count];
            for (var i = 0; i < table.Count; i++)
            {
                for (var c = 0; c < Measurements.Count; c++)
                {
                    values[(i * Measurements.Count) + c] = (float)table[i][(v * Measurements.Count) + c];
                }
            }

            return new DatasetView(name, Measurements.Select(m => $"{m}-{name}").ToArray(), values);
        }).ToArray();
        return MultiViewDataset.Classification("breast-cancer", views, labels, ClassNames);
    }

    /// <summary>Stratified 60/20/20 train/validation/test split of the 569 rows with <paramref name="splitSeed"/>.</summary>
    public static DataSplit Load(string directory, int splitSeed)
    {
        var path = Path.Combine(directory, DataFile);
        using var reader = new StreamReader(path);
        return SplitMaker.ThreeWay(FromTable(CsvNumbers.Read(reader, path, skipLines: 1)), 0.6, 0.2, 0.2, splitSeed);
    }
}
