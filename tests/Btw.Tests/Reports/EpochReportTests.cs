using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Btw.Tests.Reliability;
using Btw.Tests.Support;
using Xunit;
using static TorchSharp.torch;

namespace Btw.Tests.Reports;

/// <summary>
/// What an epoch report says: why weights stayed uniform (warm-up, uniform settings, too few rows for the estimators,
/// a modality absent), column and scalar names that match the mode, and the scalars written to TensorBoard and read back
/// from the event file.
/// </summary>
public class EpochReportTests
{
    private const int M = 3;

    private static BtwEpochReport FoldOnce(BtwOptions options, int examples, double missingRate = 0.0, int seed = 5)
    {
        using var weighter = new BtwWeighter(options);
        return Fold(weighter, examples, missingRate, seed);
    }

    private static BtwEpochReport Fold(BtwWeighter weighter, int examples, double missingRate = 0.0, int seed = 5)
    {
        var rng = new Random(seed);
        using var scope = NewDisposeScope();
        SyntheticBatch.Classification(rng, Enumerable.Range(0, examples).Select(i => (long)i).ToArray(), M, 4, missingRate).ObserveInto(weighter);
        return weighter.EndEpoch();
    }

    [Fact]
    public void An_epoch_over_enough_rows_applies_the_weights_and_every_modality_is_estimated()
    {
        var report = FoldOnce(new BtwOptions { Modalities = M, Weighting = BtwWeighting.Mi }, 60);
        Assert.Equal(BtwUniformReason.None, report.UniformReason);
        Assert.False(report.TooFewRows);
        Assert.Equal(10, report.MinimumPairs);
        Assert.All(report.Modalities, m => Assert.Equal(BtwUniformReason.None, m.NeutralReason));
        Assert.DoesNotContain("warning", report.ToTable(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_epoch_folded_over_one_batch_of_eight_rows_says_so_and_its_weights_stay_uniform()
    {
        using var weighter = new BtwWeighter(new BtwOptions { Modalities = M, Weighting = BtwWeighting.Mi });
        var report = Fold(weighter, 8);
        Assert.True(report.TooFewRows);
        Assert.Equal(BtwUniformReason.TooFewPairs, report.UniformReason);
        Assert.All(report.Modalities, m => Assert.Equal(BtwUniformReason.TooFewPairs, m.NeutralReason));
        Assert.All(report.Modalities, m => Assert.Equal(1.0, m.MeanWeight, 6));
        var table = report.ToTable();
        Assert.Contains("warning: 8 examples folded; the modality-level statistics need at least 10 per modality (BtwOptions.MinimumMiPairs)", table, StringComparison.Ordinal);
        Assert.Contains("Call EndEpoch once per epoch", table, StringComparison.Ordinal);
        Assert.Contains("too few pairs (8 < 10): neutral share", table, StringComparison.Ordinal);
        using var scope = NewDisposeScope();
        Assert.All(weighter.WeightsFor(arange(0, 8, dtype: ScalarType.Int64)).data<float>().ToArray(), w => Assert.Equal(1f, w, 6));
    }

    [Fact]
    public void Regression_needs_more_pairs_than_neighbours()
    {
        using var weighter = new BtwWeighter(new BtwOptions { Modalities = M, Task = BtwTask.Regression, Weighting = BtwWeighting.Kl, Neighbors = 12, ModalityStatistics = BtwModalityStatistics.All });
        using var scope = NewDisposeScope();
        SyntheticBatch.Regression(new Random(1), Enumerable.Range(0, 12).Select(i => (long)i).ToArray(), M, 1).ObserveInto(weighter);
        var report = weighter.EndEpoch();
        Assert.Equal(13, report.MinimumPairs);
        Assert.True(report.TooFewRows);
        Assert.All(report.Modalities, m => Assert.Equal(BtwUniformReason.TooFewPairs, m.NeutralReason));
        Assert.Equal(BtwUniformReason.None, report.UniformReason);   // Kl weights by the divergences, which need no pairs
    }

    [Fact]
    public void Warm_up_and_uniform_settings_are_named_as_the_reason()
    {
        Assert.Equal(BtwUniformReason.WarmUp, FoldOnce(new BtwOptions { Modalities = M, Weighting = BtwWeighting.KlMi, WarmupEpochs = 1 }, 40).UniformReason);
        Assert.Equal(BtwUniformReason.UniformSettings, FoldOnce(new BtwOptions { Modalities = M, Weighting = BtwWeighting.Uniform }, 40).UniformReason);
        Assert.Equal(BtwUniformReason.UniformSettings, FoldOnce(new BtwOptions { Modalities = M, Weighting = BtwWeighting.KlMi, Strength = 0 }, 40).UniformReason);
        Assert.Contains("(warm-up: weights unchanged)", FoldOnce(new BtwOptions { Modalities = M, Weighting = BtwWeighting.KlMi, WarmupEpochs = 1 }, 40).ToTable(), StringComparison.Ordinal);
        Assert.Contains("(uniform settings: weights stay uniform)", FoldOnce(new BtwOptions { Modalities = M, Weighting = BtwWeighting.Uniform }, 40).ToTable(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_modality_absent_from_the_epoch_is_reported_as_not_present()
    {
        using var weighter = new BtwWeighter(new BtwOptions { Modalities = M, Weighting = BtwWeighting.KlMi, MinimumMiPairs = 4 });
        using var scope = NewDisposeScope();
        var batch = SyntheticBatch.Classification(new Random(9), Enumerable.Range(0, 30).Select(i => (long)i).ToArray(), M, 4);
        for (var i = 0; i < batch.Rows; i++)
        {
            batch.Present[(i * M) + 2] = false;
        }

        batch.ObserveInto(weighter);
        var report = weighter.EndEpoch();
        Assert.Equal(BtwUniformReason.NotPresent, report.Modalities[2].NeutralReason);
        Assert.Equal(0, report.Modalities[2].Present);
        Assert.Equal(BtwUniformReason.None, report.Modalities[0].NeutralReason);
        Assert.Equal(BtwUniformReason.None, report.UniformReason);
        Assert.Contains("not present: neutral share", report.ToTable(), StringComparison.Ordinal);
    }

    [Fact]
    public void Column_and_scalar_names_match_the_mode()
    {
        var correlation = FoldOnce(new BtwOptions { Modalities = M, Weighting = BtwWeighting.Correlation }, 60);
        var header = correlation.ToTable().Split('\n')[1];
        Assert.StartsWith("modality   corr     corr se   corr share   MI (nats)", header, StringComparison.Ordinal);
        Assert.DoesNotContain("MI share", correlation.ToTable(), StringComparison.Ordinal);
        var scalars = correlation.ToScalars().ToDictionary(kv => kv.Key, kv => kv.Value);
        Assert.Equal(correlation.Modalities[1].NormalizedCorrelation, scalars["btw/m1/correlation_share"]);
        Assert.DoesNotContain("btw/m1/mutual_information_share", scalars.Keys);
        Assert.Equal(1.0, correlation.Modalities.Sum(m => m.NormalizedCorrelation), 9);

        var mi = FoldOnce(new BtwOptions { Modalities = M, Weighting = BtwWeighting.Mi }, 60);
        Assert.StartsWith("modality   MI (nats)   MI se    MI share   corr", mi.ToTable().Split('\n')[1], StringComparison.Ordinal);
        Assert.Equal(mi.Modalities[1].NormalizedMutualInformation, mi.ToScalars().Single(kv => kv.Key == "btw/m1/mutual_information_share").Value);
    }

    [Fact]
    public void The_scalars_carry_every_value_of_the_report_under_the_given_names()
    {
        var report = FoldOnce(new BtwOptions { Modalities = M, Weighting = BtwWeighting.KlMi, ModalityStatistics = BtwModalityStatistics.All }, 60, missingRate: 0.2);
        var scalars = report.ToScalars("run1", ["image", "text", "audio"]);
        var byTag = scalars.ToDictionary(kv => kv.Key, kv => kv.Value);
        Assert.Equal(4 + (M * 8), scalars.Count);
        Assert.Equal(report.Alpha, byTag["run1/alpha"]);
        Assert.Equal(60, byTag["run1/observed"]);
        Assert.Equal(0, byTag["run1/skipped"]);
        Assert.Equal(1, byTag["run1/weighted"]);
        var text = report.Modalities[1];
        Assert.Equal(text.MeanWeight, byTag["run1/text/weight_mean"]);
        Assert.Equal(text.WeightStdDev, byTag["run1/text/weight_sd"]);
        Assert.Equal(text.MutualInformation, byTag["run1/text/mutual_information_nats"]);
        Assert.Equal(text.MutualInformationStandardError, byTag["run1/text/mutual_information_se_nats"]);
        Assert.True(text.MutualInformationStandardError > 0, "the MI of a present modality has a standard error");
        Assert.Equal(text.Correlation, byTag["run1/text/correlation"]);
        Assert.Equal(text.CorrelationStandardError, byTag["run1/text/correlation_se"]);
        Assert.Equal(text.Present, byTag["run1/text/present"]);
        Assert.True(text.Present is > 30 and < 60, $"present {text.Present} of 60 with 20 % missing");
        Assert.Throws<ArgumentException>(() => report.ToScalars("btw", ["one"]));
        Assert.Throws<ArgumentException>(() => report.ToScalars(""));
    }

    [Fact]
    public void A_validation_loss_is_a_scalar_too()
    {
        using var weighter = new BtwWeighter(new BtwOptions { Modalities = M });
        using var scope = NewDisposeScope();
        SyntheticBatch.Classification(new Random(2), Enumerable.Range(0, 20).Select(i => (long)i).ToArray(), M, 4).ObserveInto(weighter);
        var report = weighter.EndEpoch(0.75);
        Assert.Equal(0.75, report.ToScalars().Single(kv => kv.Key == "btw/validation_loss").Value);
    }

    [Fact]
    public void Reports_written_to_TorchSharps_SummaryWriter_read_back_from_the_event_file()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"btw-tb-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            var writer = utils.tensorboard.SummaryWriter(folder);
            using var weighter = new BtwWeighter(new BtwOptions { Modalities = M, Weighting = BtwWeighting.Correlation });
            var reports = new List<BtwEpochReport>();
            for (var epoch = 0; epoch < 3; epoch++)
            {
                var report = Fold(weighter, 40, missingRate: 0.1, seed: 20 + epoch);
                report.WriteTo(writer);
                reports.Add(report);
            }

            var read = TensorBoardEvents.ReadFolder(folder);
            var expected = reports.SelectMany(r => r.ToScalars().Select(kv => new TensorBoardScalar(kv.Key, r.Epoch, (float)kv.Value))).ToList();
            Assert.Equal(expected, read);
            Assert.Contains(read, s => s.Tag == "btw/m2/correlation_share" && s.Step == 3);
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    [Fact]
    public void The_event_reader_rejects_a_corrupted_record()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"btw-tb-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            var writer = utils.tensorboard.SummaryWriter(folder);
            writer.add_scalar("a/b", 1.5f, 7);
            var file = Directory.GetFiles(folder).Single();
            var bytes = File.ReadAllBytes(file);
            Assert.Equal(new TensorBoardScalar("a/b", 7, 1.5f), TensorBoardEvents.Read(bytes).Single());
            bytes[^6] ^= 0x40;   // inside the last record's payload
            Assert.Throws<InvalidDataException>(() => TensorBoardEvents.Read(bytes));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
