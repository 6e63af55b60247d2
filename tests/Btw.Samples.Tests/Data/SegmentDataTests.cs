using System.IO;
using System.Linq;
using Btw.Demo.Data;
using Xunit;

namespace Btw.Samples.Tests.Data;

public class SegmentDataTests
{
    private static string Directory => Path.Combine(DemoPaths.Discover().DataDirectory, "segment");

    [Fact]
    public void The_bundled_files_hold_1500_and_810_rows_of_seven_classes_in_three_views()
    {
        var challenge = SegmentData.FromArff(ArffReader.Read(Path.Combine(Directory, SegmentData.ChallengeFile)));
        var test = SegmentData.FromArff(ArffReader.Read(Path.Combine(Directory, SegmentData.TestFile)));

        Assert.Equal(1500, challenge.Rows);
        Assert.Equal(810, test.Rows);
        Assert.Equal(new[] { "brickface", "sky", "foliage", "cement", "window", "path", "grass" }, challenge.ClassNames);
        Assert.Equal(new[] { "colour", "edge-texture", "position" }, challenge.ViewNames);
        Assert.Equal(new[] { 10, 6, 2 }, challenge.Views.Select(v => v.Width));
        Assert.Equal(18, challenge.Views.Sum(v => v.Width));
        Assert.DoesNotContain(challenge.Views, v => v.FeatureNames.Contains(SegmentData.ConstantColumn));
        // All 7 classes occur; the full UCI set has 330 of each, so challenge + test do too.
        var counts = challenge.Labels!.Concat(test.Labels!).GroupBy(l => l).Select(g => g.Count()).ToArray();
        Assert.Equal(7, counts.Length);
        Assert.All(counts, c => Assert.Equal(330, c));
    }

    [Fact]
    public void The_first_data_row_maps_to_the_right_views()
    {
        // segment-challenge.arff, first row:
        // 38,189,9,0,0,1,0.222222,6.22222,33.3185,29.0741,26.3333,35.2222,25.6667,-8.22222,18.4444,-10.2222,35.2222,0.271208,-2.04915,path
        var first = File.ReadLines(Path.Combine(Directory, SegmentData.ChallengeFile)).First(l => l.Length > 0 && char.IsDigit(l[0]));
        var values = first.Split(',');
        var data = SegmentData.FromArff(ArffReader.Read(Path.Combine(Directory, SegmentData.ChallengeFile)));

        Assert.Equal(float.Parse(values[0], System.Globalization.CultureInfo.InvariantCulture), data.Views[2].Row(0)[0]);
        Assert.Equal(float.Parse(values[1], System.Globalization.CultureInfo.InvariantCulture), data.Views[2].Row(0)[1]);
        Assert.Equal(float.Parse(values[3], System.Globalization.CultureInfo.InvariantCulture), data.Views[1].Row(0)[0]);
        Assert.Equal(float.Parse(values[9], System.Globalization.CultureInfo.InvariantCulture), data.Views[0].Row(0)[0]);
        Assert.Equal(float.Parse(values[18], System.Globalization.CultureInfo.InvariantCulture), data.Views[0].Row(0)[9]);
        Assert.Equal(data.ClassNames.ToList().IndexOf(values[19]), data.Labels![0]);
    }

    [Fact]
    public void The_fixed_split_is_stratified_disjoint_and_reproducible()
    {
        var a = SegmentData.Load(Directory, 11);
        var b = SegmentData.Load(Directory, 11);

        Assert.Equal(1500, a.Train.Rows + a.Validation.Rows);
        Assert.Equal(810, a.Test.Rows);
        Assert.Equal(a.Train.Labels, b.Train.Labels);
        Assert.Equal(a.Train.Views[0].Values, b.Train.Views[0].Values);
        var fraction = (double)a.Validation.Rows / 1500;
        Assert.InRange(fraction, 0.19, 0.21);
        // Per class, the validation share is the floor of 20% of that class's challenge rows.
        var all = SegmentData.FromArff(ArffReader.Read(Path.Combine(Directory, SegmentData.ChallengeFile)));
        for (var c = 0; c < 7; c++)
        {
            var total = all.Labels!.Count(l => l == c);
            Assert.Equal(total / 5, a.Validation.Labels!.Count(l => l == c));
        }
    }
}
