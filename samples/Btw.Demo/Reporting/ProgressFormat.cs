using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Btw.Demo.Training;

namespace Btw.Demo.Reporting;

/// <summary>Plain-text pieces shared by the live and the line-by-line progress displays.</summary>
internal static class ProgressFormat
{
    public static string Run(RunSettings s) =>
        string.Create(CultureInfo.InvariantCulture, $"{s.Label} seed {s.Seed} drop {s.DropRate:0.##}");

    public static string Epoch(RunSettings s, EpochRecord e, IReadOnlyList<string> views) =>
        string.Create(CultureInfo.InvariantCulture, $"epoch {e.Epoch}/{s.Epochs} loss {e.TrainLoss:0.000} val {e.Validation.Names[0]} {e.Validation.Values[0]:0.000} w ")
        + string.Join(" ", views.Select((v, j) => string.Create(CultureInfo.InvariantCulture, $"{v}={e.MeanWeights[j]:0.00}")));

    /// <summary>The epoch line for narrow terminals: no names, weights in the order of the views (listed in the header).</summary>
    public static string EpochCompact(RunSettings s, EpochRecord e) =>
        string.Create(CultureInfo.InvariantCulture, $"{e.Epoch}/{s.Epochs} loss {e.TrainLoss:0.000} val {e.Validation.Values[0]:0.000} w ")
        + string.Join(" ", e.MeanWeights.Select(w => w.ToString("0.00", CultureInfo.InvariantCulture)));

    public static string Finished(RunResult r) =>
        string.Create(CultureInfo.InvariantCulture, $"best epoch {r.BestEpoch}, test ")
        + string.Join(", ", r.Test.Names.Select((n, i) => string.Create(CultureInfo.InvariantCulture, $"{n} {r.Test.Values[i]:0.0000}")))
        + string.Create(CultureInfo.InvariantCulture, $" ({r.Seconds:0.0} s)");
}
