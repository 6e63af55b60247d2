using System;
using Xunit;

namespace Btw.Tests.Trial;

/// <summary>Bad input is refused before any run, with a message naming the argument or setting and what is expected.</summary>
public class TrialInputValidationTests
{
    private static int calls;

    private static double Loss(BtwOptions options, int seed)
    {
        calls++;
        return 1;
    }

    private static BtwTrialCandidate Candidate(string label, BtwWeighting weighting = BtwWeighting.Mi, int modalities = 3) =>
        new(label, new BtwOptions { Modalities = modalities, Weighting = weighting });

    private static T Refused<T>(Func<BtwTrialResult> run)
        where T : Exception
    {
        calls = 0;
        var ex = Assert.ThrowsAny<T>(() => run());
        Assert.Equal(0, calls);
        return ex;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-2)]
    public void Fewer_than_one_modality_is_refused(int modalities)
    {
        var ex = Refused<ArgumentOutOfRangeException>(() => BtwTrial.Run(modalities, BtwTask.Classification, Loss));
        Assert.Equal("modalities", ex.ParamName);
        Assert.Contains("at least 1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_undefined_task_is_refused()
    {
        var ex = Refused<ArgumentOutOfRangeException>(() => BtwTrial.Run(3, (BtwTask)7, Loss));
        Assert.Equal("task", ex.ParamName);
    }

    [Fact]
    public void A_null_callback_is_refused()
    {
        var ex = Refused<ArgumentNullException>(() => BtwTrial.Run(3, BtwTask.Classification, null!));
        Assert.Equal("validationLoss", ex.ParamName);
    }

    [Theory]
    [InlineData(1, "Seeds", "at least 2")]
    [InlineData(0, "Seeds", "at least 2")]
    public void Fewer_than_two_seeds_are_refused(int seeds, string name, string expected)
    {
        var ex = Refused<ArgumentOutOfRangeException>(() => BtwTrial.Run(3, BtwTask.Classification, Loss, new BtwTrialOptions { Seeds = seeds }));
        Assert.Equal(name, ex.ParamName);
        Assert.Contains("BtwTrialOptions.Seeds must be " + expected, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(-0.5)]
    [InlineData(double.NaN)]
    public void A_confidence_outside_0_1_is_refused(double confidence)
    {
        var ex = Refused<ArgumentOutOfRangeException>(() => BtwTrial.Run(3, BtwTask.Classification, Loss, new BtwTrialOptions { Confidence = confidence }));
        Assert.Equal("Confidence", ex.ParamName);
        Assert.Contains("in (0, 1)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Seeds_beyond_int_MaxValue_and_negative_seeds_are_refused()
    {
        var high = Refused<ArgumentOutOfRangeException>(() => BtwTrial.Run(3, BtwTask.Classification, Loss, new BtwTrialOptions { FirstSeed = int.MaxValue - 2 }));
        Assert.Equal("FirstSeed", high.ParamName);
        var negative = Refused<ArgumentOutOfRangeException>(() => BtwTrial.Run(3, BtwTask.Classification, Loss, new BtwTrialOptions { FirstSeed = -1 }));
        Assert.Equal("FirstSeed", negative.ParamName);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void A_bad_degree_of_parallelism_is_refused(int degree)
    {
        var ex = Refused<ArgumentOutOfRangeException>(() => BtwTrial.Run(3, BtwTask.Classification, Loss, new BtwTrialOptions { MaxDegreeOfParallelism = degree }));
        Assert.Equal("MaxDegreeOfParallelism", ex.ParamName);
    }

    [Fact]
    public void An_empty_candidate_list_is_refused()
    {
        var ex = Refused<ArgumentException>(() => BtwTrial.Run(3, BtwTask.Classification, Loss, new BtwTrialOptions { Candidates = [] }));
        Assert.Equal("Candidates", ex.ParamName);
        Assert.Contains("at least one candidate", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_labels_are_refused_naming_the_label()
    {
        var ex = Refused<ArgumentException>(() => BtwTrial.Run(3, BtwTask.Classification, Loss,
            new BtwTrialOptions { Candidates = [Candidate("mine"), Candidate("other", BtwWeighting.Kl), Candidate("mine", BtwWeighting.KlMi)] }));
        Assert.Contains("'mine' is used twice", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_label_Uniform_is_reserved_for_the_baseline()
    {
        var ex = Refused<ArgumentException>(() => BtwTrial.Run(3, BtwTask.Classification, Loss,
            new BtwTrialOptions { Candidates = [Candidate("Uniform", BtwWeighting.Uniform)] }));
        Assert.Contains("'Uniform' is reserved", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData(null)]
    public void An_empty_label_is_refused_naming_the_position(string? label)
    {
        var ex = Refused<ArgumentException>(() => BtwTrial.Run(3, BtwTask.Classification, Loss,
            new BtwTrialOptions { Candidates = [Candidate("ok"), Candidate(label!, BtwWeighting.Kl)] }));
        Assert.Contains("Candidates[1] has an empty label", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Null_candidates_and_null_options_are_refused()
    {
        var nullEntry = Refused<ArgumentException>(() => BtwTrial.Run(3, BtwTask.Classification, Loss, new BtwTrialOptions { Candidates = [null!] }));
        Assert.Contains("Candidates[0] is null", nullEntry.Message, StringComparison.Ordinal);
        var nullOptions = Refused<ArgumentException>(() => BtwTrial.Run(3, BtwTask.Classification, Loss,
            new BtwTrialOptions { Candidates = [new BtwTrialCandidate("empty", null!)] }));
        Assert.Contains("'empty' has no options", nullOptions.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_candidate_for_another_number_of_modalities_is_refused_not_rewritten()
    {
        var ex = Refused<ArgumentException>(() => BtwTrial.Run(3, BtwTask.Classification, Loss,
            new BtwTrialOptions { Candidates = [Candidate("four", modalities: 4)] }));
        Assert.Equal("options", ex.ParamName);
        Assert.Contains("Candidate 'four' has Modalities = 4, but the trial has 3 modalities", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_candidate_for_another_task_is_refused_not_rewritten()
    {
        var ex = Refused<ArgumentException>(() => BtwTrial.Run(3, BtwTask.Regression, Loss,
            new BtwTrialOptions { Candidates = [Candidate("classifier")] }));
        Assert.Equal("options", ex.ParamName);
        Assert.Contains("Candidate 'classifier' has Task = Classification, but the trial's task is Regression", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_candidate_with_invalid_settings_is_refused_naming_it_and_the_setting()
    {
        var bad = new BtwOptions { Modalities = 3, Weighting = BtwWeighting.Mi, Alpha = 0 };
        var ex = Refused<ArgumentException>(() => BtwTrial.Run(3, BtwTask.Classification, Loss,
            new BtwTrialOptions { Candidates = [Candidate("fine"), new BtwTrialCandidate("broken", bad)] }));
        Assert.Contains("Candidate 'broken' has invalid settings", ex.Message, StringComparison.Ordinal);
        Assert.Contains("BtwOptions.Alpha", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_accepts_the_defaults()
    {
        var options = new BtwTrialOptions();
        options.Validate();
        Assert.Equal((5, 0, 0.95, false, -1), (options.Seeds, options.FirstSeed, options.Confidence, options.RunInParallel, options.MaxDegreeOfParallelism));
        Assert.Null(options.Candidates);
        Assert.Null(options.Progress);
        Assert.False(options.CancellationToken.CanBeCanceled);
    }
}
