using System;
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
}
