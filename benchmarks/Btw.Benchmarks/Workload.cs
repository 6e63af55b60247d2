using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

namespace Btw.Benchmarks;

/// <summary>
/// Deterministic synthetic data of the benchmark's size: N examples of M modalities with F features each and labels in
/// C classes (for the training step), and model-like unimodal / multimodal predictions for N examples (for filling a
/// weighter's epoch): logits for classification, (mean, log-variance) pairs for regression. Modality m's prediction
/// agrees with the multimodal one to a degree that falls with m, so the modalities get different weights.
/// </summary>
internal sealed class Workload : IDisposable
{
    public const int Examples = 100_000;
    public const int Batch = 256;
    public const int Modalities = 4;
    public const int Classes = 10;
    public const int Features = 32;
    public const int EmbeddingDim = 32;
    public const int Experts = 8;
    public const int TopK = 2;

    /// <summary>
    /// Sets TorchSharp's intra-op threads from BTW_BENCH_TORCH_THREADS (default 1). On a 2-core machine shared with other
    /// work, two OpenMP threads made the training step several times slower (threads wait at every parallel region for a
    /// descheduled sibling); the weighter's per-step work is too small to split, and its EndEpoch runs the M modalities'
    /// MI on both cores through the .NET thread pool whatever this setting.
    /// </summary>
    public static void ConfigureTorchThreads()
    {
        var text = Environment.GetEnvironmentVariable("BTW_BENCH_TORCH_THREADS");
        var threads = int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var t) && t > 0 ? t : 1;
        set_num_threads(threads);
    }

    public Workload(int examples = Examples, int seed = 20251105)
    {
        Count = examples;
        using var scope = NewDisposeScope();
        var generator = new Generator((ulong)seed);
        var inputs = new Tensor[Modalities];
        Tensor signal = zeros(examples, Classes);
        for (var m = 0; m < Modalities; m++)
        {
            inputs[m] = randn(examples, Features, generator: generator);
            var projection = randn(Features, Classes, generator: generator) * (1.0 / (m + 1));
            signal = signal + inputs[m].matmul(projection);
        }

        Inputs = Array.ConvertAll(inputs, t => t.DetachFromDisposeScope());
        Labels = signal.argmax(1).DetachFromDisposeScope();
        Ids = arange(examples, ScalarType.Int64).DetachFromDisposeScope();

        var multiLogits = randn(examples, Classes, generator: generator) * 2.0;
        var multiRegression = randn(examples, 2, generator: generator);
        ClassificationMultimodal = multiLogits.DetachFromDisposeScope();
        RegressionMultimodal = multiRegression.DetachFromDisposeScope();
        ClassificationUnimodal = new Tensor[Modalities];
        RegressionUnimodal = new Tensor[Modalities];
        for (var m = 0; m < Modalities; m++)
        {
            var agreement = 1.0 - (m / (double)Modalities);
            ClassificationUnimodal[m] = ((multiLogits * agreement) + (randn(examples, Classes, generator: generator) * (2.0 * (1.0 - agreement) + 0.1)))
                .DetachFromDisposeScope();
            RegressionUnimodal[m] = ((multiRegression * agreement) + (randn(examples, 2, generator: generator) * (1.0 - agreement + 0.1)))
                .DetachFromDisposeScope();
        }
    }

    public int Count { get; }

    public int Batches => (Count + Batch - 1) / Batch;

    /// <summary>M inputs [N, F], float32.</summary>
    public Tensor[] Inputs { get; }

    /// <summary>Class labels [N], int64.</summary>
    public Tensor Labels { get; }

    /// <summary>Example ids 0..N-1, int64 [N].</summary>
    public Tensor Ids { get; }

    /// <summary>Multimodal logits [N, C].</summary>
    public Tensor ClassificationMultimodal { get; }

    /// <summary>M unimodal logits [N, C].</summary>
    public Tensor[] ClassificationUnimodal { get; }

    /// <summary>Multimodal (mean, log-variance) [N, 2].</summary>
    public Tensor RegressionMultimodal { get; }

    /// <summary>M unimodal (mean, log-variance) [N, 2].</summary>
    public Tensor[] RegressionUnimodal { get; }

    /// <summary>Rows of batch <paramref name="index"/>: (start, length).</summary>
    public (long Start, long Length) Range(int index)
    {
        var start = (long)index * Batch;
        return (start, Math.Min(Batch, Count - start));
    }

    /// <summary>A weighter that has observed every example once (in batches of B) and not yet ended the epoch.</summary>
    public BtwWeighter ObservedWeighter(BtwTask task)
    {
        var weighter = new BtwWeighter(new BtwOptions { Modalities = Modalities, Task = task, Weighting = task == BtwTask.Regression ? BtwWeighting.Kl : BtwWeighting.KlMi, UnseenWeights = BtwUnseenWeights.Ones, RegressionOutput = task == BtwTask.Regression ? BtwRegressionOutput.MeanAndLogVariance : BtwRegressionOutput.Mean });
        var multimodal = task == BtwTask.Classification ? ClassificationMultimodal : RegressionMultimodal;
        var unimodal = task == BtwTask.Classification ? ClassificationUnimodal : RegressionUnimodal;
        for (var b = 0; b < Batches; b++)
        {
            using var scope = NewDisposeScope();
            var (start, length) = Range(b);
            weighter.Observe(Ids.narrow(0, start, length), Slice(unimodal, start, length), multimodal.narrow(0, start, length));
        }

        return weighter;
    }

    public static List<Tensor> Slice(IReadOnlyList<Tensor> tensors, long start, long length)
    {
        var slices = new List<Tensor>(tensors.Count);
        foreach (var t in tensors)
        {
            slices.Add(t.narrow(0, start, length));
        }

        return slices;
    }

    public void Dispose()
    {
        foreach (var t in Inputs)
        {
            t.Dispose();
        }

        foreach (var t in ClassificationUnimodal)
        {
            t.Dispose();
        }

        foreach (var t in RegressionUnimodal)
        {
            t.Dispose();
        }

        Labels.Dispose();
        Ids.Dispose();
        ClassificationMultimodal.Dispose();
        RegressionMultimodal.Dispose();
    }
}
