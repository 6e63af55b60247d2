using System;
using System.Collections.Generic;
using System.Linq;
using Btw.Tests.Support;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Btw.Tests.Weighting;

/// <summary>
/// A hand-checked three-modality classification example: modality 0 copies the multimodal prediction, modality 1
/// disagrees with it, modality 2 is missing for every third example. The weights after each EndEpoch are compared with
/// values computed here from the written-out formulas of the specification, for every mode, over two epochs, and with
/// the protocol's knobs (warm-up, strength, the agreement term, moving alpha).
/// </summary>
public partial class HandCheckedEndToEndTests
{
    private const int M = 3;
    private const int C = 4;
    private const double Alpha = 0.5;

    private sealed record Row(long Id, double[] Multi, double[][] Uni, bool[] Present);

    /// <summary>The protocol's knobs as the hand computation applies them; null alphas means <see cref="Alpha"/> in every epoch.</summary>
    private sealed record Knobs(double Strength = 1.0, bool Agreement = false, int Warmup = 0, double[]? Alphas = null);

    private static List<Row> Epoch(int seed, int count)
    {
        var rng = new Random(seed);
        double Logit() => (rng.NextDouble() * 6) - 3;
        var rows = new List<Row>();
        for (var i = 0; i < count; i++)
        {
            var multi = Enumerable.Range(0, C).Select(_ => Logit()).ToArray();
            var copy = (double[])multi.Clone();
            var disagree = multi.Select(v => -v + (0.5 * Logit())).ToArray();
            var third = Enumerable.Range(0, C).Select(_ => Logit()).ToArray();
            rows.Add(new Row(1000 + (7 * i), multi, [copy, disagree, third], [true, true, i % 3 != 0]));
        }

        return rows;
    }

    private static double[,] Expected(BtwWeighting mode, IReadOnlyList<List<Row>> epochs, IReadOnlyList<long> ids, int minimumPairs, Knobs? knobs = null)
    {
        knobs ??= new Knobs();
        var weights = new Dictionary<long, double[]>();
        for (var e = 0; e < epochs.Count; e++)
        {
            var epoch = epochs[e];
            var alpha = knobs.Alphas?[e] ?? Alpha;
            // Modality-level terms over present pairs.
            var ibar = new double[M];
            var cbar = new double[M];
            var mi = new double[M];
            var corr = new double[M];
            var defined = new bool[M];
            for (var m = 0; m < M; m++)
            {
                var rows = epoch.Where(r => r.Present[m]).ToList();
                defined[m] = rows.Count >= minimumPairs;
                mi[m] = HandMath.DiscreteMi(rows.Select(r => HandMath.ArgMax(r.Uni[m])).ToList(), rows.Select(r => HandMath.ArgMax(r.Multi)).ToList());
                var pu = rows.Select(r => HandMath.Softmax(r.Uni[m])[HandMath.ArgMax(r.Multi)]).ToArray();
                var pz = rows.Select(r => HandMath.Softmax(r.Multi).Max()).ToArray();
                corr[m] = Math.Max(0, MathNet.Numerics.Statistics.Correlation.Pearson(pu, pz));
            }

            var definedCount = defined.Count(d => d);
            var miTotal = Enumerable.Range(0, M).Where(m => defined[m]).Sum(m => Math.Max(mi[m], 1e-5));
            var corrTotal = Enumerable.Range(0, M).Where(m => defined[m]).Sum(m => Math.Max(corr[m], 1e-5));
            for (var m = 0; m < M; m++)
            {
                ibar[m] = defined[m] ? Math.Max(mi[m], 1e-5) / miTotal * definedCount / M : 1.0 / M;
                cbar[m] = defined[m] ? Math.Max(corr[m], 1e-5) / corrTotal * definedCount / M : 1.0 / M;
            }

            foreach (var r in epoch)
            {
                var present = Enumerable.Range(0, M).Where(m => r.Present[m]).ToArray();
                var pz = HandMath.Softmax(r.Multi);
                var d = r.Uni.Select(u => HandMath.Kl(HandMath.Softmax(u), pz)).Select(v => knobs.Agreement ? Math.Exp(-v) : v).ToArray();
                var conf = r.Uni.Select(u => Math.Log(C) + HandMath.Softmax(u).Sum(p => p * Math.Log(p))).ToArray();
                var dSum = present.Sum(m => d[m]);
                var confSum = present.Sum(m => conf[m]);
                var raw = new double[M];
                foreach (var m in present)
                {
                    var k = dSum > 0 ? d[m] / dSum : 1.0 / present.Length;
                    raw[m] = mode switch
                    {
                        BtwWeighting.Uniform => 1.0,
                        BtwWeighting.Kl => k,
                        BtwWeighting.Mi => ibar[m],
                        BtwWeighting.KlMi => k * ibar[m],
                        BtwWeighting.Entropy => confSum > 0 ? conf[m] / confSum : 1.0 / present.Length,
                        BtwWeighting.Correlation => cbar[m],
                        _ => throw new ArgumentOutOfRangeException(nameof(mode)),
                    };
                }

                var rawSum = present.Sum(m => raw[m]);
                var w = weights.TryGetValue(r.Id, out var old) ? old : [1.0, 1.0, 1.0];
                foreach (var m in present.Where(_ => e >= knobs.Warmup))
                {
                    var fresh = 1 + (knobs.Strength * ((raw[m] / rawSum * present.Length) - 1));
                    w[m] = (alpha * fresh) + ((1 - alpha) * w[m]);
                }

                weights[r.Id] = w;
            }
        }

        var result = new double[ids.Count, M];
        for (var i = 0; i < ids.Count; i++)
        {
            var w = weights.TryGetValue(ids[i], out var v) ? v : [1.0, 1.0, 1.0];
            for (var m = 0; m < M; m++)
            {
                result[i, m] = w[m];
            }
        }

        return result;
    }

