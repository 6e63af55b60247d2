using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Btw.Tests.Support;
using Xunit;

namespace Btw.Tests.Persistence;

/// <summary>
/// Save, load and continue gives bit-identical weights (and a byte-identical state) to an uninterrupted run, whether
/// the save happens at an epoch boundary or mid-epoch with pending observations.
/// </summary>
public sealed class PersistenceRoundTripTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("btw-roundtrip-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    public static TheoryData<BtwTask, BtwWeighting, int> Runs => new()
    {
        { BtwTask.Classification, BtwWeighting.KlMi, 0 },
        { BtwTask.Classification, BtwWeighting.Correlation, 0 },
        { BtwTask.Classification, BtwWeighting.Entropy, 0 },
        { BtwTask.Regression, BtwWeighting.Kl, 2 },
        { BtwTask.Regression, BtwWeighting.KlMi, 0 },
        { BtwTask.Regression, BtwWeighting.Mi, 1 },
    };

    private static List<List<SyntheticBatch>> Data(BtwTask task, int columns) =>
        SyntheticBatch.Epochs(seed: 17, epochs: 4, examples: 60, batchSize: 8, (rng, ids) => task == BtwTask.Classification
            ? SyntheticBatch.Classification(rng, ids, 3, 5, missingRate: 0.25)
            : SyntheticBatch.Regression(rng, ids, 3, columns, missingRate: 0.25));

    private static BtwOptions Options(BtwTask task, BtwWeighting weighting, int columns = 0) =>
        new() { Modalities = 3, Task = task, RegressionOutput = columns == 2 ? BtwRegressionOutput.MeanAndLogVariance : BtwRegressionOutput.Mean, Weighting = weighting, Alpha = 0.6, MinimumMiPairs = 8, NonFinite = BtwNonFinitePolicy.SkipRows };

    /// <summary>Runs every epoch; after <paramref name="stopEpoch"/> epochs and <paramref name="stopBatch"/> more batches, saves, loads and continues with the loaded weighter.</summary>
    private BtwWeighter Run(List<List<SyntheticBatch>> data, BtwOptions options, int stopEpoch, int stopBatch, List<BtwEpochReport> reports,
        Func<BtwWeighter, int, BtwEpochReport>? endEpoch = null)
    {
        var weighter = new BtwWeighter(options);
        for (var e = 0; e < data.Count; e++)
        {
            for (var b = 0; b < data[e].Count; b++)
            {
                if (e == stopEpoch && b == stopBatch)
                {
                    var path = Path.Combine(_folder, $"state-{e}-{b}.btw");
                    var pending = weighter.PendingObservations;
                    weighter.Save(path);
                    weighter.Dispose();
                    weighter = BtwWeighter.Load(path);
                    Assert.Equal(pending, weighter.PendingObservations);
                    Assert.Equal(e, weighter.CompletedEpochs);
                }

                data[e][b].ObserveInto(weighter);
            }

            reports.Add(endEpoch is null ? weighter.EndEpoch() : endEpoch(weighter, e));
        }

        return weighter;
    }

    [Theory]
    [MemberData(nameof(Runs))]
    public void Save_load_and_continue_equals_an_uninterrupted_run(BtwTask task, BtwWeighting weighting, int columns)
    {
        var data = Data(task, columns);
        var ids = data[0].SelectMany(b => b.Ids).Order().Append(99_999).ToArray();
        var straightReports = new List<BtwEpochReport>();
        using var straight = Run(data, Options(task, weighting, columns), stopEpoch: -1, stopBatch: -1, straightReports);
        var expected = StateSnapshot.Weights(straight, ids);
        var expectedState = StateSnapshot.Snapshot(straight);

        foreach (var (epoch, batch) in new[] { (2, 0), (1, 3), (3, 7) })
        {
            var reports = new List<BtwEpochReport>();
            using var resumed = Run(data, Options(task, weighting, columns), epoch, batch, reports);
            StateSnapshot.BitIdentical(expected, StateSnapshot.Weights(resumed, ids));
            Assert.Equal(expectedState, StateSnapshot.Snapshot(resumed));
            for (var e = 0; e < reports.Count; e++)
            {
                Assert.Equal(straightReports[e].ToTable(), reports[e].ToTable());
                Assert.Equal(straightReports[e].Modalities.Select(m => m.MutualInformation), reports[e].Modalities.Select(m => m.MutualInformation));
            }
        }
    }

    [Theory]
    [InlineData(BtwTask.Classification, BtwWeighting.KlMi)]
    [InlineData(BtwTask.Regression, BtwWeighting.Kl)]
    public void Save_load_and_continue_with_the_protocol_knobs_equals_an_uninterrupted_run(BtwTask task, BtwWeighting weighting)
    {
        var data = Data(task, 0);
        var ids = data[0].SelectMany(b => b.Ids).Order().ToArray();
        var shrinkage = weighting is BtwWeighting.Mi or BtwWeighting.KlMi or BtwWeighting.Correlation ? BtwShrinkage.EmpiricalBayes : BtwShrinkage.None;   // the other modes refuse it
        BtwOptions Knobs()
        {
            var o = Options(task, weighting);
            (o.WarmupEpochs, o.Strength, o.InstanceTerm, o.AlphaStep, o.AlphaMin, o.AlphaMax, o.UnseenWeights, o.Shrinkage) =
                (1, 0.5, BtwInstanceTerm.Agreement, 0.1, 0.2, 0.9, BtwUnseenWeights.FromOutputs, shrinkage);
            return o;
        }

        double[] losses = [1.0, 0.9, 0.95, 0.97];
        BtwEpochReport End(BtwWeighter w, int e) => w.EndEpoch(losses[e]);
        using var straight = Run(data, Knobs(), -1, -1, [], End);
        foreach (var (epoch, batch) in new[] { (2, 0), (3, 5) })
        {
            using var resumed = Run(data, Knobs(), epoch, batch, [], End);
            StateSnapshot.BitIdentical(StateSnapshot.Weights(straight, ids), StateSnapshot.Weights(resumed, ids));
            Assert.Equal(StateSnapshot.Snapshot(straight), StateSnapshot.Snapshot(resumed));
            Assert.Equal((straight.Alpha, straight.BestValidationLoss), (resumed.Alpha, resumed.BestValidationLoss));
            Assert.Equal(straight.MeanWeights, resumed.MeanWeights);
            var o = resumed.Options;
            Assert.Equal((1, 0.5, BtwInstanceTerm.Agreement, 0.1, 0.2, 0.9, BtwUnseenWeights.FromOutputs, shrinkage),
                (o.WarmupEpochs, o.Strength, o.InstanceTerm, o.AlphaStep, o.AlphaMin, o.AlphaMax, o.UnseenWeights, o.Shrinkage));
        }

        Assert.Equal(0.7, straight.Alpha, 12);   // 0.5, then down (0.9 < 1.0), up, up
    }

    [Fact]
    public void Saving_a_loaded_state_reproduces_the_file_byte_for_byte()
    {
        var data = Data(BtwTask.Classification, 0);
        var reports = new List<BtwEpochReport>();
        using var weighter = Run(data, Options(BtwTask.Classification, BtwWeighting.KlMi), -1, -1, reports);
        data[0][0].ObserveInto(weighter);
        var first = Path.Combine(_folder, "first.btw");
        var second = Path.Combine(_folder, "second.btw");
        weighter.Save(first);
        using var loaded = BtwWeighter.Load(first);
        loaded.Save(second);
        Assert.Equal(File.ReadAllBytes(first), File.ReadAllBytes(second));
        Assert.Equal(weighter.Count, loaded.Count);
        Assert.Equal(weighter.PendingObservations, loaded.PendingObservations);
        Assert.Equal(weighter.CompletedEpochs, loaded.CompletedEpochs);
        Assert.Equal(weighter.NormalizedMutualInformation, loaded.NormalizedMutualInformation);
        var o = loaded.Options;
        Assert.Equal((3, BtwTask.Classification, BtwWeighting.KlMi, 0.6, 8, BtwNonFinitePolicy.SkipRows),
            (o.Modalities, o.Task, o.Weighting, o.Alpha, o.MinimumMiPairs, o.NonFinite));
    }

    [Fact]
    public void The_file_starts_with_the_magic_and_version_and_ends_with_the_payload_checksum()
    {
        using var weighter = new BtwWeighter(new BtwOptions { Modalities = 2 });
        var path = Path.Combine(_folder, "format.btw");
        weighter.Save(path);
        var bytes = File.ReadAllBytes(path);
        Assert.Equal("BTWSTATE"u8.ToArray(), bytes[..8]);
        Assert.Equal(4u, BitConverter.ToUInt32(bytes, 8));
        var length = (int)BitConverter.ToUInt64(bytes, 12);
        Assert.Equal(bytes.Length, 20 + length + 32);
        Assert.Equal(System.Security.Cryptography.SHA256.HashData(bytes.AsSpan(20, length)), bytes[^32..]);
    }
}
