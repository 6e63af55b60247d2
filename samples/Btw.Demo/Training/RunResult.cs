using System.Collections.Generic;
using Btw.Demo.Metrics;

namespace Btw.Demo.Training;

/// <summary>The outcome of one run: its epochs, the epoch picked on validation, and the test metrics of that epoch's model.</summary>
internal sealed record RunResult(
    RunSettings Settings,
    IReadOnlyList<string> ViewNames,
    IReadOnlyList<EpochRecord> Epochs,
    int BestEpoch,
    MetricSet BestValidation,
    MetricSet Test,
    double Seconds);