    /// <summary>Inputs are passed as float32, so expectations are built from the same float32-rounded logits.</summary>
    private static List<Row> Rounded(List<Row> rows) => rows
        .Select(r => r with { Multi = r.Multi.Select(v => (double)(float)v).ToArray(), Uni = r.Uni.Select(u => u.Select(v => (double)(float)v).ToArray()).ToArray() })
        .ToList();

    private static void Observe(BtwWeighter weighter, IReadOnlyList<Row> rows, int batchSize)
    {
        for (var start = 0; start < rows.Count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var batch = rows.Skip(start).Take(batchSize).ToList();
            var (uni, multi, present) = Tensors(batch);
            weighter.Observe(tensor(batch.Select(r => r.Id).ToArray()), uni, multi, present);
        }
    }

    [Theory]
    [InlineData(BtwWeighting.Uniform)]
    [InlineData(BtwWeighting.Kl)]
    [InlineData(BtwWeighting.Mi)]
    [InlineData(BtwWeighting.KlMi)]
    [InlineData(BtwWeighting.Entropy)]
    [InlineData(BtwWeighting.Correlation)]
    public void Weights_after_each_epoch_equal_the_hand_computed_values(BtwWeighting mode)
    {
        var first = Rounded(Epoch(seed: 11, count: 12));
        var second = Rounded(Epoch(seed: 12, count: 12)).Take(8).ToList(); // ids 1000..1049 again; the last four not observed
        var ids = first.Select(r => r.Id).Append(5L).ToArray();              // 5 is never observed

        using var weighter = new BtwWeighter(new BtwOptions { Modalities = M, Task = BtwTask.Classification, Weighting = mode, Alpha = Alpha, MinimumMiPairs = 4, UnseenWeights = BtwUnseenWeights.Ones, ModalityStatistics = BtwModalityStatistics.All });
        Observe(weighter, first, batchSize: 5);
        var report1 = weighter.EndEpoch();
        AssertWeights(Expected(mode, [first], ids, 4), weighter, ids);

        Observe(weighter, second, batchSize: 3);
        var report2 = weighter.EndEpoch();
        AssertWeights(Expected(mode, [first, second], ids, 4), weighter, ids);

        Assert.Equal(1, report1.Epoch);
        Assert.Equal(2, report2.Epoch);
        Assert.Equal(12, report1.Observed);
        Assert.Equal([12, 12, 8], report1.Modalities.Select(m => m.Present));
        Assert.Equal([8, 8, 5], report2.Modalities.Select(m => m.Present));
        Assert.Equal(1.0, report1.Modalities.Sum(m => m.NormalizedMutualInformation), 12);

        // The copying modality's MI equals the entropy of the multimodal labels (the largest possible).
        var labels = first.Select(r => HandMath.ArgMax(r.Multi)).ToList();
        Assert.Equal(HandMath.DiscreteMi(labels, labels), report1.Modalities[0].MutualInformation, 12);
    }

    [Fact]
    public void KlMi_gives_the_copying_modality_zero_new_weight_so_it_halves_each_epoch()
    {
        var rows = Epoch(seed: 3, count: 9);
        using var weighter = new BtwWeighter(new BtwOptions { Modalities = M, Weighting = BtwWeighting.KlMi, MinimumMiPairs = 4 });
        Observe(weighter, rows, batchSize: 9);
        weighter.EndEpoch();
        Observe(weighter, rows, batchSize: 9);
        weighter.EndEpoch();
        Span<float> w = stackalloc float[M];
        foreach (var r in rows)
        {
            Assert.True(weighter.TryGetWeights(r.Id, w));
            Assert.Equal(0.25f, w[0], 6); // d = 0 for an exact copy: 1 -> 0.5 -> 0.25
        }
    }

    private static void AssertWeights(double[,] expected, BtwWeighter weighter, long[] ids)
    {
        using var scope = NewDisposeScope();
        var actual = weighter.WeightsFor(tensor(ids));
        Assert.Equal(ScalarType.Float32, actual.dtype);
        Assert.Equal(new long[] { ids.Length, M }, actual.shape);
        var values = actual.data<float>().ToArray();
        for (var i = 0; i < ids.Length; i++)
        {
            for (var m = 0; m < M; m++)
            {
                Assert.True(Math.Abs(expected[i, m] - values[(i * M) + m]) < 2e-6, $"id {ids[i]}, modality {m}: expected {expected[i, m]}, got {values[(i * M) + m]}");
            }
        }
    }
}
