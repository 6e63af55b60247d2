using System;
using System.Collections.Generic;
using Btw.Demo.Experiments;
using Btw.Demo.Training;
using Spectre.Console;

namespace Btw.Demo.Reporting;

/// <summary>A live Spectre.Console display: one bar for the whole experiment and one for the current run
/// (epoch, training loss, validation metric and the current mean weight per modality).</summary>
internal sealed class LiveProgress : IRunObserver
{
    private readonly ProgressTask _overall;
    private readonly ProgressTask _run;
    private readonly IReadOnlyList<string> _views;

    private LiveProgress(ProgressContext context, int totalEpochs, IReadOnlyList<string> views)
    {
        _views = views;
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
        return AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context => work(new LiveProgress(context, totalEpochs, views)));
    }

    public void RunStarted(RunSettings settings, int index, int total)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _overall.Description = Markup.Escape($"run {index}/{total}");
        _run.MaxValue = settings.Epochs;
        _run.Value = 0;
        _run.Description = Markup.Escape(ProgressFormat.Run(settings));
    }

    public void EpochFinished(RunSettings settings, EpochRecord epoch)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(epoch);
        _overall.Increment(1);
        _run.Value = epoch.Epoch;
        _run.Description = Markup.Escape($"{ProgressFormat.Run(settings)} {ProgressFormat.Epoch(settings, epoch, _views)}");
    }

    public void RunFinished(RunResult result, int index, int total)
    {
    }
}
