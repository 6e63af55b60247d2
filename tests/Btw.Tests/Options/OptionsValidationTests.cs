using System;
using System.IO;
using System.Linq;
using Btw.Tests.Persistence;
using Btw.Tests.Support;
using Xunit;

namespace Btw.Tests.Options;

/// <summary>Options out of range are rejected at construction with the setting's name, its value and the allowed range.</summary>
public class OptionsValidationTests
{
    public static TheoryData<string, object, string> OutOfRange => new()
    {
        { nameof(BtwOptions.Modalities), 0, "at least 1" },
        { nameof(BtwOptions.Modalities), -3, "at least 1" },
        { nameof(BtwOptions.Alpha), 0.0, "(0, 1]" },
        { nameof(BtwOptions.Alpha), -0.25, "(0, 1]" },
        { nameof(BtwOptions.Alpha), 1.0000001, "(0, 1]" },
        { nameof(BtwOptions.Alpha), double.NaN, "(0, 1]" },
        { nameof(BtwOptions.Alpha), double.PositiveInfinity, "(0, 1]" },
        { nameof(BtwOptions.Neighbors), 0, "at least 1" },
        { nameof(BtwOptions.Neighbors), -1, "at least 1" },
        { nameof(BtwOptions.Temperature), 0.0, "> 0" },
        { nameof(BtwOptions.Temperature), -1.0, "> 0" },
        { nameof(BtwOptions.Temperature), double.NaN, "> 0" },
        { nameof(BtwOptions.Temperature), double.PositiveInfinity, "> 0" },
        { nameof(BtwOptions.RegressionSigma), 0.0, "> 0" },
        { nameof(BtwOptions.RegressionSigma), -2.0, "> 0" },
        { nameof(BtwOptions.RegressionSigma), double.NaN, "> 0" },
        { nameof(BtwOptions.RegressionSigma), double.PositiveInfinity, "> 0" },
        { nameof(BtwOptions.MinimumMiPairs), 1, "at least 2" },
        { nameof(BtwOptions.MiEpsilon), 0.0, "> 0" },
        { nameof(BtwOptions.VarianceEpsilon), -1e-6, "> 0" },
        { nameof(BtwOptions.Task), (BtwTask)7, "a defined BtwTask" },
        { nameof(BtwOptions.Weighting), (BtwWeighting)42, "a defined BtwWeighting" },
        { nameof(BtwOptions.Scale), (BtwScale)(-1), "a defined BtwScale" },
        { nameof(BtwOptions.NonFinite), (BtwNonFinitePolicy)9, "a defined BtwNonFinitePolicy" },
        { nameof(BtwOptions.WarmupEpochs), -1, "at least 0" },
        { nameof(BtwOptions.Strength), -0.1, "[0, 1]" },
        { nameof(BtwOptions.Strength), 1.5, "[0, 1]" },
        { nameof(BtwOptions.Strength), double.NaN, "[0, 1]" },
        { nameof(BtwOptions.InstanceTerm), (BtwInstanceTerm)5, "a defined BtwInstanceTerm" },
        { nameof(BtwOptions.Shrinkage), (BtwShrinkage)2, "a defined BtwShrinkage" },
        { nameof(BtwOptions.AlphaStep), -0.05, ">= 0" },
        { nameof(BtwOptions.AlphaStep), double.PositiveInfinity, ">= 0" },
        { nameof(BtwOptions.UnseenWeights), (BtwUnseenWeights)3, "a defined BtwUnseenWeights" },
    };

    public static TheoryData<double, double, double, string, string> AlphaBoundsOutOfRange => new()
    {
        // Ranges, checked whatever AlphaStep is.
        { 0.0, 0.0, 1.0, nameof(BtwOptions.AlphaMin), "in (0, 1]" },
        { 0.1, 0.0, 1.0, nameof(BtwOptions.AlphaMin), "in (0, 1]" },
        { 0.0, 0.1, 1.2, nameof(BtwOptions.AlphaMax), "in (0, 1]" },
        { 0.1, 0.1, 1.2, nameof(BtwOptions.AlphaMax), "in (0, 1]" },
        { 0.0, 0.8, 0.7, nameof(BtwOptions.AlphaMin), "at most AlphaMax = 0.7" },
        { 0.1, 0.8, 0.7, nameof(BtwOptions.AlphaMin), "at most AlphaMax = 0.7" },

        // Bounds that do not contain alpha, when alpha moves.
        { 0.1, 0.6, 1.0, nameof(BtwOptions.AlphaMin), "at most Alpha = 0.5 when AlphaStep > 0" },
        { 0.1, 0.1, 0.4, nameof(BtwOptions.AlphaMax), "at least Alpha = 0.5 when AlphaStep > 0" },
    };

