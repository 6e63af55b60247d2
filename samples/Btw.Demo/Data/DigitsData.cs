using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace Btw.Demo.Data;

/// <summary>
/// The optical-recognition handwritten digits of the UCI repository (E. Alpaydin, C. Kaynak, 1998) as scikit-learn
/// ships them (<c>digits.csv.gz</c>): 1,797 images of 8x8 pixels with 17 grey levels (0..16), one image per line as 64
/// comma-separated pixel values (row-major) followed by the digit (0..9). Views: the four 4x4 quadrants of the image
/// (top-left, top-right, bottom-left, bottom-right; 16 pixels each). 10 classes. A held-out data set: never used to
/// choose <c>BtwOptions.Recommended</c>.
/// </summary>
internal static class DigitsData
{
    public const string DataFile = "digits.csv.gz";

    public const int Side = 8;

    public static readonly IReadOnlyList<string> ViewNames = new[] { "top-left", "top-right", "bottom-left", "bottom-right" };

    /// <summary>Builds the data set from parsed lines of 65 numbers (64 pixels, then the digit).</summary>
    /// <exception cref="FormatException">A line does not have 65 values, or a digit is outside 0..9.</exception>
    public static MultiViewDataset FromTable(IReadOnlyList<double[]> table)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (table.Count == 0 || table[0].Length != Side * Side + 1)
        {
            throw new FormatException($"Digits: expected {Side * Side + 1} values per line (64 pixels, then the digit), found {(table.Count == 0 ? 0 : table[0].Length)}.");
        }

        var labels = table.Select((row, i) =>
        {
            var digit = row[Side * Side];
            return digit is >= 0 and <= 9 && digit == Math.Floor(digit)
                ? (int)digit
                : throw new FormatException(FormattableString.Invariant($"Digits: line {i + 1} has digit {digit}, expected 0..9."));
        }).ToArray();
        var views = ViewNames.Select((name, q) =>
        {
            var rowOffset = q / 2 * (Side / 2);
            var colOffset = q % 2 * (Side / 2);
            var pixels = new List<int>();
            for (var r = 0; r < Side / 2; r++)
            {
                for (var c = 0; c < Side / 2; c++)
                {
                    pixels.Add(((rowOffset + r) * Side) + colOffset + c);
                }
            }

            var values = new float[table.Count * pixels.Count];
            for (var i = 0; i < table.Count; i++)
            {
                for (var p = 0; p < pixels.Count; p++)
                {
                    values[(i * pixels.Count) + p] = (float)table[i][pixels[p]];
                }
            }

            return new DatasetView(name, pixels.Select(p => string.Create(CultureInfo.InvariantCulture, $"px{p / Side}_{p % Side}")).ToArray(), values);
        }).ToArray();
        return MultiViewDataset.Classification("digits", views, labels, Enumerable.Range(0, 10).Select(d => d.ToString(CultureInfo.InvariantCulture)).ToArray());
    }

    /// <summary>Stratified 60/20/20 train/validation/test split of the 1,797 images with <paramref name="splitSeed"/>.</summary>
    public static DataSplit Load(string directory, int splitSeed)
    {
        var table = CsvNumbers.ReadGzip(Path.Combine(directory, DataFile));
        return SplitMaker.ThreeWay(FromTable(table), 0.6, 0.2, 0.2, splitSeed);
    }
}
