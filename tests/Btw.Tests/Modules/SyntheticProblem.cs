using System;
using System.Collections.Generic;
using System.Linq;
using MyApp;
using static TorchSharp.torch;

namespace Btw.Tests.Modules;

/// <summary>
/// A seeded synthetic classification problem with M modalities: class y has a random centre c[y, m] (unit-variance
/// entries) in every modality, and x_m = scale_m * c[y, m] + N(0, I). A scale of 0 makes a modality pure noise.
/// Each modality is missing with probability <c>missing</c>, at least one modality per example is present.
/// </summary>
internal static class SyntheticProblem
{
    public static List<Batch> Create(int examples, int batchSize, int classes, int width, double[] scales, double missing, int seed)
    {
        var random = new Random(seed);
        var m = scales.Length;
        var centres = new double[classes, m, width];
        for (var c = 0; c < classes; c++)
        {
            for (var j = 0; j < m; j++)
            {
                for (var w = 0; w < width; w++)
                {
                    centres[c, j, w] = TestData.Gaussian(random);
                }
            }
        }

        var batches = new List<Batch>();
        for (var start = 0; start < examples; start += batchSize)
        {
            var b = Math.Min(batchSize, examples - start);
            var labels = new long[b];
            var inputs = Enumerable.Range(0, m).Select(_ => new float[b * width]).ToArray();
            var present = new bool[b * m];
            for (var i = 0; i < b; i++)
            {
                var y = random.Next(classes);
                labels[i] = y;
                for (var j = 0; j < m; j++)
                {
                    present[i * m + j] = random.NextDouble() >= missing;
                    for (var w = 0; w < width; w++)
                    {
                        inputs[j][i * width + w] = (float)(scales[j] * centres[y, j, w] + TestData.Gaussian(random));
                    }
                }

                if (!Enumerable.Range(0, m).Any(j => present[i * m + j]))
                {
                    present[i * m + random.Next(m)] = true;
                }
            }

            // Detached from any dispose scope: the batches live across training steps.
            var ids = arange(start, start + b, ScalarType.Int64).DetachFromDisposeScope();
            var tensors = inputs.Select(x => tensor(x, new long[] { b, width }).DetachFromDisposeScope()).ToArray();
            batches.Add(new Batch(
                ids,
                tensors,
                tensor(present, new long[] { b, m }).DetachFromDisposeScope(),
                tensor(labels).DetachFromDisposeScope()));
        }

        return batches;
    }

    public static void Dispose(IEnumerable<Batch> batches)
    {
        foreach (var batch in batches)
        {
            batch.Ids.Dispose();
            batch.Present.Dispose();
            batch.Labels.Dispose();
            foreach (var input in batch.Inputs)
            {
                input.Dispose();
            }
        }
    }
}
