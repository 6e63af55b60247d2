using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace Btw;

/// <summary>
/// What <see cref="BtwTrial.Run"/> found: every configuration's validation losses, its paired comparison with
/// <see cref="BtwWeighting.Uniform"/>, and the configuration to use.
/// </summary>
public sealed class BtwTrialResult
{
    private readonly BtwOptions chosen;

    internal BtwTrialResult(IReadOnlyList<BtwTrialRow> rows, IReadOnlyList<int> seeds, double confidence, double candidateConfidence, BtwTrialRow chosenRow)
    {
        Rows = rows;
        Seeds = seeds;
        Confidence = confidence;
        CandidateConfidence = candidateConfidence;
        ChosenLabel = chosenRow.Label;
        chosen = chosenRow.Options;
    }

    /// <summary>
    /// The configuration to use (a new copy on each read): <see cref="BtwWeighting.Uniform"/> unless at least one candidate
    /// qualifies (<see cref="BtwTrialRow.Qualifies"/>: its Bonferroni-corrected paired interval lies above 0); then the
    /// qualifying candidate with the greatest mean improvement <see cref="BtwTrialRow.Difference"/> (the first listed on a tie).
    /// </summary>
    public BtwOptions Chosen => chosen.Clone();

    /// <summary>The label of <see cref="Chosen"/>: <see cref="BtwTrial.UniformLabel"/> or a candidate's.</summary>
    public string ChosenLabel { get; }

    /// <summary>One row per configuration: Uniform first, then the candidates in the order given.</summary>
    public IReadOnlyList<BtwTrialRow> Rows { get; }

    /// <summary>The seeds every configuration ran with, in the order of <see cref="BtwTrialRow.Losses"/>.</summary>
    public IReadOnlyList<int> Seeds { get; }

    /// <summary>The family-wise confidence level asked for (<see cref="BtwTrialOptions.Confidence"/>).</summary>
    public double Confidence { get; }

    /// <summary>The level of each candidate's interval: 1 - (1 - <see cref="Confidence"/>) / K for K candidates (Bonferroni).</summary>
    public double CandidateConfidence { get; }

    /// <summary>
    /// A Markdown table (configuration, mean validation loss, Uniform - configuration with its interval, qualifies) and a
    /// line naming the choice and how it was made. Numbers use the invariant culture.
    /// </summary>
    /// <returns>The Markdown text, lines separated by '\n'.</returns>
    public string ToMarkdown()
    {
        var level = Percent(CandidateConfidence);
        var text = new StringBuilder();
        text.Append("| configuration | mean validation loss | Uniform - configuration (> 0: better) | ").Append(level).Append(" interval | qualifies |\n");
        text.Append("|---|---:|---:|---|---|\n");
        foreach (var row in Rows)
        {
            text.Append("| ").Append(row.Label).Append(" | ").Append(Number(row.MeanLoss)).Append(" | ");
            if (row.IsUniform)
            {
                text.Append("(baseline) | | |\n");
                continue;
            }

            text.Append(Signed(row.Difference)).Append(" | [").Append(Signed(row.Lower)).Append(", ").Append(Signed(row.Upper)).Append("] | ")
                .Append(row.Qualifies ? "yes" : "no").Append(" |\n");
        }

        var candidates = Rows.Count - 1;
        text.Append('\n').Append(string.Create(CultureInfo.InvariantCulture,
            $"Chosen: **{ChosenLabel}**. Validation losses of {Seeds.Count} seeds ({Seeds[0]} to {Seeds[^1]}), paired by seed; "
            + $"each interval is a two-sided Student-t interval with {Seeds.Count - 1} degree{(Seeds.Count == 2 ? string.Empty : "s")} of freedom at {level} = 1 - (1 - {Percent(Confidence)}) / {candidates} "
            + $"(Bonferroni over {candidates} candidate{(candidates == 1 ? string.Empty : "s")}); a candidate qualifies when its interval lies above 0."));
        if (!Rows.Any(r => r.Qualifies))
        {
            text.Append(" No candidate qualified, so the choice is Uniform.");
        }

        return text.Append('\n').ToString();
    }

    private static string Number(double value) => value.ToString("G4", CultureInfo.InvariantCulture);

    private static string Signed(double value) => (value >= 0 ? "+" : string.Empty) + Number(value);

    private static string Percent(double level) => (100 * level).ToString("G6", CultureInfo.InvariantCulture) + "%";
}
