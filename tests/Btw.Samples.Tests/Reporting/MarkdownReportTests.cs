using System;
using Btw.Demo;
using Btw.Demo.Reporting;
using Xunit;

namespace Btw.Samples.Tests.Reporting;

public class MarkdownReportTests
{
    [Fact]
    public void The_recorded_command_has_the_release_configuration_and_quotes_what_the_shell_would_split()
    {
        Assert.Equal("dotnet run --project samples/Btw.Demo -c Release", Program.CommandLine([]));
        Assert.Equal(
            "dotnet run --project samples/Btw.Demo -c Release -- -d synthetic --out 'my out' --synthetic-kinds 'it'\\''s'",
            Program.CommandLine(["-d", "synthetic", "--out", "my out", "--synthetic-kinds", "it's"]));
    }

    [Fact]
    public void The_reading_guide_names_each_table_and_the_direction_of_each_metric()
    {
        var guide = MarkdownReport.ReadingGuide(["accuracy", "mae"]);
        Assert.Contains("**Test metrics**", guide, StringComparison.Ordinal);
        Assert.Contains("**Paired difference to Uniform**", guide, StringComparison.Ordinal);
        Assert.Contains("excludes 0", guide, StringComparison.Ordinal);
        Assert.Contains("**Weights and mutual information**", guide, StringComparison.Ordinal);
        Assert.Contains("accuracy: higher is better; mae: lower is better", guide, StringComparison.Ordinal);
    }
}
