using System.Collections.Generic;
using Btw.Demo.Statistics;

namespace Btw.Demo.Experiments;

/// <summary>One configuration (a mode, possibly with knobs; see <see cref="Training.BtwConfiguration"/>) at one drop rate, summarised over seeds.</summary>
internal sealed record ModeSummary(
    string Label,
    double DropRate,
    int Runs,
    IReadOnlyDictionary<string, (double Mean, double StdDev)> Test,
    IReadOnlyDictionary<string, PairedDifference>? VersusUniform,
    double MeanBestEpoch,
    IReadOnlyList<double> FinalMeanWeights,
    IReadOnlyList<double> FinalMutualInformation,
    double MeanSeconds);
