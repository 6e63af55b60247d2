using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using Btw.Benchmarks.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Btw.Benchmarks;

/// <summary>
/// The weighter's cost as a user's training loop sees it, for a given shape (<c>--shape B=256,M=4,C=10</c>; also
/// F (features per view, 32), N (examples per epoch, 50000, a comma-free list with '/' for several: N=50000/1000000),
/// S (steps per round, 20), R (rounds, 9)). One process, interleaved rounds:
/// <list type="number">
/// <item>per step: rounds of S plain training steps (the demo model: one Linear(F, 32)-ReLU encoder per view, the
/// library's mixture of experts with 8 experts, top-2, <see cref="BtwLoss"/>, Adam) alternate with rounds of S steps of
/// the loop a user writes (<c>WeightsFor</c>, the step with those weights, <c>Observe</c> of the step's own outputs;
/// the ids of the first epoch size, shuffled anew every epoch as a data loader does), in which the two weighter calls
/// are timed; the ratio is the median weighter time per step over the median plain
/// step time;</item>
/// <item>per epoch: <c>EndEpoch</c> over N observed examples, observed in a shuffled order (classification under KlMi: the
/// model-like logits [N, C]; regression under Kl, which estimates no modality statistic by default, and under KlMi, which
/// pays the KSG estimator of the modality MI: (mean, log-variance) outputs [N, 2]), alternating with rounds of S plain steps; the ratio is the median
/// <c>EndEpoch</c> time over N / B times the median plain step time (the fastest and slowest round printed beside it).</item>
/// </list>
/// Also prints the managed bytes allocated per weighter step in the first and the last round (they must not grow).
/// </summary>
internal static class UserLoop
{
    public static int Run(string[] args)
    {
        var shape = Parse(args.Length > 0 ? args[0] : string.Empty);
        int batch = shape.GetValueOrDefault("B", 256);
        int modalities = shape.GetValueOrDefault("M", 4);
        int classes = shape.GetValueOrDefault("C", 10);
        int features = shape.GetValueOrDefault("F", 32);
        int steps = shape.GetValueOrDefault("S", 20);
        int rounds = shape.GetValueOrDefault("R", 9);
        int[] epochSizes = args.Length > 0 && args[0].Split(',').FirstOrDefault(p => p.StartsWith("N=", StringComparison.Ordinal)) is { } nPart
            ? nPart[2..].Split('/').Select(s => (int)double.Parse(s, CultureInfo.InvariantCulture)).ToArray()
            : [50_000, 1_000_000];
        Workload.ConfigureTorchThreads();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Shape: B = {batch}, M = {modalities} views of width {features}, C = {classes}; demo model (MoE, EmbeddingDim 32, 8 experts, top-2), Adam; torch threads {get_num_threads()}, {Environment.ProcessorCount} cores; {rounds} rounds of {steps} steps"));

        manual_seed(11);
        var model = new DemoModel(modalities, features, new BtwMoEOptions { Modalities = modalities, EmbeddingDim = 32, Outputs = classes, Experts = 8, TopK = 2 });
        model.train();
        var optimizer = optim.Adam(model.parameters(), 1e-3);
        const int distinctBatches = 16;
        var inputs = new List<Tensor>[distinctBatches];
        var labels = new Tensor[distinctBatches];
        for (var b = 0; b < distinctBatches; b++)
        {
            inputs[b] = Enumerable.Range(0, modalities).Select(_ => randn(batch, features).DetachFromDisposeScope()).ToList();
            labels[b] = randint(classes, batch, ScalarType.Int64).DetachFromDisposeScope();
        }

        var ones = torch.ones(batch, modalities).DetachFromDisposeScope();
        var stepIndex = 0;
        void PlainStep()
        {
            using var scope = NewDisposeScope();
            var b = stepIndex++ % distinctBatches;
            using var output = model.call(new BtwInput(inputs[b], ones));
            var loss = BtwLoss.Compute(output, labels[b]);
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
        }

        // The user's loop: an epoch of N0 examples (the first epoch size) in a new random order every epoch, as a shuffling
        // data loader gives them; EndEpoch at each epoch end.
        var epochExamples = epochSizes[0];
        var batchesPerEpoch = epochExamples / batch;
        var weighter = new BtwWeighter(new BtwOptions { Modalities = modalities, Task = BtwTask.Classification, Weighting = BtwWeighting.KlMi, UnseenWeights = BtwUnseenWeights.Ones });
        var shuffle = new Random(20251204);
        Tensor[] ShuffledEpoch()
        {
            var order = new long[epochExamples];
            for (var i = 0; i < order.Length; i++)
            {
                order[i] = i;
            }

            shuffle.Shuffle(order);
            return Enumerable.Range(0, batchesPerEpoch).Select(b => tensor(order.AsSpan(b * batch, batch).ToArray()).DetachFromDisposeScope()).ToArray();
        }

        var epochIds = ShuffledEpoch();
        var loopBatch = 0;
        double WeightedStep(out long allocated)
        {
            using var scope = NewDisposeScope();
            var b = stepIndex++ % distinctBatches;
            var ids = epochIds[loopBatch];
            var a0 = GC.GetAllocatedBytesForCurrentThread();
            var t0 = Stopwatch.GetTimestamp();
            var weights = weighter.WeightsFor(ids);
            var weigh = Stopwatch.GetTimestamp() - t0;
            var a1 = GC.GetAllocatedBytesForCurrentThread();
            using var output = model.call(new BtwInput(inputs[b], weights));
            var loss = BtwLoss.Compute(output, labels[b]);
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
            var a2 = GC.GetAllocatedBytesForCurrentThread();
            t0 = Stopwatch.GetTimestamp();
            weighter.Observe(ids, output.Unimodal, output.Multimodal);
            weigh += Stopwatch.GetTimestamp() - t0;
            allocated = a1 - a0 + (GC.GetAllocatedBytesForCurrentThread() - a2);
            if (++loopBatch == batchesPerEpoch)
            {
                loopBatch = 0;
                weighter.EndEpoch();
                foreach (var t in epochIds)
                {
                    t.Dispose();
                }

                epochIds = ShuffledEpoch();   // outside the timed calls
            }

            return weigh * 1e6 / Stopwatch.Frequency;
        }

        // Warm-up: one epoch of the loop (every id then has stored weights), and a few plain steps.
        for (var i = 0; i < batchesPerEpoch; i++)
        {
            WeightedStep(out _);
        }

        for (var i = 0; i < steps; i++)
        {
            PlainStep();
        }

        var plain = new double[rounds];
        var weighPerStep = new double[rounds];
        var weightedStep = new double[rounds];
        var allocatedFirst = 0.0;
        var allocatedLast = 0.0;
        for (var r = 0; r < rounds; r++)
        {
            var sw = Stopwatch.StartNew();
            for (var i = 0; i < steps; i++)
            {
                PlainStep();
            }

            plain[r] = sw.Elapsed.TotalMicroseconds / steps;
            double weigh = 0;
            long allocated = 0;
            sw.Restart();
            for (var i = 0; i < steps; i++)
            {
                weigh += WeightedStep(out var a);
                allocated += a;
            }

            weightedStep[r] = sw.Elapsed.TotalMicroseconds / steps;
            weighPerStep[r] = weigh / steps;
            allocatedLast = allocated / (double)steps;
            if (r == 0)
            {
                allocatedFirst = allocatedLast;
            }
        }

        var step = Timings.Median(plain);
        var w = Timings.Median(weighPerStep);
        Console.WriteLine();
        Console.WriteLine("== Per step (classification, the model's own outputs observed)");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"plain training step {step:F1} us (median of {rounds} rounds); WeightsFor + Observe {w:F1} us (min round {weighPerStep.Min():F1} us); step of the weighted loop {Timings.Median(weightedStep):F1} us"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"WeightsFor + Observe / training step: {w / step:P2}   (target <= 1 %)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"managed bytes allocated per weighter step: first round {allocatedFirst:F0} B, last round {allocatedLast:F0} B"));

        Console.WriteLine();
        Console.WriteLine("== Per epoch: EndEpoch against N / B plain training steps");
        // The paper's settings (KlMi for classification, Kl for regression) and, for regression, a weighting that uses the
        // modality MI (KlMi), which pays the KSG estimator; Kl, like the default Uniform, estimates no modality statistic
        // under the default ModalityStatistics = Used.
        foreach (var (task, weighting) in new[] { (BtwTask.Classification, BtwWeighting.KlMi), (BtwTask.Regression, BtwWeighting.Kl), (BtwTask.Regression, BtwWeighting.KlMi) })
        {
            foreach (var n in epochSizes)
            {
                var (endEpoch, stepTime, fastest, slowest) = EndEpochRatio(task, weighting, n, batch, modalities, classes, steps, Math.Max(3, rounds / 2), PlainStep);
                var epoch = stepTime * n / batch;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{task + " " + weighting,-19} N = {n,9:N0}: EndEpoch {endEpoch / 1000:F1} ms (rounds {fastest / 1000:F1} to {slowest / 1000:F1} ms), epoch ({n / batch} steps of {stepTime:F0} us) {epoch / 1e6:F2} s: {endEpoch / epoch:P2}   (target <= 2 %)"));
            }
        }

        return 0;
    }

