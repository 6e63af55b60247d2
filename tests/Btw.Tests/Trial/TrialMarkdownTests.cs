using Xunit;

namespace Btw.Tests.Trial;

/// <summary>BtwTrialResult.ToMarkdown: the table's numbers and the sentence that explains the choice.</summary>
public class TrialMarkdownTests
{
    [Fact]
    public void The_table_shows_each_configuration_its_paired_interval_and_the_choice()
    {
        // Differences 0.03, 0.02, 0.02, 0.04, 0.01: mean 0.024, interval 0.024 -+ 0.0141571 (see PairedIntervalReferenceTests).
        var table = new LossTable([0.30, 0.32, 0.28, 0.31, 0.29], [("A", [0.27, 0.30, 0.26, 0.27, 0.28])]);

        var markdown = BtwTrial.Run(3, BtwTask.Classification, table.Loss, table.Options()).ToMarkdown();

        Assert.Equal(
            "| configuration | mean validation loss | Uniform - configuration (> 0: better) | 95% interval | qualifies |\n"
            + "|---|---:|---:|---|---|\n"
            + "| Uniform | 0.3 | (baseline) | | |\n"
            + "| A | 0.276 | +0.024 | [+0.009843, +0.03816] | yes |\n"
            + "\n"
            + "Chosen: **A**. Validation losses of 5 seeds (0 to 4), paired by seed; each interval is a two-sided Student-t interval "
            + "with 4 degrees of freedom at 95% = 1 - (1 - 95%) / 1 (Bonferroni over 1 candidate); a candidate qualifies when its "
            + "interval lies above 0.\n",
            markdown);
    }

    [Fact]
    public void With_two_candidates_and_none_qualifying_it_says_Uniform_was_kept()
    {
        var table = new LossTable([1.25, 1.5], [("A", [1.0, 1.125]), ("B", [1.75, 1.5625])]);

        var markdown = BtwTrial.Run(3, BtwTask.Classification, table.Loss, table.Options()).ToMarkdown();

        Assert.Contains("| 97.5% interval |", markdown, System.StringComparison.Ordinal);
        Assert.Contains("| B | 1.656 | -0.2812 | [", markdown, System.StringComparison.Ordinal);
        Assert.Contains("with 1 degree of freedom at 97.5% = 1 - (1 - 95%) / 2 (Bonferroni over 2 candidates)", markdown, System.StringComparison.Ordinal);
        Assert.EndsWith("No candidate qualified, so the choice is Uniform.\n", markdown, System.StringComparison.Ordinal);
    }
}
