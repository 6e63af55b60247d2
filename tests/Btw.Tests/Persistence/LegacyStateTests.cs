using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Btw.Tests.Support;
using Xunit;

namespace Btw.Tests.Persistence;

/// <summary>
/// Checkpoints of format version 3, written by Btw 0.3.1 (tests/Btw.Tests/Data/state-v3, mid-epoch), load with
/// <see cref="BtwModalityStatistics.All"/> (what 0.3 estimated) and continue exactly like an uninterrupted run of the
/// current library: the same weights, reports and state, byte for byte.
/// </summary>
public sealed class LegacyStateTests
{
    public static TheoryData<string, BtwTask, BtwWeighting, int> Files => new()
    {
        { "classification-correlation-epoch2-batch3.btw", BtwTask.Classification, BtwWeighting.Correlation, 0 },
        { "regression-kl-epoch2-batch3.btw", BtwTask.Regression, BtwWeighting.Kl, 2 },
    };

    // The data and options the files were written with (see the folder's README.md).
    private static List<List<SyntheticBatch>> Data(BtwTask task, int columns) =>
        SyntheticBatch.Epochs(seed: 17, epochs: 4, examples: 60, batchSize: 8, (rng, ids) => task == BtwTask.Classification
            ? SyntheticBatch.Classification(rng, ids, 3, 5, missingRate: 0.25)
            : SyntheticBatch.Regression(rng, ids, 3, columns, missingRate: 0.25));

    private static BtwOptions Options(BtwTask task, BtwWeighting weighting, int columns) => new()
    {
        Modalities = 3, Task = task, RegressionOutput = columns == 2 ? BtwRegressionOutput.MeanAndLogVariance : BtwRegressionOutput.Mean,
        Weighting = weighting, Alpha = 0.6, MinimumMiPairs = 8, NonFinite = BtwNonFinitePolicy.SkipRows, ModalityStatistics = BtwModalityStatistics.All,
    };

