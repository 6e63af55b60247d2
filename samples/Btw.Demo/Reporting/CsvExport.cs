using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using Btw.Demo.Training;

namespace Btw.Demo.Reporting;

/// <summary>
/// CSV files (RFC 4180 quoting, invariant culture, '\n' line ends): <c>epochs.csv</c>, one row per run
/// and epoch; <c>runs.csv</c>, one row per run with the selected epoch and its validation and test metrics.
/// </summary>
internal static class CsvExport
{
    private static readonly System.Buffers.SearchValues<char> SpecialCharacters = System.Buffers.SearchValues.Create(",\"\n\r");

    public static void WriteEpochs(string path, IReadOnlyList<RunResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        if (results.Count == 0)
        {
            return;
        }

        var first = results[0];
        var header = new List<string> { "dataset", "mode", "seed", "drop_rate", "epoch", "train_loss" };
        header.AddRange(first.Epochs[0].Validation.Names.Select(n => "val_" + n));
        header.AddRange(first.ViewNames.Select(v => "weight_" + v));
        header.AddRange(first.ViewNames.Select(v => "mi_" + v));
        header.Add("seconds");
        var sb = new StringBuilder();
        Row(sb, header);
        foreach (var run in results)
        {
            foreach (var e in run.Epochs)
            {
                var cells = new List<string> { run.Settings.Dataset, run.Settings.Label, Num(run.Settings.Seed), Num(run.Settings.DropRate), Num(e.Epoch), Num(e.TrainLoss) };
                cells.AddRange(e.Validation.Values.Select(Num));
                cells.AddRange(e.MeanWeights.Select(Num));
                cells.AddRange(e.MutualInformation.Select(Num));
                cells.Add(Num(e.Seconds));
                Row(sb, cells);
            }
        }

        File.WriteAllText(path, sb.ToString());
    }

    /// <summary>
    /// Writes runs.csv. Test cells of runs whose label is not in <paramref name="reportedTest"/> (null = all) are left
    /// empty: a grid reports test metrics only for the fixed rows and the configuration chosen on validation.
    /// </summary>
    public static void WriteRuns(string path, IReadOnlyList<RunResult> results, IReadOnlyCollection<string>? reportedTest = null)
    {
        ArgumentNullException.ThrowIfNull(results);
        if (results.Count == 0)
        {
            return;
        }

        var names = results[0].Test.Names;
        var header = new List<string> { "dataset", "mode", "seed", "drop_rate", "epochs", "best_epoch" };
        header.AddRange(names.Select(n => "val_" + n));
        header.AddRange(names.Select(n => "test_" + n));
        header.Add("seconds");
        var sb = new StringBuilder();
        Row(sb, header);
        foreach (var run in results)
        {
            var cells = new List<string> { run.Settings.Dataset, run.Settings.Label, Num(run.Settings.Seed), Num(run.Settings.DropRate), Num(run.Epochs.Count), Num(run.BestEpoch) };
            cells.AddRange(run.BestValidation.Values.Select(Num));
            cells.AddRange(reportedTest is null || reportedTest.Contains(run.Settings.Label) ? run.Test.Values.Select(Num) : run.Test.Values.Select(_ => ""));
            cells.Add(Num(run.Seconds));
            Row(sb, cells);
        }

        File.WriteAllText(path, sb.ToString());
    }

    /// <summary>Quotes a field when it holds a comma, a quote or a line break (doubling inner quotes).</summary>
    public static string Escape(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return field.AsSpan().IndexOfAny(SpecialCharacters) >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;
    }

    private static string Num(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Num(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static void Row(StringBuilder sb, IEnumerable<string> cells) => sb.Append(string.Join(",", cells.Select(Escape))).Append('\n');
}
