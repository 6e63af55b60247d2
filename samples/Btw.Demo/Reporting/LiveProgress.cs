using System;
using System.Collections.Generic;
using Btw.Demo.Experiments;
using Btw.Demo.Training;
using Spectre.Console;

namespace Btw.Demo.Reporting;

/// <summary>A live Spectre.Console display: one bar for the whole experiment (run number, mode, seed, drop rate) and
/// one for the current run (epoch, training loss, validation metric and the current mean weight per modality), each
/// on one line that fits the terminal (<see cref="ProgressLayout"/>; descriptions are cut, not wrapped).</summary>
internal sealed class LiveProgress : IRunObserver
{
    private readonly ProgressTask _overall;
    private readonly ProgressTask _run;
    private readonly IReadOnlyList<string> _views;
    private readonly ProgressLayout _layout;

    private LiveProgress(ProgressContext context, int totalEpochs, IReadOnlyList<string> views, ProgressLayout layout)
    {
        _views = views;
        _layout = layout;
        _overall = context.AddTask("all runs", maxValue: totalEpochs);
        _run = context.AddTask("starting", maxValue: 1);
    }

    /// <summary>True when a live display makes sense: an interactive terminal, not CI, not asked to be plain.</summary>
    public static bool Supported(bool plainRequested) =>
        !plainRequested
        && !Console.IsOutputRedirected
        && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)
        && AnsiConsole.Profile.Capabilities.Interactive;

    /// <summary>Runs <paramref name="work"/> inside a live display.</summary>
    public static T Run<T>(int totalEpochs, IReadOnlyList<string> views, Func<IRunObserver, T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var layout = ProgressLayout.For(AnsiConsole.Profile.Width);
        var columns = new List<ProgressColumn>
        {
            new TaskDescriptionColumn { Alignment = Justify.Left },
            new ProgressBarColumn { Width = layout.BarWidth },
            new PercentageColumn(),
        };
        if (layout.ShowElapsed)
        {
            columns.Add(new ElapsedTimeColumn());
        }

        if (layout.ShowRemaining)
        {
            columns.Add(new RemainingTimeColumn());
        }

        return AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(columns.ToArray())
            .Start(context => work(new LiveProgress(context, totalEpochs, views, layout)));
    }

    public void RunStarted(RunSettings settings, int index, int total)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _overall.Description = Markup.Escape(_layout.Fit($"run {index}/{total}: {ProgressFormat.Run(settings)}"));
        _run.MaxValue = settings.Epochs;
        _run.Value = 0;
        _run.Description = Markup.Escape(_layout.Fit("starting"));
    }

    public void EpochFinished(RunSettings settings, EpochRecord epoch)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(epoch);
        _overall.Increment(1);
        _run.Value = epoch.Epoch;
        _run.Description = Markup.Escape(_layout.Fit(ProgressFormat.Epoch(settings, epoch, _views), ProgressFormat.EpochCompact(settings, epoch)));
    }

    public void RunFinished(RunResult result, int index, int total)
    {
    }
}
