using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Btw.Tests.Support;
using Xunit;
using static TorchSharp.torch;

namespace Btw.Tests.Weighting;

/// <summary>
/// <see cref="BtwOptions.ModalityStatistics"/>: under <see cref="BtwModalityStatistics.Used"/> (the default) EndEpoch estimates
/// only the modality-level statistic the weighting uses, and the weights, the used statistic and its standard error are
/// the bits that <see cref="BtwModalityStatistics.All"/> gives; what is left out is reported as not estimated, not as 0.
/// </summary>
public sealed class ModalityStatisticsSettingTests
{
    private const int M = 3;

    public static TheoryData<BtwTask, BtwWeighting, BtwShrinkage, BtwUnseenWeights> Configurations()
    {
        var data = new TheoryData<BtwTask, BtwWeighting, BtwShrinkage, BtwUnseenWeights>();
        foreach (var task in new[] { BtwTask.Classification, BtwTask.Regression })
        {
            foreach (var weighting in Enum.GetValues<BtwWeighting>())
            {
                data.Add(task, weighting, BtwShrinkage.None, BtwUnseenWeights.FromOutputs);
                if (weighting is BtwWeighting.Mi or BtwWeighting.KlMi or BtwWeighting.Correlation)
                {
                    data.Add(task, weighting, BtwShrinkage.EmpiricalBayes, BtwUnseenWeights.ModalityMean);
                }
            }
        }

        return data;
    }

    private static List<List<SyntheticBatch>> Data(BtwTask task) =>
        SyntheticBatch.Epochs(seed: 23, epochs: 3, examples: 80, batchSize: 16, (rng, ids) => task == BtwTask.Classification
            ? SyntheticBatch.Classification(rng, ids, M, 4, missingRate: 0.2)
            : SyntheticBatch.Regression(rng, ids, M, 2, missingRate: 0.2));

    private static BtwOptions Options(BtwTask task, BtwWeighting weighting, BtwShrinkage shrinkage, BtwUnseenWeights unseen, BtwModalityStatistics statistics) => new()
    {
        Modalities = M,
        Task = task,
        RegressionOutput = task == BtwTask.Regression ? BtwRegressionOutput.MeanAndLogVariance : BtwRegressionOutput.Mean,
        Weighting = weighting,
        Shrinkage = shrinkage,
        UnseenWeights = unseen,
        MinimumMiPairs = 8,
        ModalityStatistics = statistics,
    };

    private static (BtwWeighter Weighter, List<BtwEpochReport> Reports) Run(List<List<SyntheticBatch>> data, BtwOptions options)
    {
        var weighter = new BtwWeighter(options);
        var reports = new List<BtwEpochReport>();
        foreach (var epoch in data)
        {
            foreach (var batch in epoch)
            {
                batch.ObserveInto(weighter);
            }

            reports.Add(weighter.EndEpoch());
        }

        return (weighter, reports);
    }

    private static bool UsesMi(BtwWeighting w) => w is BtwWeighting.Mi or BtwWeighting.KlMi;

    [Fact]
    public void Used_is_the_default_and_Recommended_and_Paper_keep_it()
    {
        Assert.Equal(BtwModalityStatistics.Used, new BtwOptions().ModalityStatistics);
        Assert.Equal(BtwModalityStatistics.Used, BtwOptions.Recommended(2, BtwTask.Regression).ModalityStatistics);
        Assert.Equal(BtwModalityStatistics.Used, BtwOptions.Paper(2, BtwTask.Classification).ModalityStatistics);
    }

