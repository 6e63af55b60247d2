using System;
using System.Linq;
using Btw.Demo.Experiments;
using Btw.Demo.Metrics;
using Btw.Demo.Training;
using Xunit;

namespace Btw.Samples.Tests.Experiments;

public class GridSelectionTests
{
    private static MetricSet Classification(double macroF1) => new(MetricSet.ClassificationNames, new[] { 0.5, macroF1, 0.5 });

    private static MetricSet Regression(double mae) => new(MetricSet.RegressionNames, new[] { mae, 1.0, 0.5 });

    internal static RunResult Run(string label, int seed, MetricSet validation, MetricSet test) =>
        new(new RunSettings { Dataset = "toy", Mode = BtwConfiguration.Parse(label).Mode, Configuration = BtwConfiguration.Parse(label), Seed = seed },
            new[] { "a", "b" },
            new[] { new EpochRecord(1, 0.5, validation, new[] { 1.0, 1.0 }, new[] { 0.1, 0.2 }, 0) },
            1,
            validation,
            test,
            0);

    [Fact]
    public void Picks_the_best_mean_validation_score_and_ignores_test()
    {
        // KlMi+agree has the best validation macro-F1 (mean 0.82) but the worst test; Mi the best test but a worse validation.
        var results = new[]
        {
            Run("Uniform", 1, Classification(0.80), Classification(0.80)),
            Run("Uniform", 2, Classification(0.80), Classification(0.80)),
            Run("Mi", 1, Classification(0.79), Classification(0.99)),
            Run("Mi", 2, Classification(0.81), Classification(0.99)),
            Run("KlMi+agree", 1, Classification(0.83), Classification(0.10)),
            Run("KlMi+agree", 2, Classification(0.81), Classification(0.10)),
        };

        var scores = ValidationScores.From(results, 0);

        Assert.Equal(new[] { "Uniform", "Mi", "KlMi+agree" }, scores.Select(s => s.Label));
        Assert.Equal(0.82, GridSelection.MeanScore(scores[2], "macro_f1"), 12);
        Assert.Equal("KlMi+agree", GridSelection.Choose(scores, "macro_f1"));
    }

    [Fact]
    public void Lower_is_better_for_mae_and_ties_go_to_the_earlier_candidate()
    {
        var scores = new[]
        {
            new ValidationScores("Uniform", new[] { Regression(44), Regression(46) }),
            new ValidationScores("KlMi+s0.5", new[] { Regression(45), Regression(45) }),
            new ValidationScores("Mi", new[] { Regression(43), Regression(48) }),
        };

        Assert.Equal("Uniform", GridSelection.Choose(scores, "mae")); // 45 = 45 > 45.5: the tie keeps the first
        Assert.Equal("KlMi+s0.5", GridSelection.Choose(scores.Skip(1).ToArray(), "mae"));
        Assert.Equal("KlMi+s0.5", GridSelection.Choose(scores.Skip(1).ToArray(), "rmse")); // rmse is 1 everywhere: the first wins
        Assert.Throws<ArgumentException>(() => GridSelection.Choose(Array.Empty<ValidationScores>(), "mae"));
    }

    [Fact]
    public void Configuration_labels_round_trip_and_bad_labels_name_the_problem()
    {
        foreach (var label in KnobGrid.All.Select(c => c.Label).Append("Recommended").Append("Kl+ones"))
        {
            Assert.Equal(label, BtwConfiguration.Parse(label).Label);
        }

        var c = BtwConfiguration.Parse("klmi+AGREE+s0.25+w5+step0.1+fo");
        Assert.Equal(BtwWeighting.KlMi, c.Mode);
        Assert.Equal(BtwInstanceTerm.Agreement, c.InstanceTerm);
        Assert.Equal(0.25, c.Strength);
        Assert.Equal(5, c.WarmupEpochs);
        Assert.Equal(0.1, c.AlphaStep);
        Assert.Equal(EvaluationWeights.FromOutputs, c.Evaluation);
        Assert.Equal("KlMi+agree+s0.25+w5+step0.1+fo", c.Label);
        Assert.True(BtwConfiguration.Parse("KlMi").IsFaithful);
        Assert.False(c.IsFaithful);
        Assert.Equal(KnobGrid.Fixed.Count + KnobGrid.Knobs.Count, KnobGrid.All.Select(x => x.Label).Distinct().Count());
        Assert.All(KnobGrid.Fixed, f => Assert.True(f.IsFaithful));
        Assert.Contains("unknown knob 'x1'", Assert.Throws<ArgumentException>(() => BtwConfiguration.Parse("KlMi+x1")).Message, StringComparison.Ordinal);
        Assert.Contains("unknown mode 'Best'", Assert.Throws<ArgumentException>(() => BtwConfiguration.Parse("Best")).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(BtwTask.Classification, "Uniform+mm")]
    [InlineData(BtwTask.Regression, "Uniform+mm")]
    public void Recommended_is_the_grid_configuration_chosen_on_validation(BtwTask task, string label)
    {
        var recommended = BtwOptions.Recommended(3, task);
        var grid = BtwConfiguration.Parse(label).ToOptions(3, task, alpha: 0.5, EvaluationWeights.TrainingMean);

        Assert.Equal(grid.Weighting, recommended.Weighting);
        Assert.Equal(grid.Strength, recommended.Strength);
        Assert.Equal(grid.InstanceTerm, recommended.InstanceTerm);
        Assert.Equal(grid.WarmupEpochs, recommended.WarmupEpochs);
        Assert.Equal(grid.AlphaStep, recommended.AlphaStep);
        Assert.Equal(grid.Alpha, recommended.Alpha);
        Assert.Equal(grid.UnseenWeights, recommended.UnseenWeights);
        Assert.Equal(EvaluationWeights.ModalityMean, BtwConfiguration.Recommended().EvaluationFor(recommended, EvaluationWeights.TrainingMean));
    }
}