    [Theory]
    [MemberData(nameof(Files))]
    public void A_version_3_checkpoint_loads_with_every_statistic_and_continues_like_an_uninterrupted_run(string file, BtwTask task, BtwWeighting weighting, int columns)
    {
        var bytes = File.ReadAllBytes(Path.Combine(RepositoryFiles.Root(), "tests", "Btw.Tests", "Data", "state-v3", file));
        Assert.Equal(3u, BitConverter.ToUInt32(bytes, 8));
        var data = Data(task, columns);
        var ids = data[0].SelectMany(b => b.Ids).Order().ToArray();

        using var straight = new BtwWeighter(Options(task, weighting, columns));
        using var loaded = BtwWeighter.FromBytes(bytes);
        Assert.Equal(BtwModalityStatistics.All, loaded.Options.ModalityStatistics);
        Assert.Equal((2, weighting, task), (loaded.CompletedEpochs, loaded.Options.Weighting, loaded.Options.Task));
        var straightReports = new List<BtwEpochReport>();
        var loadedReports = new List<BtwEpochReport>();
        for (var e = 0; e < data.Count; e++)
        {
            for (var b = 0; b < data[e].Count; b++)
            {
                data[e][b].ObserveInto(straight);
                if (e == 2 && b == 2)
                {
                    // The moment the file was saved: the same state (written now as version 4).
                    Assert.Equal(StateSnapshot.Snapshot(straight), StateSnapshot.Snapshot(loaded));
                }

                if (e > 2 || (e == 2 && b >= 3))
                {
                    data[e][b].ObserveInto(loaded);
                }
            }

            straightReports.Add(straight.EndEpoch());
            if (e >= 2)
            {
                loadedReports.Add(loaded.EndEpoch());
            }
        }

        StateSnapshot.BitIdentical(StateSnapshot.Weights(straight, ids), StateSnapshot.Weights(loaded, ids));
        Assert.Equal(StateSnapshot.Snapshot(straight), StateSnapshot.Snapshot(loaded));
        Assert.Equal(straightReports.Skip(2).Select(r => r.ToTable()), loadedReports.Select(r => r.ToTable()));
        Assert.All(loadedReports.SelectMany(r => r.Modalities), m => Assert.True(m.MutualInformationEstimated && m.CorrelationEstimated));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void A_version_3_file_relabelled_version_4_is_rejected(string file, BtwTask task, BtwWeighting weighting, int columns)
    {
        // The version is outside the checksum: a version-3 payload read as version 4 takes its epoch count for the setting
        // and everything after it four bytes late, which the reader must refuse rather than load.
        _ = (task, weighting, columns);
        var bytes = File.ReadAllBytes(Path.Combine(RepositoryFiles.Root(), "tests", "Btw.Tests", "Data", "state-v3", file));
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), 4);
        Assert.Throws<InvalidDataException>(() => BtwWeighter.FromBytes(bytes));
    }

    [Theory]
    [InlineData(BtwTask.Classification, BtwWeighting.KlMi, 0.0)]
    [InlineData(BtwTask.Regression, BtwWeighting.Kl, 0.0)]
    [InlineData(BtwTask.Classification, BtwWeighting.Mi, 0.1)]
    public void A_version_4_file_relabelled_version_3_is_rejected(BtwTask task, BtwWeighting weighting, double alphaStep)
    {
        // The reverse: the setting's four bytes are read as the epoch count and the rest four bytes early.
        foreach (var statistics in Enum.GetValues<BtwModalityStatistics>())
        {
            var columns = task == BtwTask.Regression ? 2 : 0;
            var options = Options(task, weighting, columns);
            options.ModalityStatistics = statistics;
            options.AlphaStep = alphaStep;
            using var weighter = new BtwWeighter(options);
            foreach (var epoch in Data(task, columns).Take(2))
            {
                foreach (var batch in epoch)
                {
                    batch.ObserveInto(weighter);
                }

                weighter.EndEpoch(0.5);
            }

            var bytes = weighter.ToBytes();
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), 3);
            Assert.Throws<InvalidDataException>(() => BtwWeighter.FromBytes(bytes));
        }
    }

    [Fact]
    public void Loading_with_Used_stops_estimating_what_the_weighting_does_not_use_and_keeps_the_weights()
    {
        var path = Path.Combine(RepositoryFiles.Root(), "tests", "Btw.Tests", "Data", "state-v3", "regression-kl-epoch2-batch3.btw");
        var data = Data(BtwTask.Regression, 2);
        var ids = data[0].SelectMany(b => b.Ids).Order().ToArray();
        using var asSaved = BtwWeighter.Load(path);
        using var used = BtwWeighter.Load(path, BtwModalityStatistics.Used);
        Assert.Equal((BtwModalityStatistics.All, BtwModalityStatistics.Used), (asSaved.Options.ModalityStatistics, used.Options.ModalityStatistics));
        Assert.Equal(asSaved.PendingObservations, used.PendingObservations);
        for (var b = 3; b < data[2].Count; b++)
        {
            data[2][b].ObserveInto(asSaved);
            data[2][b].ObserveInto(used);
        }

        var all = asSaved.EndEpoch();
        var cheap = used.EndEpoch();
        StateSnapshot.BitIdentical(StateSnapshot.Weights(asSaved, ids), StateSnapshot.Weights(used, ids));
        Assert.Equal(all.Modalities.Select(m => m.MeanWeight), cheap.Modalities.Select(m => m.MeanWeight));
        Assert.All(all.Modalities, m => Assert.True(m.MutualInformationEstimated));
        Assert.All(cheap.Modalities, m => Assert.Equal((false, BtwUniformReason.NotEstimated), (m.MutualInformationEstimated, m.NeutralReason)));
        Assert.Throws<ArgumentOutOfRangeException>(() => BtwWeighter.Load(path, (BtwModalityStatistics)9));
    }

    [Fact]
    public void A_version_4_file_cut_to_the_version_3_layout_loads_as_All()
    {
        // The setting is the last option field (4 bytes): dropping it and writing version 3 gives the file 0.3 wrote.
        using var weighter = new BtwWeighter(new BtwOptions { Modalities = 2, Weighting = BtwWeighting.Kl, ModalityStatistics = BtwModalityStatistics.All });
        var v4 = weighter.ToBytes();
        using var options = new MemoryStream();
        using (var w = new BinaryWriter(options, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            global::Btw.Persistence.OptionFields.Write(w, weighter.Options);
        }

        var optionBytes = (int)options.Length;
        var payload = v4.Skip(20).Take(v4.Length - 20 - 32).ToArray();
        var v3Payload = payload.Take(optionBytes - 4).Concat(payload.Skip(optionBytes)).ToArray();
        var v3 = global::Btw.Persistence.StateFile.Create(w => w.Write(v3Payload));
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(v3.AsSpan(8), 3);
        using var loaded = BtwWeighter.FromBytes(v3);
        Assert.Equal(BtwModalityStatistics.All, loaded.Options.ModalityStatistics);
        Assert.Equal(v4, loaded.ToBytes());
    }
}
