using System;
using System.Linq;
using Btw.Demo.Experiments;
using Btw.Demo.Metrics;
using Btw.Demo.Training;
using Xunit;

namespace Btw.Samples.Tests.Experiments;

public class GridTrialSelectionTests
{
    private static readonly int[] Seeds = { 1, 2, 3, 4, 5 };

    private static MetricSet Classification(double macroF1) => new(MetricSet.ClassificationNames, new[] { 0.5, macroF1, 0.5 });

    private static RunResult[] Runs(string label, params double[] validationF1) =>
        validationF1.Select((f, i) => GridSelectionTests.Run(label, Seeds[i], Classification(f), Classification(0.5))).ToArray();

    private static readonly RunSettings Template = new() { Dataset = "toy", Mode = BtwWeighting.Uniform, Seed = 1 };

    [Fact]
    public void A_consistent_gain_is_chosen_and_a_larger_but_noisy_mean_is_not()
    {
        var results = Runs("Uniform", 0.80, 0.80, 0.80, 0.80, 0.80)
            .Concat(Runs("Mi", 0.85, 0.86, 0.85, 0.86, 0.85))            // +0.054 every seed, sd 0.0055
            .Concat(Runs("KlMi+agree", 0.99, 0.70, 0.95, 0.72, 0.98))    // +0.068 on average, sd 0.14
            .ToArray();
        var configurations = BtwConfiguration.ParseList("Uniform,Mi,KlMi+agree");

        var trial = GridTrialSelection.Choose(results, 0, configurations, Seeds, 2, BtwTask.Classification, Template);

        Assert.Equal("Mi", trial.ChosenLabel);
        Assert.Equal(new[] { "Uniform", "Mi", "KlMi+agree" }, trial.Rows.Select(r => r.Label));
        Assert.Equal(1 - 0.854, trial.Rows[1].MeanLoss, 12);
        Assert.Equal(0.068, trial.Rows[2].Difference, 12);
        Assert.True(trial.Rows[1].Qualifies);
        Assert.False(trial.Rows[2].Qualifies);
        // The former rule (best mean validation) would have picked the noisy one.
        Assert.Equal("KlMi+agree", GridSelection.Choose(ValidationScores.From(results, 0), "macro_f1"));
    }

    [Fact]
    public void Without_a_qualifying_candidate_the_choice_is_Uniform()
    {
        var results = Runs("Uniform", 0.80, 0.81, 0.79, 0.80, 0.80).Concat(Runs("Mi", 0.82, 0.78, 0.81, 0.80, 0.82)).ToArray();

        var trial = GridTrialSelection.Choose(results, 0, BtwConfiguration.ParseList("Uniform,Mi"), Seeds, 2, BtwTask.Classification, Template);

        Assert.Equal("Uniform", trial.ChosenLabel);
    }

    [Fact]
    public void The_grid_needs_Uniform_consecutive_seeds_and_every_run()
    {
        var results = Runs("Uniform", 0.8, 0.8, 0.8, 0.8, 0.8).Concat(Runs("Mi", 0.8, 0.8, 0.8, 0.8)).ToArray();

        Assert.Throws<ArgumentException>(() => GridTrialSelection.Choose(results, 0, BtwConfiguration.ParseList("Mi,Kl"), Seeds, 2, BtwTask.Classification, Template));
        Assert.Throws<ArgumentException>(() => GridTrialSelection.Choose(results, 0, BtwConfiguration.ParseList("Uniform,Mi"), new[] { 1, 3 }, 2, BtwTask.Classification, Template));
        var missing = Assert.Throws<ArgumentException>(() => GridTrialSelection.Choose(results, 0, BtwConfiguration.ParseList("Uniform,Mi"), Seeds, 2, BtwTask.Classification, Template));
        Assert.Contains("Mi at seed 5", missing.Message, StringComparison.Ordinal);
    }
}
