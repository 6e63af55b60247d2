using System;
using Btw.Demo.Metrics;
using Btw.Demo.Reporting;
using Btw.Demo.Training;
using Xunit;

namespace Btw.Samples.Tests.Reporting;

public class CorruptionDiagnosticsTests
{
    [Fact]
    public void Averages_final_weights_separately_over_clean_and_corrupted_present_rows()
    {
        // 4 rows x 2 views; view 0 corrupted in rows 1 and 3; row 3's view 0 is missing.
        var corrupted = new bool[4, 2] { { false, false }, { true, false }, { false, false }, { true, false } };
        var run = new RunResult(
            new RunSettings { Dataset = "synthetic", Mode = BtwWeighting.Kl, Seed = 1 },
            new[] { "a", "b" },
            Array.Empty<EpochRecord>(),
            1,
            MetricSet.Regression(new[] { 0.0 }, new[] { 0.0 }),
            MetricSet.Regression(new[] { 0.0 }, new[] { 0.0 }),
            0)
        {
            FinalTrainingWeights = new[] { 1.2f, 0.8f, 0.4f, 1.6f, 1.0f, 1.0f, 0f, 2f },
            TrainingPresent = new[] { true, true, true, true, true, true, false, true },
        };

        Assert.Equal((1.2 + 1.0) / 2, CorruptionDiagnostics.MeanWeight(run, corrupted, 0, wantCorrupted: false), 6);
        Assert.Equal(0.4, CorruptionDiagnostics.MeanWeight(run, corrupted, 0, wantCorrupted: true), 6);
        Assert.True(double.IsNaN(CorruptionDiagnostics.MeanWeight(run, corrupted, 1, wantCorrupted: true)));

        var table = CorruptionDiagnostics.Markdown(new[] { run }, corrupted);
        Assert.Contains("| 0 | Kl | 1.100 | 0.400 |", table, StringComparison.Ordinal);
        Assert.DoesNotContain("b clean", table, StringComparison.Ordinal);
    }
}