    private static (double EndEpochUs, double StepUs, double FastestUs, double SlowestUs) EndEpochRatio(BtwTask task, BtwWeighting weighting, int n, int batch, int modalities, int classes, int steps, int rounds, Action plainStep)
    {
        using var source = Observed(task, weighting, n, batch, modalities, classes);
        using var target = new BtwWeighter(Settings(task, weighting, modalities));
        target.MergeObservations(source);
        target.EndEpoch(); // warm-up (JIT, pools); the stored weights then exist, as in a later epoch
        var end = new double[rounds];
        var step = new double[rounds];
        for (var r = 0; r < rounds; r++)
        {
            target.MergeObservations(source);
            var sw = Stopwatch.StartNew();
            target.EndEpoch();
            end[r] = sw.Elapsed.TotalMicroseconds;
            sw.Restart();
            for (var i = 0; i < steps; i++)
            {
                plainStep();
            }

            step[r] = sw.Elapsed.TotalMicroseconds / steps;
        }

        return (Timings.Median(end), Timings.Median(step), end.Min(), end.Max());
    }

    /// <summary>
    /// A weighter that has observed N examples of model-like outputs (as <see cref="Workload"/>): modality m agrees less
    /// with the multimodal output as m grows. The ids 0 .. N - 1 arrive in a random order, as from a shuffling data
    /// loader, so the epoch's rows are not stored in id order (EndEpoch folds them in id order).
    /// </summary>
    private static BtwWeighter Observed(BtwTask task, BtwWeighting weighting, int n, int batch, int modalities, int classes)
    {
        var weighter = new BtwWeighter(Settings(task, weighting, modalities));
        var generator = new Generator(20251105);
        var width = task == BtwTask.Classification ? classes : 2;
        var order = new long[n];
        for (var i = 0; i < n; i++)
        {
            order[i] = i;
        }

        new Random(20251205).Shuffle(order);
        for (var start = 0; start < n; start += batch)
        {
            using var scope = NewDisposeScope();
            var length = Math.Min(batch, n - start);
            var multimodal = randn(new long[] { length, width }, generator: generator) * (task == BtwTask.Classification ? 2.0 : 1.0);
            var unimodal = new List<Tensor>();
            for (var m = 0; m < modalities; m++)
            {
                var agreement = 1.0 - (m / (double)modalities);
                unimodal.Add((multimodal * agreement) + (randn(new long[] { length, width }, generator: generator) * ((1.0 - agreement) + 0.1)));
            }

            weighter.Observe(tensor(order.AsSpan(start, length).ToArray()), unimodal, multimodal);
        }

        return weighter;
    }

    /// <summary>The weighter of the per-epoch figures: the weighting, unseen examples at 1, regression outputs (mean, log-variance), every other setting at its default.</summary>
    private static BtwOptions Settings(BtwTask task, BtwWeighting weighting, int modalities) => new()
    {
        Modalities = modalities,
        Task = task,
        Weighting = weighting,
        UnseenWeights = BtwUnseenWeights.Ones,
        RegressionOutput = task == BtwTask.Regression ? BtwRegressionOutput.MeanAndLogVariance : BtwRegressionOutput.Mean,
    };

    private static Dictionary<string, int> Parse(string text)
    {
        var result = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var kv = part.Split('=', 2);
            if (kv.Length != 2)
            {
                throw new ArgumentException($"Expected KEY=VALUE in --shape, got '{part}'.", nameof(text));
            }

            if (kv[0] != "N")
            {
                result[kv[0]] = int.Parse(kv[1], CultureInfo.InvariantCulture);
            }
        }

        return result;
    }
}
