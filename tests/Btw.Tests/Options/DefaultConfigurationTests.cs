using System;
using System.Linq;
using System.Reflection;
using Xunit;

namespace Btw.Tests.Options;

/// <summary>
/// One default story: options with nothing set but the modalities and the task are <see cref="BtwOptions.Recommended"/>,
/// setting by setting and byte for byte in a saved weighter; <see cref="BtwOptions.Paper"/> is the paper's faithful BTW.
/// </summary>
public class DefaultConfigurationTests
{
    private static readonly PropertyInfo[] Settings = typeof(BtwOptions)
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.CanRead && p.CanWrite)
        .ToArray();

    [Theory]
    [InlineData(BtwTask.Classification, 1)]
    [InlineData(BtwTask.Classification, 3)]
    [InlineData(BtwTask.Regression, 1)]
    [InlineData(BtwTask.Regression, 4)]
    public void Options_with_nothing_else_set_are_the_recommended_configuration(BtwTask task, int modalities)
    {
        // Fails as soon as Recommended chooses a setting that the defaults do not follow (or the other way round).
        var defaults = new BtwOptions { Modalities = modalities, Task = task };
        var recommended = BtwOptions.Recommended(modalities, task);
        Assert.True(Settings.Length >= 20, $"only {Settings.Length} public settings found");
        Assert.All(Settings, p => Assert.True(Equals(p.GetValue(defaults), p.GetValue(recommended)), $"{p.Name}: default {p.GetValue(defaults)}, Recommended {p.GetValue(recommended)}"));

        using var fromDefaults = new BtwWeighter(defaults);
        using var fromRecommended = new BtwWeighter(recommended);
        Assert.Equal(fromRecommended.ToBytes(), fromDefaults.ToBytes());
    }

    [Theory]
    [InlineData(BtwTask.Classification)]
    [InlineData(BtwTask.Regression)]
    public void The_defaults_are_the_safe_configuration(BtwTask task)
    {
        var options = new BtwOptions { Modalities = 2, Task = task };
        Assert.Equal(BtwWeighting.Uniform, options.Weighting);
        Assert.Equal(BtwUnseenWeights.ModalityMean, options.UnseenWeights);
        Assert.Equal(1.0, options.Strength);
    }

    [Fact]
    public void Unset_settings_follow_the_task_set_after_them_and_set_ones_stay()
    {
        var unset = new BtwOptions { Modalities = 2 };
        unset.Task = BtwTask.Regression;
        var recommended = BtwOptions.Recommended(2, BtwTask.Regression);
        Assert.Equal((recommended.Weighting, recommended.UnseenWeights), (unset.Weighting, unset.UnseenWeights));

        var set = new BtwOptions { Modalities = 2, Weighting = BtwWeighting.Mi, UnseenWeights = BtwUnseenWeights.Ones };
        set.Task = BtwTask.Regression;
        Assert.Equal((BtwWeighting.Mi, BtwUnseenWeights.Ones), (set.Weighting, set.UnseenWeights));
        var clone = set.Clone();
        clone.Task = BtwTask.Classification;
        Assert.Equal((BtwWeighting.Mi, BtwUnseenWeights.Ones), (clone.Weighting, clone.UnseenWeights));
    }

    [Theory]
    [InlineData(BtwTask.Classification, BtwWeighting.KlMi)]
    [InlineData(BtwTask.Regression, BtwWeighting.Kl)]
    public void Paper_is_the_papers_faithful_configuration(BtwTask task, BtwWeighting mode)
    {
        var paper = BtwOptions.Paper(3, task);
        Assert.Equal((3, task), (paper.Modalities, paper.Task));
        Assert.Equal(mode, paper.Weighting);
        Assert.Equal(1.0, paper.Strength);
        Assert.Equal(BtwInstanceTerm.Disagreement, paper.InstanceTerm);
        Assert.Equal(BtwUnseenWeights.Ones, paper.UnseenWeights);
        Assert.Equal(0.5, paper.Alpha);
        Assert.Equal(BtwShrinkage.None, paper.Shrinkage);
        Assert.Equal(0, paper.WarmupEpochs);
        Assert.Equal(0.0, paper.AlphaStep);

        // Every other setting at its default.
        var defaults = new BtwOptions { Modalities = 3, Task = task };
        Assert.All(
            Settings.Where(p => p.Name is not (nameof(BtwOptions.Weighting) or nameof(BtwOptions.UnseenWeights))),
            p => Assert.True(Equals(p.GetValue(defaults), p.GetValue(paper)), $"{p.Name}: default {p.GetValue(defaults)}, Paper {p.GetValue(paper)}"));
    }

    [Theory]
    [InlineData(BtwTask.Classification)]
    [InlineData(BtwTask.Regression)]
    public void Paper_and_Recommended_refuse_bad_arguments_naming_them(BtwTask task)
    {
        Assert.Equal(nameof(BtwOptions.Modalities), Assert.Throws<ArgumentOutOfRangeException>(() => BtwOptions.Paper(0, task)).ParamName);
        Assert.Equal(nameof(BtwOptions.Task), Assert.Throws<ArgumentOutOfRangeException>(() => BtwOptions.Paper(2, (BtwTask)9)).ParamName);
        Assert.Equal(nameof(BtwOptions.Task), Assert.Throws<ArgumentOutOfRangeException>(() => BtwOptions.Recommended(2, (BtwTask)9)).ParamName);
    }

    [Fact]
    public void A_mode_setting_under_the_unset_uniform_mode_is_refused_with_a_message_that_names_Paper()
    {
        // Strength used to act under the derived KlMi; under the safe default it would be ignored, so the message says
        // why the mode is Uniform and how to weight.
        var ex = Assert.Throws<ArgumentException>(() => new BtwWeighter(new BtwOptions { Modalities = 2, Strength = 0.5 }));
        Assert.Equal(nameof(BtwOptions.Strength), ex.ParamName);
        Assert.Contains("the default when Weighting is not set", ex.Message, StringComparison.Ordinal);
        Assert.Contains("BtwOptions.Paper", ex.Message, StringComparison.Ordinal);

        // Set explicitly, the mode is named alone.
        var explicitUniform = Assert.Throws<ArgumentException>(() => new BtwWeighter(new BtwOptions { Modalities = 2, Weighting = BtwWeighting.Uniform, Strength = 0.5 }));
        Assert.DoesNotContain("not set", explicitUniform.Message, StringComparison.Ordinal);

        using var weighting = new BtwWeighter(new BtwOptions { Modalities = 2, Weighting = BtwWeighting.KlMi, Strength = 0.5 });
        Assert.Equal(0.5, weighting.Options.Strength);
    }
}
