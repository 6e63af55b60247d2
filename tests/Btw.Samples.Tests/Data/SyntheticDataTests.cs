using System;
using System.Linq;
using Btw.Demo.Data;
using Btw.Demo.Metrics;
using Xunit;

namespace Btw.Samples.Tests.Data;

public class SyntheticDataTests
{
    [Fact]
    public void The_same_seed_gives_the_same_data_and_another_seed_does_not()
    {
        var a = SyntheticData.Generate(new SyntheticOptions { Rows = 200, Seed = 3 });
        var b = SyntheticData.Generate(new SyntheticOptions { Rows = 200, Seed = 3 });
        var c = SyntheticData.Generate(new SyntheticOptions { Rows = 200, Seed = 4 });

        Assert.Equal(a.Data.Labels, b.Data.Labels);
        Assert.Equal(a.Data.Views[3].Values, b.Data.Views[3].Values);
        Assert.NotEqual(a.Data.Views[0].Values, c.Data.Views[0].Values);
    }

    [Fact]
    public void Informative_views_carry_the_class_the_noise_view_does_not_and_corruption_hits_only_informative_views()
    {
        var options = new SyntheticOptions { Rows = 4000, Seed = 5, Corruption = 0.25 };
        var s = SyntheticData.Generate(options);

        // Nearest-class-mean accuracy of each view on its own (means fitted on the same rows: a diagnostic, not a benchmark).
        var accuracy = Enumerable.Range(0, 4).Select(v => NearestMeanAccuracy(s.Data, v)).ToArray();
        Assert.True(accuracy[0] > 0.6, $"informative view accuracy {accuracy[0]}");
        Assert.True(accuracy[1] > 0.6, $"informative view accuracy {accuracy[1]}");
        Assert.InRange(accuracy[2], 0.3, accuracy[0]);
        Assert.InRange(accuracy[3], 0.2, 0.31); // chance is 0.25 with 4 classes

        var corruptedShare = Enumerable.Range(0, 4).Select(m => Enumerable.Range(0, options.Rows).Count(r => s.Corrupted[r, m]) / (double)options.Rows).ToArray();
        Assert.InRange(corruptedShare[0], 0.22, 0.28);
        Assert.InRange(corruptedShare[1], 0.22, 0.28);
        Assert.Equal(0, corruptedShare[2]);
        Assert.Equal(0, corruptedShare[3]);
    }

    [Fact]
    public void Regression_targets_follow_the_latent_factor_and_the_noise_view_is_uncorrelated()
    {
        var s = SyntheticData.Generate(new SyntheticOptions { Task = BtwTask.Regression, Rows = 3000, Seed = 9, Corruption = 0 });
        var y = s.Data.Targets!.Select(t => (double)t).ToArray();
        var sd = Math.Sqrt(y.Average(v => v * v) - Math.Pow(y.Average(), 2));
        Assert.InRange(sd, 0.9, 1.1); // |b| = 1 and unit latent variance, plus 0.1 noise

        double MaxAbsCorrelation(int view) => Enumerable.Range(0, 8)
            .Max(c => Math.Abs(RegressionMetrics.Pearson(Enumerable.Range(0, y.Length).Select(r => (double)s.Data.Views[view].Row(r)[c]).ToArray(), y)));
        Assert.True(MaxAbsCorrelation(0) > 0.2);
        Assert.True(MaxAbsCorrelation(3) < 0.06);
    }

    [Fact]
    public void Parses_kind_lists_and_rejects_unknown_kinds()
    {
        Assert.Equal(new[] { SyntheticKind.Informative, SyntheticKind.Weak, SyntheticKind.Noise }, SyntheticData.ParseKinds("informative, w,N"));
        Assert.Throws<FormatException>(() => SyntheticData.ParseKinds("informative,loud"));
    }

    private static double NearestMeanAccuracy(MultiViewDataset data, int view)
    {
        var v = data.Views[view];
        var means = new double[data.Classes, v.Width];
        var counts = new int[data.Classes];
        for (var r = 0; r < data.Rows; r++)
        {
            counts[data.Labels![r]]++;
            for (var c = 0; c < v.Width; c++)
            {
                means[data.Labels[r], c] += v.Row(r)[c];
            }
        }

        var correct = 0;
        for (var r = 0; r < data.Rows; r++)
        {
            var best = Enumerable.Range(0, data.Classes).MinBy(k => Enumerable.Range(0, v.Width).Sum(c => Math.Pow(v.Row(r)[c] - means[k, c] / counts[k], 2)));
            correct += best == data.Labels![r] ? 1 : 0;
        }

        return (double)correct / data.Rows;
    }
}
