using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace Btw.Tests.Support;

/// <summary>A KSG reference case of Data/reference/mutual_information.json.</summary>
internal sealed record KsgReferenceCase(
    string Name, string Generator, ulong Seed, int N, int K, bool Ties,
    double Sklearn, double Exact, double ExactUnclipped, double XStd, double YStd,
    double XFirst, double YFirst, double XLast, double YLast);

/// <summary>A plug-in (discrete) reference case of Data/reference/mutual_information.json.</summary>
internal sealed record DiscreteReferenceCase(string Name, string Generator, ulong Seed, int N, double Value, int AFirst, int BFirst);

/// <summary>
/// Loads Data/reference/mutual_information.json (written by tests/reference/make_reference.py from
/// scikit-learn 1.2.1) from the test output directory.
/// </summary>
internal static class MutualInformationReference
{
    private static readonly Lazy<JsonDocument> Document = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", "reference", "mutual_information.json"))));

    /// <summary>The root element.</summary>
    public static JsonElement Root => Document.Value.RootElement;

    /// <summary>The PRNG check values.</summary>
    public static JsonElement Prng => Root.GetProperty("prng");

    /// <summary>All KSG cases.</summary>
    public static IReadOnlyList<KsgReferenceCase> KsgCases { get; } = LoadKsg();

    /// <summary>All discrete cases.</summary>
    public static IReadOnlyList<DiscreteReferenceCase> DiscreteCases { get; } = LoadDiscrete();

    /// <summary>The KSG case with the given name.</summary>
    public static KsgReferenceCase Ksg(string name) => KsgCases.Single(c => c.Name == name);

    /// <summary>The discrete case with the given name.</summary>
    public static DiscreteReferenceCase Discrete(string name) => DiscreteCases.Single(c => c.Name == name);

    private static List<KsgReferenceCase> LoadKsg() =>
        Root.GetProperty("ksg").EnumerateArray().Select(e => new KsgReferenceCase(
            e.GetProperty("name").GetString()!,
            e.GetProperty("generator").GetString()!,
            e.GetProperty("seed").GetUInt64(),
            e.GetProperty("n").GetInt32(),
            e.GetProperty("k").GetInt32(),
            e.GetProperty("ties").GetBoolean(),
            e.GetProperty("sklearn").GetDouble(),
            e.GetProperty("exact").GetDouble(),
            e.GetProperty("exact_unclipped").GetDouble(),
            e.GetProperty("x_std").GetDouble(),
            e.GetProperty("y_std").GetDouble(),
            e.GetProperty("x_first").GetDouble(),
            e.GetProperty("y_first").GetDouble(),
            e.GetProperty("x_last").GetDouble(),
            e.GetProperty("y_last").GetDouble())).ToList();

    private static List<DiscreteReferenceCase> LoadDiscrete() =>
        Root.GetProperty("discrete").EnumerateArray().Select(e => new DiscreteReferenceCase(
            e.GetProperty("name").GetString()!,
            e.GetProperty("generator").GetString()!,
            e.GetProperty("seed").GetUInt64(),
            e.GetProperty("n").GetInt32(),
            e.GetProperty("value").GetDouble(),
            e.GetProperty("a_first").GetInt32(),
            e.GetProperty("b_first").GetInt32())).ToList();
}
