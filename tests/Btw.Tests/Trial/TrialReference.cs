using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace Btw.Tests.Trial;

/// <summary>A candidate of a paired-interval reference case: its losses and SciPy's interval of Uniform - candidate.</summary>
internal sealed record TrialReferenceCandidate(string Label, double[] Losses, double MeanLoss, double Difference, double StdDev, double Lower, double Upper, bool Qualifies);

/// <summary>A case of Data/reference/paired_intervals.json: Uniform's losses, the candidates and the expected choice.</summary>
internal sealed record TrialReferenceCase(
    string Name, double Confidence, double CandidateConfidence, double T, double[] Uniform, double UniformMeanLoss,
    IReadOnlyList<TrialReferenceCandidate> Candidates, string Chosen);

/// <summary>A Student-t quantile t(p, df) from scipy.stats.t.ppf.</summary>
internal sealed record TrialReferenceQuantile(double P, int Df, double T);

/// <summary>
/// Loads Data/reference/paired_intervals.json, written by tests/reference/make_trial_reference.py with SciPy 1.10.1
/// (scipy.stats.t.ppf and numpy's mean and ddof = 1 standard deviation), from the test output directory.
/// </summary>
internal static class TrialReference
{
    private static readonly Lazy<JsonElement> Root = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", "reference", "paired_intervals.json"))).RootElement);

    /// <summary>Every case, in file order.</summary>
    public static IReadOnlyList<TrialReferenceCase> Cases => Root.Value.GetProperty("cases").EnumerateArray().Select(ReadCase).ToList();

    /// <summary>Every quantile.</summary>
    public static IReadOnlyList<TrialReferenceQuantile> Quantiles => Root.Value.GetProperty("quantiles").EnumerateArray()
        .Select(e => new TrialReferenceQuantile(e.GetProperty("p").GetDouble(), e.GetProperty("df").GetInt32(), e.GetProperty("t").GetDouble()))
        .ToList();

    /// <summary>The case with the given name.</summary>
    public static TrialReferenceCase Case(string name) => Cases.Single(c => c.Name == name);

    private static TrialReferenceCase ReadCase(JsonElement e) => new(
        e.GetProperty("name").GetString()!,
        e.GetProperty("confidence").GetDouble(),
        e.GetProperty("candidate_confidence").GetDouble(),
        e.GetProperty("t").GetDouble(),
        Doubles(e.GetProperty("uniform")),
        e.GetProperty("uniform_mean_loss").GetDouble(),
        e.GetProperty("candidates").EnumerateArray().Select(c => new TrialReferenceCandidate(
            c.GetProperty("label").GetString()!,
            Doubles(c.GetProperty("losses")),
            c.GetProperty("mean_loss").GetDouble(),
            c.GetProperty("difference").GetDouble(),
            c.GetProperty("sd").GetDouble(),
            c.GetProperty("lower").GetDouble(),
            c.GetProperty("upper").GetDouble(),
            c.GetProperty("qualifies").GetBoolean())).ToList(),
        e.GetProperty("chosen").GetString()!);

    private static double[] Doubles(JsonElement array) => array.EnumerateArray().Select(v => v.GetDouble()).ToArray();
}