    [Theory]
    [MemberData(nameof(AlphaBoundsOutOfRange))]
    public void Alpha_bounds_out_of_range_are_rejected_whatever_the_step(double step, double min, double max, string setting, string range)
    {
        var options = new BtwOptions { Modalities = 2, Alpha = 0.5, AlphaStep = step, AlphaMin = min, AlphaMax = max };
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new BtwWeighter(options));
        Assert.Equal(setting, ex.ParamName);
        Assert.Contains($"BtwOptions.{setting} must be {range}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Alpha_bounds_that_do_not_contain_alpha_are_accepted_at_their_defaults_when_alpha_does_not_move()
    {
        // Alpha = 0.01 lies below the default AlphaMin 0.05; with AlphaStep = 0 the bounds are unused, so this is coherent.
        using var weighter = new BtwWeighter(new BtwOptions { Modalities = 2, Alpha = 0.01 });
        Assert.Equal(0.01, weighter.Alpha);
    }

    [Theory]
    [InlineData(BtwTask.Classification)]
    [InlineData(BtwTask.Regression)]
    public void Recommended_options_are_valid_and_name_the_task_and_modalities(BtwTask task)
    {
        var options = BtwOptions.Recommended(4, task);
        Assert.Equal((4, task), (options.Modalities, options.Task));
        using var weighter = new BtwWeighter(options);
        Assert.Equal(nameof(BtwOptions.Modalities), Assert.Throws<ArgumentOutOfRangeException>(() => BtwOptions.Recommended(0, task)).ParamName);
    }

    [Theory]
    [MemberData(nameof(OutOfRange))]
    public void A_setting_out_of_range_is_rejected_with_its_name_value_and_range(string setting, object value, string range)
    {
        var options = new BtwOptions { Modalities = 2 };
        typeof(BtwOptions).GetProperty(setting)!.SetValue(options, value);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new BtwWeighter(options));
        Assert.Equal(setting, ex.ParamName);
        Assert.Equal(value, ex.ActualValue);
        Assert.Contains($"BtwOptions.{setting} must be", ex.Message, StringComparison.Ordinal);
        Assert.Contains(range, ex.Message, StringComparison.Ordinal);
        Assert.Contains(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Null_options_are_rejected()
    {
        Assert.Equal("options", Assert.Throws<ArgumentNullException>(() => new BtwWeighter(null!)).ParamName);
    }

    [Fact]
    public void Boundary_values_are_accepted()
    {
        using var a = new BtwWeighter(new BtwOptions { Modalities = 1, Task = BtwTask.Regression, Alpha = 1.0, Neighbors = 1, MinimumMiPairs = 2 });
        using var b = new BtwWeighter(new BtwOptions { Modalities = 2, Alpha = double.Epsilon, Temperature = double.Epsilon });
        using var c = new BtwWeighter(new BtwOptions { Modalities = 2, Task = BtwTask.Regression, RegressionSigma = double.MaxValue, VarianceEpsilon = double.Epsilon });
        using var d = new BtwWeighter(new BtwOptions { Modalities = 2, Alpha = 0.5, AlphaStep = 0.5, AlphaMin = 0.5, AlphaMax = 0.5 });
        Assert.Equal(1.0, a.Options.Alpha);
        Assert.Equal(double.Epsilon, b.Options.Alpha);
        Assert.Equal(double.MaxValue, c.Options.RegressionSigma);
        Assert.Equal(0.5, d.Options.AlphaMax);
    }

    [Fact]
    public void The_weighter_keeps_its_own_copy_of_the_options()
    {
        var options = new BtwOptions { Modalities = 2, Alpha = 0.25 };
        using var weighter = new BtwWeighter(options);
        options.Alpha = 7;       // out of range, but the weighter does not see it
        options.Modalities = 0;
        Assert.Equal(0.25, weighter.Options.Alpha);
        Assert.Equal(2, weighter.Modalities);
        var copy = weighter.Options;
        copy.Alpha = 0.9;
        Assert.Equal(0.25, weighter.Options.Alpha);
    }

    [Fact]
    public void A_huge_neighbour_count_makes_the_mutual_information_undefined_rather_than_overflowing()
    {
        // Neighbors = int.MaxValue is in range; the pairs needed are then more than any epoch can have.
        using var weighter = new BtwWeighter(new BtwOptions { Modalities = 2, Task = BtwTask.Regression, Neighbors = int.MaxValue, MinimumMiPairs = 4, Weighting = BtwWeighting.Mi });
        SyntheticBatch.Regression(new Random(1), Enumerable.Range(0, 30).Select(i => (long)i).ToArray(), 2, 0).ObserveInto(weighter);
        var report = weighter.EndEpoch();
        Assert.All(report.Modalities, m => Assert.False(m.MutualInformationDefined));
        Assert.All(report.Modalities, m => Assert.Equal(0.5, m.NormalizedMutualInformation));
        Assert.All(StateSnapshot.Weights(weighter, [0, 1, 29]), w => Assert.Equal(1f, w));
    }

    [Fact]
    public void Options_saved_in_a_file_are_validated_on_load()
    {
        using var weighter = new BtwWeighter(new BtwOptions { Modalities = 2 });
        var bytes = StateSnapshot.Snapshot(weighter);
        // Alpha is the double at payload offset 12 (after Modalities, Task, Weighting); rewrite it to 3 and re-checksum.
        BitConverter.TryWriteBytes(bytes.AsSpan(20 + 12), 3.0);
        CorruptionMutationTests.Rehash(bytes);
        var ex = Assert.Throws<InvalidDataException>(() => BtwWeighter.FromBytes(bytes));
        Assert.Contains("Alpha", ex.Message, StringComparison.Ordinal);
    }
}
