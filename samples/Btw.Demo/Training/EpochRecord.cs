using System.Collections.Generic;
using Btw.Demo.Metrics;

namespace Btw.Demo.Training;

/// <summary>
/// What one epoch of one run produced. <see cref="MeanWeights"/> and <see cref="MutualInformation"/> come from the
/// EndEpoch call at the end of this epoch: the weights it produced (used during the next epoch) and the MI measured
/// on this epoch's outputs.
/// </summary>
internal sealed record EpochRecord(
    int Epoch,
    double TrainLoss,
    MetricSet Validation,
    IReadOnlyList<double> MeanWeights,
    IReadOnlyList<double> MutualInformation,
    double Seconds)
{
    /// <summary>The BTW alpha used for this epoch's fold (changes only with an alpha step).</summary>
    public double Alpha { get; init; } = double.NaN;
}
