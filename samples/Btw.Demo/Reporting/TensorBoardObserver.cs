using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using Btw.Demo.Experiments;
using Btw.Demo.Training;
using TorchSharp;

namespace Btw.Demo.Reporting;

/// <summary>
/// Writes each run's scalars as TensorBoard event files (TorchSharp's SummaryWriter), one folder per run
/// (<c>tensorboard/MODE/dropP/seedS</c>): train/loss, validation/METRIC, weight/VIEW, mi/VIEW per epoch;
/// test/METRIC at the selected epoch. View with <c>tensorboard --logdir OUT/tensorboard</c>.
/// </summary>
internal sealed class TensorBoardObserver : IRunObserver
{
    private readonly string _root;
    private readonly IReadOnlyList<string> _views;
    private readonly Dictionary<string, TorchSharp.Modules.SummaryWriter> _writers = new();

    public TensorBoardObserver(string root, IReadOnlyList<string> views)
    {
        _root = root;
        _views = views;
    }

    public void RunStarted(RunSettings settings, int index, int total)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var dir = Path.Combine(_root, settings.Label, string.Create(CultureInfo.InvariantCulture, $"drop{settings.DropRate:0.##}"), string.Create(CultureInfo.InvariantCulture, $"seed{settings.Seed}"));
        _writers[settings.Key] = torch.utils.tensorboard.SummaryWriter(dir);
    }

    public void EpochFinished(RunSettings settings, EpochRecord epoch)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(epoch);
        var writer = _writers[settings.Key];
        writer.add_scalar("train/loss", (float)epoch.TrainLoss, epoch.Epoch);
        for (var i = 0; i < epoch.Validation.Names.Count; i++)
        {
            writer.add_scalar("validation/" + epoch.Validation.Names[i], (float)epoch.Validation.Values[i], epoch.Epoch);
        }

        for (var j = 0; j < _views.Count; j++)
        {
            writer.add_scalar("weight/" + _views[j], (float)epoch.MeanWeights[j], epoch.Epoch);
            writer.add_scalar("mi/" + _views[j], (float)epoch.MutualInformation[j], epoch.Epoch);
        }
    }

    public void RunFinished(RunResult result, int index, int total)
    {
        ArgumentNullException.ThrowIfNull(result);
        var writer = _writers[result.Settings.Key];
        for (var i = 0; i < result.Test.Names.Count; i++)
        {
            writer.add_scalar("test/" + result.Test.Names[i], (float)result.Test.Values[i], result.BestEpoch);
        }

        _writers.Remove(result.Settings.Key);
    }
}
