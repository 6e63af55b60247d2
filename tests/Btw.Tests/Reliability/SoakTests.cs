using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Btw.Tests.Modules;
using Btw.Tests.Support;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Btw.Tests.Reliability;

/// <summary>
/// A long training run of the real module under everything at once: random missing modalities whose inputs are NaN,
/// NonFinite = SkipRows with non-finite outputs injected now and then, and every <c>every</c> steps (mid-epoch: an epoch
/// has 12 steps) a save of the model, the Adam state and the weighter, disposal of all three, a load and a resume. The
/// final model parameters and weighter state must equal those of the same run without interruption bit for bit, every
/// gradient must be finite at every step, and the live tensor count and the process's resident memory must stay flat.
/// </summary>
/// <remarks>
/// The default is a shortened run (600 steps, a resume every 100, about 10 s). The full soak:
/// <c>BTW_SOAK_STEPS=20000 BTW_SOAK_EVERY=1000 dotnet test tests/Btw.Tests -c Release --filter FullyQualifiedName~SoakTests</c>.
/// Randomness is tied to the step, not to a generator's history: torch is seeded with the step number before each
/// step (gate noise, dropout) and the missing masks and injections come from a Random seeded the same way, so a resumed
/// run needs no random generator state.
/// </remarks>
[Collection(TorchGlobalStateGroup.Name)]
public sealed class SoakTests : IDisposable
{
    private const int M = 3;
    private const int Width = 6;
    private const int Classes = 3;
    private const int Examples = 96;
    private const int BatchSize = 8;
    private const int StepsPerEpoch = Examples / BatchSize;
    private const double LearningRate = 0.01;

    private static readonly int Steps = EnvironmentInt("BTW_SOAK_STEPS", 600);
    private static readonly int Every = EnvironmentInt("BTW_SOAK_EVERY", 100);

    private readonly string _folder = Directory.CreateTempSubdirectory("btw-soak-").FullName;
    private readonly ITestOutputHelper _output;
    private readonly float[] _inputs;   // [Examples, M, Width]
    private readonly long[] _labels;

