using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using Btw.Demo.Data;
using Btw.Demo.Metrics;
using TorchSharp;
using static TorchSharp.torch;

namespace Btw.Demo.Training;

/// <summary>
/// Trains one multimodal mixture of experts with one BTW weighting mode, the way a user of the library
/// would: Adam, a seeded initialisation (torch.manual_seed) and a seeded shuffle, weights from
/// <see cref="BtwWeighter.WeightsFor(Tensor, Tensor)"/> for the batch's training-row ids, the library's
/// loss helper, <see cref="BtwWeighter.Observe"/> after each step and <see cref="BtwWeighter.EndEpoch()"/>
/// after each epoch. The best epoch is chosen on validation (<see cref="MetricSet.SelectionMetric"/>);
/// its parameters are restored and the test split is evaluated once. Validation and test rows are unseen
/// ids; by default they get each modality's mean training weight of the epoch (see
/// <see cref="EvaluationWeights"/>); no labels are used to weight.
/// </summary>
internal static class Trainer
{
    private const int EvaluationBatch = 1024;

    public static RunResult Run(DataSplit split, RunSettings settings, Action<RunSettings, EpochRecord>? onEpoch = null)
    {
        ArgumentNullException.ThrowIfNull(split);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        var clock = Stopwatch.StartNew();
        var task = split.Train.Task;
        var m = split.Train.Views.Count;

        // Masks depend on the seed, the drop rate and the split, never on the mode: runs are paired.
        var (targetMean, targetStd) = TargetScale(split.Train);
        using var train = new SplitTensors(split.Train, Masks(split.Train.Rows, m, settings, 1), targetMean, targetStd);
        using var validation = new SplitTensors(split.Validation, Masks(split.Validation.Rows, m, settings, 2), targetMean, targetStd);
        using var test = new SplitTensors(split.Test, Masks(split.Test.Rows, m, settings, 3), targetMean, targetStd);

        torch.manual_seed(settings.Seed);
        using var model = new ViewEncoderMoE(split.Train.Views.Select(v => v.Width).ToArray(), new BtwMoEOptions
        {
            Modalities = m,
            EmbeddingDim = settings.EmbeddingDim,
            Outputs = task == BtwTask.Classification ? split.Train.Classes : 1,
            Experts = settings.Experts,
            TopK = settings.TopK,
            ExpertHidden = settings.ExpertHidden,
        });
        using var optimizer = torch.optim.Adam(model.parameters(), settings.LearningRate, weight_decay: settings.WeightDecay);
        using var weighter = new BtwWeighter(new BtwOptions
        {
            Modalities = m,
            Task = task,
            Weighting = settings.Mode,
            Alpha = settings.Alpha,
        });

        var shuffle = new Random(DerivedSeed(settings.Seed, 0));
        var order = Enumerable.Range(0, train.Rows).ToArray();
        var epochs = new List<EpochRecord>();
        var selection = MetricSet.SelectionMetric(task);
        var higherIsBetter = MetricSet.HigherIsBetter(selection);
        Dictionary<string, Tensor>? best = null;
        var bestEpoch = 0;
        MetricSet? bestValidation = null;
        double[]? bestWeights = null;
        var trainedWith = Enumerable.Repeat(1.0, m).ToArray(); // the mean weights in force during the epoch
        try
        {
            for (var epoch = 1; epoch <= settings.Epochs; epoch++)
            {
                model.train();
                SplitMaker.Shuffle(order, shuffle);
                double lossSum = 0;
                for (var start = 0; start < order.Length; start += settings.BatchSize)
                {
                    var count = Math.Min(settings.BatchSize, order.Length - start);
                    using var scope = torch.NewDisposeScope();
                    var ids = torch.tensor(order.AsSpan(start, count).ToArray().Select(i => (long)i).ToArray(), new long[] { count });
                    var inputs = train.Views.Select(v => v.index_select(0, ids)).ToArray();
                    var present = train.Present.index_select(0, ids);
                    var targets = train.Targets.index_select(0, ids);
                    var weights = weighter.WeightsFor(ids, present);
                    using var output = model.call(new BtwInput(inputs, weights, present));
                    var loss = Loss(output, targets, task, settings);
                    optimizer.zero_grad();
                    loss.backward();
                    optimizer.step();
                    weighter.Observe(ids, output.Unimodal, output.Multimodal, present);
                    lossSum += loss.item<float>() * count;
                }

                var report = weighter.EndEpoch();
                var evaluationWeights = settings.EvaluationWeights == EvaluationWeights.TrainingMean ? trainedWith : null;
                var validationMetrics = Evaluate(model, validation, task, targetMean, targetStd, evaluationWeights);
                var record = new EpochRecord(
                    epoch,
                    lossSum / order.Length,
                    validationMetrics,
                    report.Modalities.Select(r => r.MeanWeight).ToArray(),
                    report.Modalities.Select(r => r.MutualInformation).ToArray(),
                    clock.Elapsed.TotalSeconds);
                epochs.Add(record);
                onEpoch?.Invoke(settings, record);

                var score = validationMetrics[selection];
                if (bestValidation is null || (higherIsBetter ? score > bestValidation[selection] : score < bestValidation[selection]))
                {
                    bestValidation = validationMetrics;
                    bestEpoch = epoch;
                    bestWeights = evaluationWeights;
                    DisposeAll(best);
                    best = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());
                }

                trainedWith = report.Modalities.Select(r => r.Present > 0 ? r.MeanWeight : 1.0).ToArray();
            }

            model.load_state_dict(best!);
            var testMetrics = Evaluate(model, test, task, targetMean, targetStd, bestWeights);
            var finalWeights = new float[train.Rows * m];
            for (var id = 0; id < train.Rows; id++)
            {
                if (!weighter.TryGetWeights(id, finalWeights.AsSpan(id * m, m)))
                {
                    finalWeights.AsSpan(id * m, m).Fill(float.NaN);
                }
            }

            return new RunResult(settings, split.Train.ViewNames, epochs, bestEpoch, bestValidation!, testMetrics, clock.Elapsed.TotalSeconds)
            {
                FinalTrainingWeights = finalWeights,
                TrainingPresent = train.PresentMask,
            };
        }
        finally
        {
            DisposeAll(best);
        }
    }

    /// <summary>Task loss + lambda * mean unimodal loss + beta * auxiliary (load-balancing) loss.</summary>
    private static Tensor Loss(BtwOutput output, Tensor targets, BtwTask task, RunSettings settings) =>
        BtwLoss.Compute(output, targets, new BtwLossOptions
        {
            Task = task,
            UnimodalWeight = settings.UnimodalLossWeight,
            AuxiliaryWeight = settings.AuxiliaryLossWeight,
        });

    /// <summary>
    /// Predicts a split in evaluation mode and scores it. Row weights: <paramref name="modalityWeights"/>
    /// (one per modality; null = all 1) times the presence mask, rescaled per row to sum to the number of
    /// present modalities (the library's default scale).
    /// </summary>
    public static MetricSet Evaluate(nn.Module<BtwInput, BtwOutput> model, SplitTensors split, BtwTask task, double targetMean, double targetStd, IReadOnlyList<double>? modalityWeights = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(split);
        model.eval();
        using var noGrad = torch.no_grad();
        var predictedLabels = new List<int>(split.Rows);
        var predictedValues = new List<double>(split.Rows);
        for (var start = 0; start < split.Rows; start += EvaluationBatch)
        {
            var count = Math.Min(EvaluationBatch, split.Rows - start);
            using var scope = torch.NewDisposeScope();
            var inputs = split.Views.Select(v => v.narrow(0, start, count)).ToArray();
            var present = split.Present.narrow(0, start, count);
            using var output = model.call(new BtwInput(inputs, RowWeights(present, modalityWeights), present));
            if (task == BtwTask.Classification)
            {
                predictedLabels.AddRange(output.Multimodal.argmax(1).to_type(ScalarType.Int32).data<int>());
            }
            else
            {
                predictedValues.AddRange(output.Multimodal.reshape(-1).to_type(ScalarType.Float64).data<double>().Select(v => v * targetStd + targetMean));
            }
        }

        model.train();
        if (task == BtwTask.Classification)
        {
            return MetricSet.Classification(split.Data.Labels, predictedLabels.ToArray());
        }

        return MetricSet.Regression(split.Data.Targets!.Select(t => (double)t).ToArray(), predictedValues.ToArray());
    }

    /// <summary>[B, M] float32: w_m * present, rescaled per row to sum to the row's number of present modalities.</summary>
    public static Tensor RowWeights(Tensor present, IReadOnlyList<double>? modalityWeights)
    {
        ArgumentNullException.ThrowIfNull(present);
        var mask = present.to_type(ScalarType.Float32);
        if (modalityWeights is null)
        {
            return mask;
        }

        using var w = torch.tensor(modalityWeights.Select(v => (float)v).ToArray()).unsqueeze(0);
        var weighted = mask * w;
        return weighted * (mask.sum(1, keepdim: true) / weighted.sum(1, keepdim: true).clamp_min(1e-12f));
    }

    private static (double Mean, double StdDev) TargetScale(MultiViewDataset train)
    {
        if (train.Task == BtwTask.Classification)
        {
            return (0, 1);
        }

        var mean = train.Targets!.Average(t => (double)t);
        var sd = Math.Sqrt(train.Targets!.Average(t => (t - mean) * (t - mean)));
        return (mean, sd > 0 ? sd : 1);
    }

    private static bool[] Masks(int rows, int modalities, RunSettings settings, int splitIndex) =>
        ModalityMasks.Draw(rows, modalities, settings.DropRate, new Random(DerivedSeed(settings.Seed, splitIndex * 1000 + (int)Math.Round(settings.DropRate * 100))));

    /// <summary>A stable derived seed (System.HashCode is randomised per process, so this mixes by hand).</summary>
    public static int DerivedSeed(int seed, int stream)
    {
        unchecked
        {
            var h = (uint)seed * 2654435761u;
            h ^= (uint)stream + 0x9E3779B9u + (h << 6) + (h >> 2);
            return (int)(h & 0x7FFFFFFF);
        }
    }

    private static void DisposeAll(Dictionary<string, Tensor>? tensors)
    {
        if (tensors is null)
        {
            return;
        }

        foreach (var t in tensors.Values)
        {
            t.Dispose();
        }
    }
}
