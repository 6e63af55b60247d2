using Btw.Demo.Training;

namespace Btw.Demo.Experiments;

/// <summary>Receives progress while an experiment runs (a console display, a TensorBoard writer, ...).</summary>
internal interface IRunObserver
{
    void RunStarted(RunSettings settings, int index, int total);

    void EpochFinished(RunSettings settings, EpochRecord epoch);

    void RunFinished(RunResult result, int index, int total);
}
