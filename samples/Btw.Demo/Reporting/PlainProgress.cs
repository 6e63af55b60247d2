using System;
using System.Collections.Generic;
using System.IO;
using Btw.Demo.Experiments;
using Btw.Demo.Training;

namespace Btw.Demo.Reporting;

/// <summary>Progress as plain lines (redirected output, CI=true, or --plain): a few epochs per run and each run's result.</summary>
internal sealed class PlainProgress : IRunObserver
{
    private readonly TextWriter _out;
    private readonly IReadOnlyList<string> _views;
    private int _index;
    private int _total;

    public PlainProgress(TextWriter output, IReadOnlyList<string> views)
    {
        _out = output;
        _views = views;
    }

    public void RunStarted(RunSettings settings, int index, int total)
    {
        _index = index;
        _total = total;
    }

    public void EpochFinished(RunSettings settings, EpochRecord epoch)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(epoch);
        var every = Math.Max(1, settings.Epochs / 5);
        if (epoch.Epoch % every == 0 || epoch.Epoch == 1)
        {
            _out.WriteLine($"[{_index}/{_total}] {ProgressFormat.Run(settings)} {ProgressFormat.Epoch(settings, epoch, _views)}");
        }
    }

    public void RunFinished(RunResult result, int index, int total)
    {
        ArgumentNullException.ThrowIfNull(result);
        _out.WriteLine($"[{index}/{total}] {ProgressFormat.Run(result.Settings)} done: {ProgressFormat.Finished(result)}");
        _out.Flush();
    }
}
