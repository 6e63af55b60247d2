using System;
using Xunit;

namespace Btw.Tests.Options;

/// <summary>
/// A setting that the chosen task or mode ignores, set to a value other than its default, is refused when the weighter
/// is built, with a message naming the setting and what it applies to; the same setting where it applies, and coherent
/// settings (every preset), are accepted unchanged.
/// </summary>
public class IgnoredSettingTests
{
    public static TheoryData<string, Action<BtwOptions>, string> Ignored => new()
    {
        { nameof(BtwOptions.Temperature), o => { o.Task = BtwTask.Regression; o.Temperature = 2.0; }, "Regression" },
        { nameof(BtwOptions.RegressionSigma), o => o.RegressionSigma = 0.5, "Classification" },
        { nameof(BtwOptions.VarianceEpsilon), o => o.VarianceEpsilon = 1e-3, "Classification" },
        { nameof(BtwOptions.Neighbors), o => o.Neighbors = 5, "Classification" },
        { nameof(BtwOptions.InstanceTerm), o => { o.Weighting = BtwWeighting.Mi; o.InstanceTerm = BtwInstanceTerm.Agreement; }, "Mi" },
        { nameof(BtwOptions.InstanceTerm), o => { o.Weighting = BtwWeighting.Uniform; o.InstanceTerm = BtwInstanceTerm.Agreement; }, "Uniform" },
        { nameof(BtwOptions.InstanceTerm), o => { o.Weighting = BtwWeighting.Entropy; o.InstanceTerm = BtwInstanceTerm.Agreement; }, "Entropy" },
        { nameof(BtwOptions.InstanceTerm), o => { o.Weighting = BtwWeighting.Correlation; o.InstanceTerm = BtwInstanceTerm.Agreement; }, "Correlation" },
        { nameof(BtwOptions.Strength), o => { o.Weighting = BtwWeighting.Uniform; o.Strength = 0.5; }, "Uniform" },
        { nameof(BtwOptions.AlphaMin), o => o.AlphaMin = 0.1, "AlphaStep is 0" },
        { nameof(BtwOptions.AlphaMax), o => o.AlphaMax = 0.9, "AlphaStep is 0" },
    };

    public static TheoryData<Action<BtwOptions>> Coherent => new()
    {
        o => { o.Task = BtwTask.Classification; o.Temperature = 2.0; },
        o => { o.Task = BtwTask.Regression; o.RegressionSigma = 0.5; o.VarianceEpsilon = 1e-3; o.Neighbors = 5; },
        o => { o.Weighting = BtwWeighting.Kl; o.InstanceTerm = BtwInstanceTerm.Agreement; },
        o => { o.Weighting = BtwWeighting.KlMi; o.InstanceTerm = BtwInstanceTerm.Agreement; o.Strength = 0.25; },
        o => { o.Weighting = BtwWeighting.Mi; o.Strength = 0.5; },
        o => { o.Weighting = BtwWeighting.Uniform; o.Strength = 1.0; o.InstanceTerm = BtwInstanceTerm.Disagreement; },
        o => { o.AlphaStep = 0.1; o.AlphaMin = 0.1; o.AlphaMax = 0.9; },
        o => { o.Task = BtwTask.Regression; o.Temperature = 1.0; o.Weighting = BtwWeighting.Correlation; },
    };

    [Theory]
    [MemberData(nameof(Ignored))]
    public void A_setting_the_task_or_mode_ignores_is_refused_naming_it(string setting, Action<BtwOptions> set, string context)
    {
        var options = new BtwOptions { Modalities = 2 };
        set(options);
        var ex = Assert.Throws<ArgumentException>(() => new BtwWeighter(options));
        Assert.IsNotType<ArgumentOutOfRangeException>(ex);   // not a range problem: the value is fine where it applies
        Assert.Equal(setting, ex.ParamName);
        Assert.Contains($"BtwOptions.{setting} = ", ex.Message, StringComparison.Ordinal);
        Assert.Contains("would be ignored", ex.Message, StringComparison.Ordinal);
        Assert.Contains(context, ex.Message, StringComparison.Ordinal);

        // Validate says the same, so Recommended-style factories and loaders refuse it too.
        Assert.Equal(setting, Assert.Throws<ArgumentException>(options.Validate).ParamName);
    }

    [Theory]
    [MemberData(nameof(Coherent))]
    public void Coherent_settings_are_accepted_unchanged(Action<BtwOptions> set)
    {
        var options = new BtwOptions { Modalities = 3 };
        set(options);
        using var weighter = new BtwWeighter(options);
        var kept = weighter.Options;
        foreach (var property in typeof(BtwOptions).GetProperties())
        {
            Assert.Equal(property.GetValue(options), property.GetValue(kept));
        }
    }

    [Theory]
    [InlineData(BtwTask.Classification)]
    [InlineData(BtwTask.Regression)]
    public void Defaults_and_the_recommended_presets_construct(BtwTask task)
    {
        using var defaults = new BtwWeighter(new BtwOptions { Modalities = 2, Task = task });
        using var recommended = new BtwWeighter(BtwOptions.Recommended(2, task));
        foreach (var mode in Enum.GetValues<BtwWeighting>())
        {
            using var each = new BtwWeighter(new BtwOptions { Modalities = 2, Task = task, Weighting = mode });
        }
    }

    [Fact]
    public void A_range_is_checked_even_where_the_setting_is_ignored()
    {
        // Out of range beats ignored: the message is about the range whatever the task.
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new BtwWeighter(new BtwOptions { Modalities = 2, Task = BtwTask.Regression, Temperature = -1 }));
        Assert.Equal(nameof(BtwOptions.Temperature), ex.ParamName);
        ex = Assert.Throws<ArgumentOutOfRangeException>(() => new BtwWeighter(new BtwOptions { Modalities = 2, Neighbors = 0 }));
        Assert.Equal(nameof(BtwOptions.Neighbors), ex.ParamName);
    }
}
