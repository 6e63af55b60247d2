using System;
using Btw.Demo.Reporting;
using Xunit;

namespace Btw.Samples.Tests.Reporting;

/// <summary>
/// The live display's layout decision: every line fits the terminal (one column to spare), the bar never shrinks below
/// 10 characters, and the time columns go first when the terminal is narrow. Checked under tmux at 80, 120 and 200
/// columns as well (see samples/README.md).
/// </summary>
public class ProgressLayoutTests
{
    [Theory]
    [InlineData(80, 52, 12, false, true)]
    [InlineData(100, 68, 16, false, true)]
    [InlineData(120, 76, 19, true, true)]
    [InlineData(160, 108, 27, true, true)]
    [InlineData(200, 140, 35, true, true)]
    [InlineData(400, 335, 40, true, true)]
    public void The_line_fits_the_terminal_and_the_bar_keeps_its_width(int columns, int description, int bar, bool elapsed, bool remaining)
    {
        var layout = ProgressLayout.For(columns);
        Assert.Equal(new ProgressLayout(description, bar, elapsed, remaining), layout);
        Assert.Equal(columns - 1, layout.LineWidth);
    }

    [Theory]
    [InlineData(20)]
    [InlineData(40)]
    [InlineData(59)]
    [InlineData(79)]
    [InlineData(99)]
    public void Narrow_terminals_drop_the_time_columns_before_the_bar_shrinks_below_10(int columns)
    {
        var layout = ProgressLayout.For(columns);
        Assert.True(layout.BarWidth >= 10);
        Assert.True(layout.DescriptionWidth >= 20, $"description {layout.DescriptionWidth}");
        Assert.Equal(Math.Max(columns, ProgressLayout.MinimumWidth) - 1, layout.LineWidth);
        Assert.False(layout.ShowElapsed);
        Assert.Equal(columns > 60, layout.ShowRemaining);
    }

    [Fact]
    public void Descriptions_are_cut_to_the_column_with_an_ellipsis_and_the_compact_form_is_used_when_the_full_one_does_not_fit()
    {
        var layout = ProgressLayout.For(80);   // 52 characters of description
        var full = "epoch 12/15 loss 1.370 val accuracy 0.872 w m0-informative=1.42 m1-informative=1.20";
        var compact = "12/15 loss 1.370 val 0.872 w 1.42 1.20 0.83 0.55";
        Assert.Equal(compact, layout.Fit(full, compact));
        Assert.Equal("short", layout.Fit("short", compact));
        var cut = layout.Fit(full);
        Assert.Equal(52, cut.Length);
        Assert.EndsWith("…", cut, StringComparison.Ordinal);
        Assert.StartsWith(full[..51], cut, StringComparison.Ordinal);
        Assert.Equal(full, ProgressLayout.For(200).Fit(full, compact));
    }
}