    [Fact]
    public void An_undefined_value_is_refused_naming_the_setting()
    {
        var options = new BtwOptions { Modalities = 2, ModalityStatistics = (BtwModalityStatistics)7 };
        var ex = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);
        Assert.Equal(nameof(BtwOptions.ModalityStatistics), ex.ParamName);
        Assert.Contains("BtwModalityStatistics", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Used_gives_the_weights_and_the_used_statistic_of_All_bit_for_bit(BtwTask task, BtwWeighting weighting, BtwShrinkage shrinkage, BtwUnseenWeights unseen)
    {
        var data = Data(task);
        var ids = data[0].SelectMany(b => b.Ids).Order().Append(12_345).ToArray();
        var (used, usedReports) = Run(data, Options(task, weighting, shrinkage, unseen, BtwModalityStatistics.Used));
        var (all, allReports) = Run(data, Options(task, weighting, shrinkage, unseen, BtwModalityStatistics.All));
        using (used)
        using (all)
        {
            StateSnapshot.BitIdentical(StateSnapshot.Weights(all, ids), StateSnapshot.Weights(used, ids));
            Assert.Equal(all.MeanWeights, used.MeanWeights);
            using (var scope = NewDisposeScope())
            {
                var batch = data[0][1];
                var fromAll = all.WeightsFromOutputs(batch.UnimodalTensors(), batch.MultimodalTensor(), batch.PresentTensor()).data<float>().ToArray();
                var fromUsed = used.WeightsFromOutputs(batch.UnimodalTensors(), batch.MultimodalTensor(), batch.PresentTensor()).data<float>().ToArray();
                StateSnapshot.BitIdentical(fromAll, fromUsed);
            }

            for (var e = 0; e < data.Count; e++)
            {
                for (var j = 0; j < M; j++)
                {
                    var (u, a) = (usedReports[e].Modalities[j], allReports[e].Modalities[j]);
                    Assert.Equal((a.MeanWeight, a.WeightStdDev, a.Present, a.Observed), (u.MeanWeight, u.WeightStdDev, u.Present, u.Observed));
                    Assert.True(a.MutualInformationEstimated && a.CorrelationEstimated);
                    Assert.Equal(UsesMi(weighting), u.MutualInformationEstimated);
                    Assert.Equal(weighting == BtwWeighting.Correlation, u.CorrelationEstimated);
                    if (u.MutualInformationEstimated)
                    {
                        Assert.Equal((a.MutualInformation, a.MutualInformationStandardError, a.NormalizedMutualInformation, a.MutualInformationShrinkage, a.MutualInformationDefined),
                            (u.MutualInformation, u.MutualInformationStandardError, u.NormalizedMutualInformation, u.MutualInformationShrinkage, u.MutualInformationDefined));
                    }
                    else
                    {
                        Assert.Equal((0.0, 0.0, 1.0 / M, false), (u.MutualInformation, u.MutualInformationStandardError, u.NormalizedMutualInformation, u.MutualInformationDefined));
                    }

                    if (u.CorrelationEstimated)
                    {
                        Assert.Equal((a.Correlation, a.CorrelationStandardError, a.NormalizedCorrelation, a.CorrelationShrinkage),
                            (u.Correlation, u.CorrelationStandardError, u.NormalizedCorrelation, u.CorrelationShrinkage));
                    }
                    else
                    {
                        Assert.Equal((0.0, 0.0, 1.0 / M), (u.Correlation, u.CorrelationStandardError, u.NormalizedCorrelation));
                    }

                    // The reason behind the share: the used statistic's, or "not estimated" for a weighting that uses neither.
                    var expectedReason = UsesMi(weighting) || weighting == BtwWeighting.Correlation ? a.NeutralReason : BtwUniformReason.NotEstimated;
                    Assert.Equal(expectedReason, u.NeutralReason);
                }

                Assert.Equal(allReports[e].UniformReason, usedReports[e].UniformReason);
            }

            if (UsesMi(weighting))
            {
                Assert.Equal(all.NormalizedMutualInformation, used.NormalizedMutualInformation);
            }
            else
            {
                Assert.All(used.NormalizedMutualInformation, share => Assert.Equal(1.0 / M, share));
            }
        }
    }

    [Fact]
    public void The_table_and_the_scalars_say_what_was_not_estimated_instead_of_printing_zero()
    {
        var data = Data(BtwTask.Regression);
        var (kl, reports) = Run(data, Options(BtwTask.Regression, BtwWeighting.Kl, BtwShrinkage.None, BtwUnseenWeights.Ones, BtwModalityStatistics.Used));
        using (kl)
        {
            var report = reports[^1];
            var table = report.ToTable();
            var rows = table.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries).Skip(2).ToArray();
            Assert.Equal(M, rows.Length);
            Assert.All(rows, row => Assert.Contains("not est.", row, StringComparison.Ordinal));
            Assert.All(rows, row => Assert.Contains("not used by the weighting: not estimated", row, StringComparison.Ordinal));
            var tags = report.ToScalars().Select(kv => kv.Key).ToArray();
            Assert.DoesNotContain(tags, t => t.EndsWith("/mutual_information_nats", StringComparison.Ordinal) || t.EndsWith("/correlation", StringComparison.Ordinal)
                || t.EndsWith("_se_nats", StringComparison.Ordinal) || t.EndsWith("/correlation_se", StringComparison.Ordinal));
            Assert.Equal(4 + (M * 3), tags.Length);   // per modality: weight mean and sd, present (the share measures nothing: left out)
            Assert.DoesNotContain("btw/m2/mutual_information_share", tags);
            Assert.All(rows, row => Assert.Equal(["not", "est.", "-", "-", "-"], row.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..6]));   // MI, its se, its share, corr
        }

