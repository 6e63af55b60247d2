using System;
using System.Collections.Generic;
using System.Linq;
using static TorchSharp.torch;

namespace Btw.Tests.Support;

/// <summary>
/// One batch of model outputs kept as plain arrays, so that the same batch can be replayed (permuted, saved for later,
/// fed to two weighters) and turned into tensors inside whatever dispose scope is current.
/// </summary>
internal sealed class SyntheticBatch
{
    public SyntheticBatch(long[] ids, float[][] unimodal, float[] multimodal, bool[] present, long[] outputShape)
    {
        Ids = ids;
        Unimodal = unimodal;
        Multimodal = multimodal;
        Present = present;
        OutputShape = outputShape;
    }

    public long[] Ids { get; }

    /// <summary>Per modality, the row-major values of an output of <see cref="OutputShape"/>.</summary>
    public float[][] Unimodal { get; }

    public float[] Multimodal { get; }

    /// <summary>Row-major [B, M].</summary>
    public bool[] Present { get; }

    /// <summary>[B, C] for classification; [B], [B, 1] or [B, 2] for regression.</summary>
    public long[] OutputShape { get; }

    public int Rows => Ids.Length;

    public int Modalities => Unimodal.Length;

    public int Width => Rows == 0 ? 0 : Multimodal.Length / Rows;

    public Tensor IdTensor() => tensor(Ids);

    public Tensor PresentTensor() => tensor(Present, new long[] { Rows, Modalities });

    public List<Tensor> UnimodalTensors() => Unimodal.Select(u => tensor(u, OutputShape)).ToList();

    public Tensor MultimodalTensor() => tensor(Multimodal, OutputShape);

    /// <summary>Observes this batch (with its presence flags) inside a dispose scope of its own.</summary>
    public void ObserveInto(BtwWeighter weighter)
    {
        using var scope = NewDisposeScope();
        weighter.Observe(IdTensor(), UnimodalTensors(), MultimodalTensor(), PresentTensor());
    }

    /// <summary>The same examples in another row order: row i of the result is row <paramref name="order"/>[i] of this batch.</summary>
    public SyntheticBatch PermuteRows(int[] order)
    {
        var w = Width;
        float[] Reorder(float[] values) => order.SelectMany(r => values.AsSpan(r * w, w).ToArray()).ToArray();
        var m = Modalities;
        var shape = (long[])OutputShape.Clone();
        return new SyntheticBatch(
            order.Select(r => Ids[r]).ToArray(),
            Unimodal.Select(Reorder).ToArray(),
            Reorder(Multimodal),
            order.SelectMany(r => Present.AsSpan(r * m, m).ToArray()).ToArray(),
            shape);
    }

    /// <summary>The same examples with the modalities reordered: modality j of the result is modality <paramref name="order"/>[j] of this batch.</summary>
    public SyntheticBatch PermuteModalities(int[] order)
    {
        var m = Modalities;
        var present = new bool[Present.Length];
        for (var i = 0; i < Rows; i++)
        {
            for (var j = 0; j < m; j++)
            {
                present[(i * m) + j] = Present[(i * m) + order[j]];
            }
        }

        return new SyntheticBatch(Ids, order.Select(j => Unimodal[j]).ToArray(), Multimodal, present, OutputShape);
    }

    /// <summary>
    /// A classification batch: multimodal logits in [-3, 3]; modality m's logits are a mix of the multimodal ones and
    /// noise whose share grows with m, so the modalities differ in KL and MI. Each modality is missing with probability
    /// <paramref name="missingRate"/>, but every row keeps at least one.
    /// </summary>
    public static SyntheticBatch Classification(Random rng, long[] ids, int modalities, int classes, double missingRate = 0.0)
    {
        var b = ids.Length;
        var multi = new float[b * classes];
        for (var k = 0; k < multi.Length; k++)
        {
            multi[k] = (float)((rng.NextDouble() * 6) - 3);
        }

        var uni = new float[modalities][];
        for (var m = 0; m < modalities; m++)
        {
            var noise = (m + 1.0) / (modalities + 1.0);
            uni[m] = new float[b * classes];
            for (var k = 0; k < multi.Length; k++)
            {
                uni[m][k] = (float)(((1 - noise) * multi[k]) + (noise * ((rng.NextDouble() * 8) - 4)));
            }
        }

        return new SyntheticBatch(ids, uni, multi, Presence(rng, b, modalities, missingRate), [b, classes]);
    }

    /// <summary>
    /// A regression batch of shape [B] (<paramref name="columns"/> 0), [B, 1] or [B, 2] (mean, log-variance in [-2, 1]);
    /// modality m's mean is the multimodal mean plus noise growing with m.
    /// </summary>
    public static SyntheticBatch Regression(Random rng, long[] ids, int modalities, int columns, double missingRate = 0.0)
    {
        var b = ids.Length;
        var width = Math.Max(columns, 1);
        var multi = new float[b * width];
        var uni = Enumerable.Range(0, modalities).Select(_ => new float[b * width]).ToArray();
        for (var i = 0; i < b; i++)
        {
            var mean = (rng.NextDouble() * 4) - 2;
            multi[i * width] = (float)mean;
            if (width == 2)
            {
                multi[(i * width) + 1] = (float)((rng.NextDouble() * 3) - 2);
            }

            for (var m = 0; m < modalities; m++)
            {
                uni[m][i * width] = (float)(mean + ((m + 0.5) * ((rng.NextDouble() * 2) - 1)));
                if (width == 2)
                {
                    uni[m][(i * width) + 1] = (float)((rng.NextDouble() * 3) - 2);
                }
            }
        }

        long[] shape = columns == 0 ? [b] : [b, columns];
        return new SyntheticBatch(ids, uni, multi, Presence(rng, b, modalities, missingRate), shape);
    }

    /// <summary>
    /// The batches of several epochs over the ids 0..examples-1 (ids spaced by 3 from 100), reshuffled every epoch
    /// and cut into batches.
    /// </summary>
    public static List<List<SyntheticBatch>> Epochs(int seed, int epochs, int examples, int batchSize, Func<Random, long[], SyntheticBatch> make)
    {
        var rng = new Random(seed);
        var ids = Enumerable.Range(0, examples).Select(i => 100L + (3L * i)).ToArray();
        var result = new List<List<SyntheticBatch>>();
        for (var e = 0; e < epochs; e++)
        {
            var order = ids.ToArray();
            rng.Shuffle(order);
            var batches = new List<SyntheticBatch>();
            for (var start = 0; start < order.Length; start += batchSize)
            {
                batches.Add(make(rng, order.Skip(start).Take(batchSize).ToArray()));
            }

            result.Add(batches);
        }

        return result;
    }

    private static bool[] Presence(Random rng, int rows, int modalities, double missingRate)
    {
        var present = new bool[rows * modalities];
        for (var i = 0; i < rows; i++)
        {
            var any = false;
            for (var m = 0; m < modalities; m++)
            {
                present[(i * modalities) + m] = rng.NextDouble() >= missingRate;
                any |= present[(i * modalities) + m];
            }

            if (!any)
            {
                present[(i * modalities) + rng.Next(modalities)] = true;
            }
        }

        return present;
    }
}
