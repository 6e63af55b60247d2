using System;
using System.IO;
using System.Linq;
using Btw.Demo.Data;
using Xunit;

namespace Btw.Samples.Tests.Data;

public class HeldOutDataTests
{
    [Fact]
    public void Digits_bundled_file_holds_1797_images_split_into_four_quadrant_views_with_the_known_first_image()
    {
        var table = CsvNumbers.ReadGzip(Path.Combine(DemoPaths.Discover().DataDirectory, "digits", DigitsData.DataFile));
        var data = DigitsData.FromTable(table);

        Assert.Equal(1797, data.Rows);
        Assert.Equal(new[] { "top-left", "top-right", "bottom-left", "bottom-right" }, data.ViewNames);
        Assert.All(data.Views, v => Assert.Equal(16, v.Width));
        Assert.Equal(new[] { 0f, 0f, 5f, 13f, 0f, 0f, 13f, 15f, 0f, 3f, 15f, 2f, 0f, 4f, 12f, 0f }, data.Views[0].Row(0).ToArray());
        Assert.Equal(new[] { 0f, 9f, 8f, 0f, 1f, 12f, 7f, 0f, 10f, 12f, 0f, 0f, 10f, 0f, 0f, 0f }, data.Views[3].Row(0).ToArray());
        Assert.Equal(0, data.Labels![0]);
        Assert.Equal(new[] { 178, 182, 177, 183, 181, 182, 181, 179, 174, 180 }, Enumerable.Range(0, 10).Select(c => data.Labels.Count(l => l == c)));
        // Every pixel lands in exactly one quadrant: the four views together hold each image's 64 values.
        Assert.Equal(table[5].Take(64).Sum(), data.Views.Sum(v => v.Row(5).ToArray().Sum()));
    }

    [Fact]
    public void Breast_cancer_bundled_file_holds_569_rows_in_mean_se_and_worst_views()
    {
        var dir = Path.Combine(DemoPaths.Discover().DataDirectory, "breast-cancer");
        var split = BreastCancerData.Load(dir, DatasetCatalog.SplitSeed);
        using var reader = new StreamReader(Path.Combine(dir, BreastCancerData.DataFile));
        var data = BreastCancerData.FromTable(CsvNumbers.Read(reader, "breast_cancer.csv", skipLines: 1));

        Assert.Equal(569, data.Rows);
        Assert.Equal(new[] { "mean", "se", "worst" }, data.ViewNames);
        Assert.Equal(new[] { 17.99f, 10.38f, 122.8f, 1001f }, data.Views[0].Row(0).ToArray().Take(4));
        Assert.Equal(new[] { 1.095f, 0.9053f, 8.589f, 153.4f }, data.Views[1].Row(0).ToArray().Take(4));
        var labels = data.Labels!;
        Assert.Equal(new[] { 212, 357 }, new[] { labels.Count(l => l == 0), labels.Count(l => l == 1) });
        Assert.Equal(569, split.Train.Rows + split.Validation.Rows + split.Test.Rows);
        Assert.Equal(new[] { "malignant", "benign" }, split.Test.ClassNames);
    }

    [Fact]
    public void Movies_keeps_only_complete_films_and_builds_four_views_with_one_hot_categories()
    {
        const string json = """
            [
              {"Title":"A","US Gross":100,"Worldwide Gross":300,"Production Budget":50,"Running Time min":90,"MPAA Rating":"R","Major Genre":"Drama","Rotten Tomatoes Rating":80,"IMDB Rating":7.5,"IMDB Votes":999},
              {"Title":"B","US Gross":0,"Worldwide Gross":0,"Production Budget":10,"Running Time min":100,"MPAA Rating":"PG","Major Genre":"Comedy","Rotten Tomatoes Rating":20,"IMDB Rating":4.0,"IMDB Votes":9},
              {"Title":"C","US Gross":1,"Worldwide Gross":1,"Production Budget":1,"Running Time min":null,"MPAA Rating":"R","Major Genre":"Drama","Rotten Tomatoes Rating":50,"IMDB Rating":5.0,"IMDB Votes":5}
            ]
            """;
        var data = MoviesData.FromJson(json);

        Assert.Equal(2, data.Rows);
        Assert.Equal(new[] { "critics", "audience", "box-office", "content" }, data.ViewNames);
        Assert.Equal(new[] { 7.5f, 4.0f }, data.Targets);
        Assert.Equal(80f, data.Views[0].Row(0)[0]);
        Assert.Equal((float)Math.Log(1000), data.Views[1].Row(0)[0], 5);
        Assert.Equal(new[] { 0f, 0f, (float)Math.Log(11) }, data.Views[2].Row(1).ToArray().Reverse());
        // content: running time, MPAA PG/R, genre Comedy/Drama (levels sorted)
        Assert.Equal(new[] { "running-time", "mpaa-PG", "mpaa-R", "genre-Comedy", "genre-Drama" }, data.Views[3].FeatureNames);
        Assert.Equal(new[] { 90f, 0f, 1f, 0f, 1f }, data.Views[3].Row(0).ToArray());
        Assert.Throws<FormatException>(() => MoviesData.FromJson("{}"));
        Assert.Throws<FormatException>(() => MoviesData.FromJson("[{\"Title\":\"x\"}]"));
    }

    [Fact]
    public void Digits_and_breast_cancer_reject_malformed_tables()
    {
        Assert.Throws<FormatException>(() => DigitsData.FromTable(new[] { new double[64] }));
        var badDigit = new double[65];
        badDigit[64] = 10;
        Assert.Throws<FormatException>(() => DigitsData.FromTable(new[] { badDigit }));
        var badClass = new double[31];
        badClass[30] = 2;
        Assert.Throws<FormatException>(() => BreastCancerData.FromTable(new[] { badClass }));
        Assert.Throws<FormatException>(() => CsvNumbers.Read(new StringReader("1,2\n3\n"), "x"));
    }
}
