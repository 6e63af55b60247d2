using System;
using System.Linq;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Btw.Tests.Reliability;

/// <summary>Tests that measure process-wide memory run alone, so that no other test allocates meanwhile.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryMeasurementGroup
{
    public const string Name = "Memory measurements";
}

/// <summary>
/// A long run does not leak: over 5,000 WeightsFor/Observe steps and 20 EndEpoch calls the thread's live tensor count
/// (TorchSharp's DisposeScopeManager statistics) returns to its starting value, and managed memory after warm-up does
/// not grow beyond a small stated bound, since the state only holds the ids already seen.
/// </summary>
[Collection(MemoryMeasurementGroup.Name)]
public class ResourceLeakTests
{
    private const int M = 3;
    private const int C = 4;
    private const int B = 8;
    private const int Examples = 2000;
    private const int StepsPerEpoch = Examples / B; // 250 steps x 20 epochs = 5,000 steps

    private readonly ITestOutputHelper _output;

    public ResourceLeakTests(ITestOutputHelper output) => _output = output;

    private static long Live => DisposeScopeManager.Statistics.ThreadTotalLiveCount;

    /// <summary>One training step as a user writes it, inside a per-batch dispose scope.</summary>
    private static void Step(BtwWeighter weighter, Tensor ids, Tensor multi, Tensor[] uni, Tensor present, double shift)
    {
        using var scope = NewDisposeScope();
        var w = weighter.WeightsFor(ids, present);
        var w2 = weighter.WeightsFor(ids);
        var fused = (multi + shift) * w.sum(1, keepdim: true) / M; // stands in for the model using the weights
        weighter.Observe(ids, uni.Select(u => u + w2[.., 0].unsqueeze(1)).ToList(), fused, present);
    }

    [Fact]
    public void Five_thousand_steps_and_twenty_epochs_leak_no_tensor_and_no_managed_memory()
    {
        // Tiny tensors: one intra-op thread is fastest, and avoids OpenMP threads spinning against a loaded machine.
        var threads = get_num_threads();
        set_num_threads(1);
        try
        {
            LongRun();
        }
        finally
        {
            set_num_threads(threads);
        }
    }

    private void LongRun()
    {
        using var weighter = new BtwWeighter(new BtwOptions { Modalities = M, Weighting = BtwWeighting.KlMi, MinimumMiPairs = 4 });
        using var data = NewDisposeScope();
        var generator = manual_seed(123);
        var multi = randn(B, C, generator: generator);
        var uni = Enumerable.Range(0, M).Select(_ => randn(B, C, generator: generator)).ToArray();
        var present = rand(B, M, generator: generator).gt(0.2);
        present[.., 0] = tensor(true);
        var idBatches = Enumerable.Range(0, StepsPerEpoch).Select(s => arange(s * B, (s + 1) * B, dtype: ScalarType.Int64)).ToArray();

        // Warm-up: the first epoch sees every id once, so the store and the epoch buffers reach their final size.
        for (var s = 0; s < StepsPerEpoch; s++)
        {
            Step(weighter, idBatches[s], multi, uni, present, 0.0);
        }

        weighter.EndEpoch();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var liveBefore = Live;
        var managedBefore = GC.GetTotalMemory(forceFullCollection: true);

        for (var epoch = 1; epoch < 20; epoch++)
        {
            for (var s = 0; s < StepsPerEpoch; s++)
            {
                Step(weighter, idBatches[(s + (epoch * 7)) % StepsPerEpoch], multi, uni, present, 0.01 * epoch);
            }

            weighter.EndEpoch();
        }

        var liveAfter = Live;
        var managedAfter = GC.GetTotalMemory(forceFullCollection: true);
        _output.WriteLine($"live tensors {liveBefore} -> {liveAfter}; managed bytes {managedBefore} -> {managedAfter} (growth {managedAfter - managedBefore}); state {Examples} ids x {weighter.BytesPerExample} B");
        Assert.Equal(20, weighter.CompletedEpochs);
        Assert.Equal(Examples, weighter.Count);
        Assert.Equal(liveBefore, liveAfter);

        // Bound: 256 KiB of slack for runtime noise (JIT, thread pool, xunit); the state itself is already allocated.
        Assert.True(managedAfter - managedBefore < 256 * 1024, $"managed memory grew by {managedAfter - managedBefore} bytes after warm-up");
    }

    [Fact]
    public void Library_calls_outside_any_dispose_scope_leave_only_the_returned_tensors_alive()
    {
        // No outer scope: whatever the library creates and does not return must be disposed by the library itself.
        using var weighter = new BtwWeighter(new BtwOptions { Modalities = M, Task = BtwTask.Regression, Weighting = BtwWeighting.Kl, RegressionOutput = BtwRegressionOutput.MeanAndLogVariance, MinimumMiPairs = 4 });
        using var ids = arange(0, B, dtype: ScalarType.Int64);
        using var idsView = arange(0, 2 * B, dtype: ScalarType.Int64)[TensorIndex.Slice(0, 2 * B, 2)]; // not contiguous
        using var multi = randn(B, 2);
        var uni = Enumerable.Range(0, M).Select(_ => randn(B, 2)).ToArray();
        using var present = ones(B, M, ScalarType.Bool);
        using var presentFloat = ones(B, M, ScalarType.Float64);
        var start = Live;
        for (var i = 0; i < 50; i++)
        {
            weighter.Observe(i % 2 == 0 ? ids : idsView, uni, multi, i % 3 == 0 ? present : presentFloat);
            using (var w = weighter.WeightsFor(idsView, presentFloat))
            using (var w2 = weighter.WeightsFor(ids))
            {
                Assert.Equal(start + 2, Live);
            }

            if (i % 10 == 9)
            {
                weighter.EndEpoch();
            }
        }

        using (var d = InstanceDivergence.Gaussian(uni[0], multi))
        using (var c = InstanceDivergence.Categorical(uni[0], multi))
        {
            Assert.Equal(start + 2, Live);
        }

        Assert.Equal(start, Live);
        foreach (var u in uni)
        {
            u.Dispose();
        }
    }
}
