using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace Btw.Demo.Data;

/// <summary>
/// The films of the npm package <c>vega-datasets@3.2.1</c> (<c>data/movies.json</c>, BSD-3-Clause): 3,201 films with box
/// office, budget, running time, ratings. Regression of the IMDB rating (1..10) from four views of the film, over the
/// 977 films that have every field used: <b>critics</b> (Rotten Tomatoes rating), <b>audience</b> (log(1 + IMDB
/// votes)), <b>box-office</b> (log(1 + production budget), log(1 + US gross), log(1 + worldwide gross)) and
/// <b>content</b> (running time, MPAA rating and major genre one-hot). Fetched, not committed
/// (<c>samples/data/fetch-vega-datasets.sh</c>). A held-out data set: never used to choose <c>BtwOptions.Recommended</c>.
/// </summary>
internal static class MoviesData
{
    public const string DataFile = "movies.json";

    public static readonly IReadOnlyList<string> NumericFields = new[]
    {
        "Rotten Tomatoes Rating", "IMDB Votes", "Production Budget", "US Gross", "Worldwide Gross", "Running Time min", "IMDB Rating",
    };

    public static readonly IReadOnlyList<string> CategoryFields = new[] { "MPAA Rating", "Major Genre" };

    private static readonly string[] CriticsFeatures = { "rotten-tomatoes" };

    private static readonly string[] AudienceFeatures = { "log-imdb-votes" };

    private static readonly string[] BoxOfficeFeatures = { "log-budget", "log-us-gross", "log-worldwide-gross" };

    private static readonly string[] ContentFirstFeatures = { "running-time" };

    /// <summary>Parses the JSON array of films and keeps those with every field used.</summary>
    /// <exception cref="FormatException">The text is not a JSON array of objects, or no film has every field.</exception>
    public static MultiViewDataset FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var document = JsonDocument.Parse(json);
        if (document.RootElement.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException("Movies: expected a JSON array of films.");
        }

        var films = new List<(double[] Numbers, string[] Categories)>();
        foreach (var film in document.RootElement.EnumerateArray())
        {
            if (film.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("Movies: every element must be a JSON object.");
            }

            var numbers = NumericFields.Select(f => film.TryGetProperty(f, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : double.NaN).ToArray();
            var categories = CategoryFields.Select(f => film.TryGetProperty(f, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "").ToArray();
            if (numbers.All(double.IsFinite) && categories.All(c => c.Length > 0))
            {
                films.Add((numbers, categories));
            }
        }

        if (films.Count == 0)
        {
            throw new FormatException($"Movies: no film has every field ({string.Join(", ", NumericFields.Concat(CategoryFields))}).");
        }

        var levels = CategoryFields.Select((_, c) => films.Select(f => f.Categories[c]).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray()).ToArray();
        static float Log(double v) => (float)Math.Log(1 + Math.Max(0, v));
        DatasetView View(string name, string[] features, Func<(double[] Numbers, string[] Categories), float[]> row) =>
            new(name, features, films.SelectMany(row).ToArray());
        var content = ContentFirstFeatures.Concat(levels[0].Select(l => "mpaa-" + l)).Concat(levels[1].Select(l => "genre-" + l)).ToArray();
        var views = new[]
        {
            View("critics", CriticsFeatures, f => new[] { (float)f.Numbers[0] }),
            View("audience", AudienceFeatures, f => new[] { Log(f.Numbers[1]) }),
            View("box-office", BoxOfficeFeatures, f => new[] { Log(f.Numbers[2]), Log(f.Numbers[3]), Log(f.Numbers[4]) }),
            View("content", content, f => new[] { (float)f.Numbers[5] }
                .Concat(levels[0].Select(l => l == f.Categories[0] ? 1f : 0f))
                .Concat(levels[1].Select(l => l == f.Categories[1] ? 1f : 0f)).ToArray()),
        };
        return MultiViewDataset.Regression("movies", views, films.Select(f => (float)f.Numbers[6]).ToArray());
    }

    /// <summary>Shuffled 60/20/20 train/validation/test split of the complete films with <paramref name="splitSeed"/>.</summary>
    /// <exception cref="FileNotFoundException">The file has not been fetched; the message says how to fetch it.</exception>
    public static DataSplit Load(string directory, int splitSeed)
    {
        var path = Path.Combine(directory, DataFile);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Movies data not found at {path}. Fetch it once with: bash samples/data/fetch-vega-datasets.sh", path);
        }

        return SplitMaker.ThreeWay(FromJson(File.ReadAllText(path)), 0.6, 0.2, 0.2, splitSeed);
    }
}
