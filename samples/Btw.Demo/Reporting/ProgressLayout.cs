using System;

namespace Btw.Demo.Reporting;

/// <summary>
/// How the live display fits a terminal of a given width: one line per task, never wrapped. The description column
/// gets what the fixed columns leave; the bar gets a fifth of the free width (10 to 40 characters); the time columns
/// go first when the terminal is narrow (elapsed below 100 columns, remaining below 60).
/// </summary>
/// <param name="DescriptionWidth">Characters of the description column (descriptions are cut to this).</param>
/// <param name="BarWidth">Characters of the progress bar.</param>
/// <param name="ShowElapsed">Whether the elapsed-time column is shown.</param>
/// <param name="ShowRemaining">Whether the remaining-time column is shown.</param>
internal sealed record ProgressLayout(int DescriptionWidth, int BarWidth, bool ShowElapsed, bool ShowRemaining)
{
    /// <summary>Width of the percentage column ("100%").</summary>
    public const int PercentWidth = 4;

    /// <summary>Width of a time column ("00:01:23").</summary>
    public const int TimeWidth = 8;

    /// <summary>Spaces between two columns.</summary>
    public const int Gap = 1;

    /// <summary>The narrowest terminal laid out; narrower ones are treated as this wide (and may wrap).</summary>
    public const int MinimumWidth = 40;

    /// <summary>Characters one line of the display takes, gaps included (one less than the terminal width).</summary>
    public int LineWidth =>
        DescriptionWidth + Gap + BarWidth + Gap + PercentWidth
        + (ShowElapsed ? Gap + TimeWidth : 0) + (ShowRemaining ? Gap + TimeWidth : 0);

    /// <summary>The layout for a terminal of <paramref name="terminalWidth"/> columns.</summary>
    public static ProgressLayout For(int terminalWidth)
    {
        // The last column stays free: some terminals wrap a line that fills it.
        var width = Math.Max(terminalWidth, MinimumWidth) - 1;
        var showRemaining = width >= 60;
        var showElapsed = width >= 100;
        var fixedWidth = Gap + Gap + PercentWidth + (showElapsed ? Gap + TimeWidth : 0) + (showRemaining ? Gap + TimeWidth : 0);
        var bar = Math.Clamp((width - fixedWidth) / 5, 10, 40);
        return new ProgressLayout(width - fixedWidth - bar, bar, showElapsed, showRemaining);
    }

    /// <summary>The full text when it fits the description width, else the compact one, cut if needed (see <see cref="Fit(string)"/>).</summary>
    public string Fit(string full, string compact)
    {
        ArgumentNullException.ThrowIfNull(full);
        return full.Length <= DescriptionWidth ? full : Fit(compact);
    }

    /// <summary>Cuts <paramref name="text"/> to the description width, ending in "…" when something was cut.</summary>
    public string Fit(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length <= DescriptionWidth ? text : string.Concat(text.AsSpan(0, DescriptionWidth - 1), "…");
    }
}