        var (correlation, correlationReports) = Run(data, Options(BtwTask.Regression, BtwWeighting.Correlation, BtwShrinkage.None, BtwUnseenWeights.Ones, BtwModalityStatistics.Used));
        using (correlation)
        {
            var scalars = correlationReports[^1].ToScalars().ToDictionary(kv => kv.Key, kv => kv.Value);
            Assert.Equal(correlationReports[^1].Modalities[1].Correlation, scalars["btw/m1/correlation"]);
            Assert.DoesNotContain("btw/m1/mutual_information_nats", scalars.Keys);
            Assert.Equal(correlationReports[^1].Modalities[1].NormalizedCorrelation, scalars["btw/m1/correlation_share"]);
            Assert.Contains("not est.", correlationReports[^1].ToTable(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Under_Correlation_a_constant_modality_is_neutral_for_its_correlation_not_its_mutual_information()
    {
        var ids = Enumerable.Range(0, 20).Select(i => (long)i).ToArray();
        var batch = SyntheticBatch.Regression(new Random(4), ids, M, 1);
        Array.Fill(batch.Unimodal[1], 0.5f);   // a constant side: no correlation (the MI of a constant is a defined 0)
        foreach (var statistics in Enum.GetValues<BtwModalityStatistics>())
        {
            using var weighter = new BtwWeighter(new BtwOptions { Modalities = M, Task = BtwTask.Regression, Weighting = BtwWeighting.Correlation, MinimumMiPairs = 4, ModalityStatistics = statistics });
            batch.ObserveInto(weighter);
            var report = weighter.EndEpoch();
            Assert.Equal(BtwUniformReason.NotFinite, report.Modalities[1].NeutralReason);
            Assert.Equal(1.0 / M, report.Modalities[1].NormalizedCorrelation, 15);
            Assert.Equal(BtwUniformReason.None, report.Modalities[0].NeutralReason);
            Assert.Equal(statistics == BtwModalityStatistics.All, report.Modalities[1].MutualInformationDefined);
        }
    }

    [Theory]
    [InlineData(BtwWeighting.KlMi, BtwModalityStatistics.Used)]
    [InlineData(BtwWeighting.Correlation, BtwModalityStatistics.Used)]
    [InlineData(BtwWeighting.Kl, BtwModalityStatistics.Used)]
    [InlineData(BtwWeighting.Kl, BtwModalityStatistics.All)]
    public void An_epoch_whose_every_row_was_skipped_reports_what_the_setting_estimates_as_undefined_not_as_left_out(BtwWeighting weighting, BtwModalityStatistics statistics)
    {
        var options = new BtwOptions { Modalities = M, Weighting = weighting, MinimumMiPairs = 4, NonFinite = BtwNonFinitePolicy.SkipRows, ModalityStatistics = statistics };
        using var weighter = new BtwWeighter(options);
        SyntheticBatch.Classification(new Random(1), Enumerable.Range(0, 12).Select(i => (long)i).ToArray(), M, 4).ObserveInto(weighter);
        weighter.EndEpoch();
        var bad = SyntheticBatch.Classification(new Random(2), [0, 5, 11], M, 4);
        Array.Fill(bad.Multimodal, float.NaN);
        bad.ObserveInto(weighter);
        var empty = weighter.EndEpoch();
        Assert.Equal((0, 3, BtwUniformReason.NothingObserved), (empty.Observed, empty.Skipped, empty.UniformReason));

        // The same flags as every other epoch of this weighter: All (or the weighting's own statistic) is asked for and
        // undefined here ("n/a", written as 0 as in 0.3), not "not estimated" by the setting.
        var mi = statistics == BtwModalityStatistics.All || weighting is BtwWeighting.Mi or BtwWeighting.KlMi;
        var correlation = statistics == BtwModalityStatistics.All || weighting == BtwWeighting.Correlation;
        Assert.All(empty.Modalities, m =>
        {
            Assert.Equal((mi, correlation), (m.MutualInformationEstimated, m.CorrelationEstimated));
            Assert.Equal((false, 0.0, 0.0, BtwUniformReason.NotPresent), (m.MutualInformationDefined, m.MutualInformation, m.Correlation, m.NeutralReason));
        });
        var lines = empty.ToTable().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("warning:", lines[1], StringComparison.Ordinal);   // TooFewRows: header, warning, column names, then M rows
        var rows = lines.Skip(3).ToArray();
        Assert.Equal(M, rows.Length);
        Assert.All(rows, row => Assert.Equal(mi, row.Contains("n/a", StringComparison.Ordinal)));
        Assert.All(rows, row => Assert.Equal(!mi, row.Contains("not est.", StringComparison.Ordinal)));
        var scalars = empty.ToScalars().ToDictionary(kv => kv.Key, kv => kv.Value);
        Assert.Equal(mi, scalars.ContainsKey("btw/m0/mutual_information_nats"));
        Assert.Equal(correlation, scalars.ContainsKey("btw/m0/correlation"));
    }

    [Fact]
    public void The_setting_is_saved_and_weighters_that_differ_in_it_can_merge()
    {
        var data = Data(BtwTask.Classification);
        var options = Options(BtwTask.Classification, BtwWeighting.KlMi, BtwShrinkage.None, BtwUnseenWeights.Ones, BtwModalityStatistics.All);
        using var weighter = new BtwWeighter(options);
        data[0][0].ObserveInto(weighter);
        using var loaded = BtwWeighter.FromBytes(weighter.ToBytes());
        Assert.Equal(BtwModalityStatistics.All, loaded.Options.ModalityStatistics);

        using var other = new BtwWeighter(Options(BtwTask.Classification, BtwWeighting.KlMi, BtwShrinkage.None, BtwUnseenWeights.Ones, BtwModalityStatistics.Used));
        data[0][1].ObserveInto(other);
        weighter.MergeObservations(other);
        Assert.Equal(data[0][0].Rows + data[0][1].Rows, weighter.PendingObservations);
    }
}