    public SoakTests(ITestOutputHelper output)
    {
        _output = output;
        var random = new Random(11);
        _labels = Enumerable.Range(0, Examples).Select(i => (long)(i % Classes)).ToArray();
        _inputs = new float[Examples * M * Width];
        for (var i = 0; i < Examples; i++)
        {
            for (var m = 0; m < M; m++)
            {
                for (var k = 0; k < Width; k++)
                {
                    var signal = k == _labels[i] ? 1.5 / (m + 1) : 0.0;   // modality 0 informative, 2 weak
                    _inputs[(((i * M) + m) * Width) + k] = (float)(signal + TestData.Gaussian(random));
                }
            }
        }
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Resuming_from_saves_mid_epoch_gives_the_uninterrupted_runs_model_and_weights_bit_for_bit_and_memory_stays_flat()
    {
        var threads = get_num_threads();
        set_num_threads(1);
        try
        {
            var clock = Stopwatch.StartNew();
            var straight = Train(interrupted: false);
            var straightSeconds = clock.Elapsed.TotalSeconds;
            var resumed = Train(interrupted: true);
            var totalSeconds = clock.Elapsed.TotalSeconds;

            _output.WriteLine($"{Steps} steps ({Steps / StepsPerEpoch} epochs of {StepsPerEpoch}), a save/dispose/load/resume every {Every} steps: {resumed.Resumes} resumes, {resumed.Skipped} injected non-finite rows skipped, {resumed.MissingSlots} missing modality slots (NaN inputs).");
            _output.WriteLine($"time: {straightSeconds:F1} s uninterrupted, {totalSeconds - straightSeconds:F1} s with resumes.");
            _output.WriteLine($"live tensors at the checkpoints (resumed run): {string.Join(", ", resumed.Live)}; uninterrupted run: {string.Join(", ", straight.Live)}.");
            _output.WriteLine($"RSS (resumed run) at the first checkpoint {Mib(resumed.Rss[0])} MiB, at the end {Mib(resumed.Rss[^1])} MiB; all: {string.Join(", ", resumed.Rss.Select(Mib))} MiB.");
            _output.WriteLine($"final loss {resumed.LastLoss:F4}; BTW weights of example 0: {string.Join(", ", resumed.WeightsOfFirst.Select(w => w.ToString("F4", System.Globalization.CultureInfo.InvariantCulture)))}.");

            StateSnapshot.BitIdentical(straight.Parameters, resumed.Parameters);
            Assert.Equal(straight.WeighterBytes, resumed.WeighterBytes);
            Assert.Equal(straight.Skipped, resumed.Skipped);
            Assert.True(resumed.Resumes >= 2, "the run must resume at least twice");
            Assert.True(resumed.Skipped > 0, "no injected non-finite row was skipped");

            // Flat: the same live tensor count at every checkpoint after the first (which follows the warm-up).
            Assert.All(resumed.Live.Skip(1), live => Assert.Equal(resumed.Live[0], live));
            Assert.All(straight.Live, live => Assert.Equal(resumed.Live[0], live));

            // Flat: resident memory after the first checkpoint grows by less than 32 MiB (allocator and JIT noise), at any length.
            var growth = resumed.Rss[^1] - resumed.Rss[0];
            Assert.True(growth < 32L << 20, $"resident memory grew by {Mib(growth)} MiB from the first checkpoint to the end");
        }
        finally
        {
            set_num_threads(threads);
        }
    }

    private Result Train(bool interrupted)
    {
        var modelPath = Path.Combine(_folder, "model.bin");
        var optimizerPath = Path.Combine(_folder, "adam.bin");
        var weighterPath = Path.Combine(_folder, "weighter.btw");
        var weighterOptions = new BtwOptions { Modalities = M, Weighting = BtwWeighting.KlMi, NonFinite = BtwNonFinitePolicy.SkipRows, MinimumMiPairs = 8 };
        var lossOptions = new BtwLossOptions { UnimodalWeight = 1.0, AuxiliaryWeight = 0.01 };
        var result = new Result();

        manual_seed(5);
        var model = NewModel();
        var optimizer = optim.Adam(model.parameters(), LearningRate);
        var weighter = new BtwWeighter(weighterOptions);
        try
        {
            for (var step = 0; step < Steps; step++)
            {
                if (step > 0 && step % Every == 0)
                {
                    if (interrupted)
                    {
                        model.save(modelPath);
                        optimizer.save_state_dict(optimizerPath);
                        weighter.Save(weighterPath);
                        optimizer.Dispose();
                        model.Dispose();
                        weighter.Dispose();

                        manual_seed(999);   // the new model's initial values must not matter: everything comes from the files
                        model = NewModel();
                        model.load(modelPath);
                        optimizer = optim.Adam(model.parameters(), LearningRate);
                        optimizer.load_state_dict(optimizerPath);
                        weighter = BtwWeighter.Load(weighterPath);
                        result.Resumes++;
                    }

                    Checkpoint(result);
                }

                result.LastLoss = Step(step, model, optimizer, weighter, lossOptions, result);
                if ((step + 1) % StepsPerEpoch == 0)
                {
                    result.Skipped += weighter.EndEpoch().Skipped;
                }
            }

            Checkpoint(result);
            using var scope = NewDisposeScope();   // the copies read out below
            result.Parameters = model.parameters().SelectMany(TestData.Values).ToArray();
            result.WeighterBytes = StateSnapshot.Snapshot(weighter);
            result.WeightsOfFirst = StateSnapshot.Weights(weighter, [0]);
            return result;
        }
        finally
        {
            optimizer.Dispose();
            model.Dispose();
            weighter.Dispose();
        }
    }

    private static LinearEncoderModel NewModel()
    {
        var options = TestData.Options(M, dim: 8, outputs: Classes, experts: 4, topK: 2);
        options.Dropout = 0.1;
        return new LinearEncoderModel(options, Width, Width, Width);
    }

    /// <summary>One training step: weights, forward, loss, backward (gradients checked finite), Adam step, Observe with injected faults.</summary>
    private float Step(int step, LinearEncoderModel model, Adam optimizer, BtwWeighter weighter, BtwLossOptions lossOptions, Result result)
    {
        using var scope = NewDisposeScope();
        var random = new Random(unchecked((step * 7919) + 17));
        manual_seed(1000 + step);

        // The examples of this step: epoch e visits them in an order drawn from e alone.
        var epoch = step / StepsPerEpoch;
        var order = Enumerable.Range(0, Examples).ToArray();
        new Random(epoch + 100).Shuffle(order);
        var examples = order.AsSpan((step % StepsPerEpoch) * BatchSize, BatchSize).ToArray();

        var present = new bool[BatchSize * M];
        var inputs = Enumerable.Range(0, M).Select(_ => new float[BatchSize * Width]).ToArray();
        for (var r = 0; r < BatchSize; r++)
        {
            var kept = random.Next(M);
            for (var m = 0; m < M; m++)
            {
                var here = m == kept || random.NextDouble() < 0.7;
                present[(r * M) + m] = here;
                result.MissingSlots += here ? 0 : 1;
                for (var k = 0; k < Width; k++)
                {
                    inputs[m][(r * Width) + k] = here ? _inputs[(((examples[r] * M) + m) * Width) + k] : float.NaN;
                }
            }
        }

        var ids = tensor(examples.Select(e => (long)e).ToArray());
        var presentTensor = tensor(present, new long[] { BatchSize, M });
        var labels = tensor(examples.Select(e => _labels[e]).ToArray());
        var weights = weighter.WeightsFor(ids, presentTensor);
        // Cloned into torch-allocated (equally aligned) memory: tensor(float[]) wraps the managed array, whose alignment
        // differs between runs, and BLAS results may differ in the last bit between differently aligned buffers.
        var batchInputs = inputs.Select(x => tensor(x, new long[] { BatchSize, Width }).clone()).ToArray();
        using var output = model.call(new BtwInput(batchInputs, weights, presentTensor));
        var loss = BtwLoss.Compute(output, labels, lossOptions);
        optimizer.zero_grad();
        loss.backward();
        var finite = stack(model.parameters().Where(p => p.grad is not null).Select(p => p.grad!.isfinite().all()).ToArray()).all();
        Assert.True(finite.item<bool>(), $"step {step}: a gradient is not finite");
        optimizer.step();

        // Now and then an output goes non-finite (as after an overflow): SkipRows must drop that row and nothing else.
        var multimodal = output.Multimodal.detach();
        var unimodal = output.Unimodal.Select(u => u.detach()).ToList();
        if (random.NextDouble() < 0.05)
        {
            var row = random.Next(BatchSize);
            var modality = Enumerable.Range(0, M).First(m => present[(row * M) + m]);
            if (random.NextDouble() < 0.5)
            {
                multimodal = multimodal.clone();
                multimodal[row, 0] = tensor(float.NaN);
            }
            else
            {
                unimodal[modality] = unimodal[modality].clone();
                unimodal[modality][row, 1] = tensor(float.PositiveInfinity);
            }
        }

        weighter.Observe(ids, unimodal, multimodal, presentTensor);
        return loss.item<float>();
    }

    private static void Checkpoint(Result result)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        result.Live.Add(DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        using var process = Process.GetCurrentProcess();
        result.Rss.Add(process.WorkingSet64);
    }

    private static string Mib(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("F1", System.Globalization.CultureInfo.InvariantCulture);

    private static int EnvironmentInt(string name, int fallback)
        => int.TryParse(Environment.GetEnvironmentVariable(name), out var value) && value > 0 ? value : fallback;

    private sealed class Result
    {
        public int Resumes { get; set; }

        public int Skipped { get; set; }

        public long MissingSlots { get; set; }

        public float LastLoss { get; set; }

        public List<long> Live { get; } = [];

        public List<long> Rss { get; } = [];

        public float[] Parameters { get; set; } = [];

        public byte[] WeighterBytes { get; set; } = [];

        public float[] WeightsOfFirst { get; set; } = [];
    }
}
