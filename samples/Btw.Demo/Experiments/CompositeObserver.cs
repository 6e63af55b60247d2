using System;
using System.Collections.Generic;
using Btw.Demo.Training;

namespace Btw.Demo.Experiments;

/// <summary>Forwards every notification to several observers, in order.</summary>
internal sealed class CompositeObserver : IRunObserver
{
    private readonly IReadOnlyList<IRunObserver> _observers;

    public CompositeObserver(params IRunObserver[] observers)
    {
        ArgumentNullException.ThrowIfNull(observers);
        _observers = observers;
    }

    public void RunStarted(RunSettings settings, int index, int total)
    {
        foreach (var o in _observers)
        {
            o.RunStarted(settings, index, total);
        }
    }

    public void EpochFinished(RunSettings settings, EpochRecord epoch)
    {
        foreach (var o in _observers)
        {
            o.EpochFinished(settings, epoch);
        }
    }

    public void RunFinished(RunResult result, int index, int total)
    {
        foreach (var o in _observers)
        {
            o.RunFinished(result, index, total);
        }
    }
}
