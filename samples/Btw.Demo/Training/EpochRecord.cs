using System.Collections.Generic;
using Btw.Demo.Metrics;

namespace Btw.Demo.Training;

/// <summary>What one epoch of one run produced.</summary>
internal sealed record EpochRecord(
    int Epoch,
    double TrainLoss,
    MetricSet Validation,
    IReadOnlyList<double> MeanWeights,
    IReadOnlyList<double> MutualInformation,
    double Seconds);
