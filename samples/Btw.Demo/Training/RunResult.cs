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
    double Seconds)
{
    /// <summary>Each training row's stored BTW weights after the last epoch, row-major [rows * modalities] (the row index is its id).</summary>
    public float[] FinalTrainingWeights { get; init; } = System.Array.Empty<float>();

    /// <summary>Test metrics of each modality's own head at the selected epoch (the best single modality check).</summary>
    public IReadOnlyList<MetricSet> TestUnimodal { get; init; } = System.Array.Empty<MetricSet>();

    /// <summary>Each training row's presence mask, row-major [rows * modalities].</summary>
    public bool[] TrainingPresent { get; init; } = System.Array.Empty<bool>();
}
