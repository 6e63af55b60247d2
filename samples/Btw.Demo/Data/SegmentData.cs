using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace Btw.Demo.Data;

/// <summary>
/// UCI Image Segmentation (Brodley, 1990) as shipped in Weka's examples: 2,310 3x3 pixel regions of 7
/// outdoor images, 19 numeric features, 7 classes. The constant <c>region-pixel-count</c> (= 9) is
/// dropped; the other 18 features form three views: colour, edge and texture, position.
/// </summary>
internal static class SegmentData
{
    public const string ChallengeFile = "segment-challenge.arff";
    public const string TestFile = "segment-test.arff";
    public const string ConstantColumn = "region-pixel-count";

    private static readonly double[] TrainValidationFractions = { 0.8, 0.2 };

    /// <summary>The views: name and the ARFF attribute names in it.</summary>
    public static readonly IReadOnlyList<(string View, string[] Columns)> ViewColumns = new[]
    {
        ("colour", new[] { "intensity-mean", "rawred-mean", "rawblue-mean", "rawgreen-mean", "exred-mean", "exblue-mean", "exgreen-mean", "value-mean", "saturation-mean", "hue-mean" }),
        ("edge-texture", new[] { "short-line-density-5", "short-line-density-2", "vedge-mean", "vegde-sd", "hedge-mean", "hedge-sd" }),
        ("position", new[] { "region-centroid-col", "region-centroid-row" }),
    };

    /// <summary>Reads one ARFF file of the segment relation into a three-view data set.</summary>
    public static MultiViewDataset FromArff(ArffDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var classColumn = document.IndexOf("class");
        var classNames = document.Attributes[classColumn].NominalValues
            ?? throw new FormatException($"Relation '{document.Relation}': attribute 'class' is not nominal.");
        var constant = document.IndexOf(ConstantColumn);
        var used = new HashSet<int> { classColumn, constant };
        if (document.Rows.Select(r => r[constant]).Distinct().Count() > 1)
        {
            throw new FormatException($"Relation '{document.Relation}': '{ConstantColumn}' was expected to be constant.");
        }

        var views = new List<DatasetView>();
        foreach (var (viewName, columns) in ViewColumns)
        {
            var indexes = columns.Select(document.IndexOf).ToArray();
            used.UnionWith(indexes);
            var values = new float[document.Rows.Count * indexes.Length];
            for (var r = 0; r < document.Rows.Count; r++)
            {
                for (var c = 0; c < indexes.Length; c++)
                {
                    var value = document.Rows[r][indexes[c]];
                    if (double.IsNaN(value))
                    {
                        throw new FormatException($"Relation '{document.Relation}': row {r + 1} has a missing '{columns[c]}'.");
                    }

                    values[r * indexes.Length + c] = (float)value;
                }
            }

            views.Add(new DatasetView(viewName, columns, values));
        }

        if (used.Count != document.Attributes.Count)
        {
            var unused = Enumerable.Range(0, document.Attributes.Count).Where(i => !used.Contains(i)).Select(i => document.Attributes[i].Name);
            throw new FormatException($"Relation '{document.Relation}': attributes not assigned to a view: {string.Join(", ", unused)}.");
        }

        var labels = document.Rows.Select(r => double.IsNaN(r[classColumn])
            ? throw new FormatException($"Relation '{document.Relation}': a row has no class.")
            : (int)r[classColumn]).ToArray();
        return MultiViewDataset.Classification("segment", views, labels, classNames);
    }

    /// <summary>
    /// The fixed split: Weka's segment-challenge.arff (1,500 rows) is split stratified 80/20 into
    /// train/validation with <paramref name="splitSeed"/>; segment-test.arff (810 rows) is the test set.
    /// </summary>
    public static DataSplit Load(string directory, int splitSeed)
    {
        var challenge = FromArff(ArffReader.Read(Path.Combine(directory, ChallengeFile)));
        var test = FromArff(ArffReader.Read(Path.Combine(directory, TestFile)));
        if (!challenge.ClassNames.SequenceEqual(test.ClassNames))
        {
            throw new FormatException("segment-challenge and segment-test declare different classes.");
        }

        var parts = SplitMaker.Split(challenge, TrainValidationFractions, splitSeed);
        var description = FormattableString.Invariant(
            $"Weka's segment-challenge.arff ({challenge.Rows} rows) split stratified 80/20 into train/validation (split seed {splitSeed}): {parts[0].Length}/{parts[1].Length} rows; segment-test.arff ({test.Rows} rows) is the test set.");
        return new DataSplit(challenge.Select(parts[0]), challenge.Select(parts[1]), test, description);
    }
}
