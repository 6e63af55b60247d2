using System;
using System.Linq;
using Btw.Demo.Training;
using Xunit;

namespace Btw.Samples.Tests.Training;

public class BtwConfigurationTests
{
    [Theory]
    [InlineData("Mi+shrink", BtwWeighting.Mi, 1.0)]
    [InlineData("KlMi+s0.5+shrink", BtwWeighting.KlMi, 0.5)]
    [InlineData("Correlation+SHRINK", BtwWeighting.Correlation, 1.0)]
    public void The_shrink_token_sets_empirical_Bayes_shrinkage_and_round_trips(string label, BtwWeighting mode, double strength)
    {
        var config = BtwConfiguration.Parse(label);
        Assert.Equal((mode, strength, BtwShrinkage.EmpiricalBayes), (config.Mode, config.Strength, config.Shrinkage));
        Assert.False(config.IsFaithful);
        Assert.Equal(label.Replace("SHRINK", "shrink", StringComparison.Ordinal), config.Label);
        Assert.Equal(config, BtwConfiguration.Parse(config.Label));
        var options = config.ToOptions(3, BtwTask.Classification, 0.5, EvaluationWeights.ModalityMean);
        Assert.Equal(BtwShrinkage.EmpiricalBayes, options.Shrinkage);
    }

    [Fact]
    public void Without_the_token_there_is_no_shrinkage_and_a_mode_alone_stays_faithful()
    {
        var config = BtwConfiguration.Parse("KlMi");
        Assert.True(config.IsFaithful);
        Assert.Equal(BtwShrinkage.None, config.ToOptions(2, BtwTask.Regression, 0.5, EvaluationWeights.Ones).Shrinkage);
    }

    [Theory]
    [InlineData("Mi+mm")]
    [InlineData("Correlation+shrink+mm")]
    [InlineData("KlMi+agree+s0.5+w5+step0.1+fo")]
    [InlineData("Kl+ones")]
    public void FromOptions_inverts_ToOptions_with_the_unseen_weights_as_the_evaluation_rule(string label)
    {
        var config = BtwConfiguration.Parse(label);
        var options = config.ToOptions(4, BtwTask.Regression, 0.3, EvaluationWeights.TrainingMean);

        var back = BtwConfiguration.FromOptions(options);

        Assert.Equal(config, back);
        Assert.Equal(label, back.Label);
        var again = back.ToOptions(4, BtwTask.Regression, 0.3, EvaluationWeights.TrainingMean);
        Assert.Equal((options.Weighting, options.Strength, options.WarmupEpochs, options.AlphaStep, options.InstanceTerm, options.Shrinkage, options.UnseenWeights, options.Alpha),
            (again.Weighting, again.Strength, again.WarmupEpochs, again.AlphaStep, again.InstanceTerm, again.Shrinkage, again.UnseenWeights, again.Alpha));
    }

    [Fact]
    public void FromOptions_maps_the_trials_default_candidates_and_Uniform()
    {
        var labels = BtwTrial.DefaultCandidates(3, BtwTask.Classification).Select(c => BtwConfiguration.FromOptions(c.Options).Label).ToArray();
        Assert.Contains("Correlation+shrink+mm", labels);
        Assert.Contains("Mi+mm", labels);

        // Uniform's weights are 1 on every row whatever the evaluation rule: it maps to the faithful Uniform (the baseline's label).
        var uniform = new BtwOptions { Modalities = 3, Task = BtwTask.Classification, Weighting = BtwWeighting.Uniform, UnseenWeights = BtwUnseenWeights.FromOutputs };
        Assert.Equal(BtwConfiguration.Faithful(BtwWeighting.Uniform), BtwConfiguration.FromOptions(uniform));
    }

    [Fact]
    public void FromOptions_refuses_a_setting_that_no_configuration_carries()
    {
        var options = new BtwOptions { Modalities = 2, Task = BtwTask.Classification, Weighting = BtwWeighting.Kl, Temperature = 3 };

        var error = Assert.Throws<ArgumentException>(() => BtwConfiguration.FromOptions(options));

        Assert.Contains("Temperature", error.Message, StringComparison.Ordinal);
        Assert.Equal("options", error.ParamName);
    }
}
