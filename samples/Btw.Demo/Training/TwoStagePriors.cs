using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using Btw.Demo.Data;
using Btw.Demo.Metrics;
using TorchSharp;
using static TorchSharp.torch;

namespace Btw.Demo.Training;

/// <summary>
/// What the two-stage protocol (<see cref="TrainingProtocol.TwoStage"/>) computes once per seed before any weighted run:
/// the predictions of one unimodal model per view, trained alone and frozen, for every row of every split (no labels
/// needed to use them), and the fused predictions of the baseline mixture of experts (<c>Uniform</c>, the demo's model
/// trained the joint way) for every row of every split. Unimodal model m: Linear(width_m, EmbeddingDim)-ReLU-Linear(
/// EmbeddingDim, outputs), Adam with the run's learning rate, batch and epochs, torch seeded from the run's seed and m,
/// the task loss of <see cref="BtwLoss"/>'s defaults (cross-entropy; L1 on the standardised target), and the epoch with the best validation score of its own prediction.
/// Predictions are raw outputs: logits [N, C] (classification) or [N, 1] on the standardised target (regression).
/// Split index: 0 = train, 1 = validation, 2 = test.
/// </summary>
internal sealed class TwoStagePriors
{
    // Per split object, per baseline settings (a record: value equality over every setting that shapes the priors).
    private static readonly ConditionalWeakTable<DataSplit, Dictionary<RunSettings, TwoStagePriors>> Cache = new();

    private TwoStagePriors(Tensor[][] unimodal, Tensor[] baseline, IReadOnlyList<MetricSet> testUnimodal, RunResult baselineRun)
    {
        Unimodal = unimodal;
        Baseline = baseline;
        TestUnimodal = testUnimodal;
        BaselineRun = baselineRun;
    }

    /// <summary>[split][modality]: the frozen unimodal model's outputs for every row of the split.</summary>
    public Tensor[][] Unimodal { get; }

    /// <summary>[split]: the baseline mixture of experts' fused outputs for every row of the split (at its selected epoch).</summary>
    public Tensor[] Baseline { get; }

    /// <summary>Test metrics of each frozen unimodal model (the paper's-case check against separately trained models).</summary>
    public IReadOnlyList<MetricSet> TestUnimodal { get; }

    /// <summary>The baseline run (Uniform, joint protocol, same seed): under two stages Uniform is this run.</summary>
    public RunResult BaselineRun { get; }

    /// <summary>
    /// The priors of <paramref name="settings"/> (its seed, drop rate and training settings; not its configuration) on
    /// <paramref name="split"/>, computed on first use and cached while the split lives (every configuration of a seed
    /// sees the same frozen models and baseline: the runs stay paired).
    /// </summary>
    public static TwoStagePriors For(DataSplit split, RunSettings settings, SplitTensors[] tensors, double targetMean, double targetStd)
    {
        ArgumentNullException.ThrowIfNull(split);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(tensors);
        var baselineSettings = settings with { Mode = BtwWeighting.Uniform, Configuration = null, Protocol = TrainingProtocol.Joint };
        var cache = Cache.GetOrCreateValue(split);
        if (cache.TryGetValue(baselineSettings, out var cached))
        {
            return cached;
        }

        var task = split.Train.Task;
        var outputs = task == BtwTask.Classification ? split.Train.Classes : 1;
        var m = split.Train.Views.Count;
        var unimodal = new Tensor[3][];
        for (var s = 0; s < 3; s++)
        {
            unimodal[s] = new Tensor[m];
        }

        var testUnimodal = new MetricSet[m];
        for (var j = 0; j < m; j++)
        {
            var (predictions, test) = TrainUnimodal(split, settings, tensors, j, outputs, targetMean, targetStd);
            for (var s = 0; s < 3; s++)
            {
                unimodal[s][j] = predictions[s];
            }

            testUnimodal[j] = test;
        }

        var (baselineRun, baseline) = Trainer.RunCapturingFused(split, baselineSettings);
        var priors = new TwoStagePriors(unimodal, baseline, testUnimodal, baselineRun);
        cache[baselineSettings] = priors;
        return priors;
    }

    private static (Tensor[] Predictions, MetricSet Test) TrainUnimodal(DataSplit split, RunSettings settings, SplitTensors[] tensors, int modality, int outputs, double targetMean, double targetStd)
    {
        var task = split.Train.Task;
        torch.manual_seed(Trainer.DerivedSeed(settings.Seed, 500 + modality));
        using var model = nn.Sequential(
            nn.Linear(split.Train.Views[modality].Width, settings.EmbeddingDim),
            nn.ReLU(),
            nn.Linear(settings.EmbeddingDim, outputs));
        using var optimizer = torch.optim.Adam(model.parameters(), settings.LearningRate, weight_decay: settings.WeightDecay);
        var shuffle = new Random(Trainer.DerivedSeed(settings.Seed, 600 + modality));
        var train = tensors[0];
        var order = Enumerable.Range(0, train.Rows).ToArray();
        var selection = MetricSet.SelectionMetric(task);
        var higherIsBetter = MetricSet.HigherIsBetter(selection);
        double? best = null;
        Tensor[]? bestPredictions = null;
        MetricSet? bestTest = null;
        for (var epoch = 1; epoch <= settings.Epochs; epoch++)
        {
            model.train();
            SplitMaker.Shuffle(order, shuffle);
            for (var start = 0; start < order.Length; start += settings.BatchSize)
            {
                var count = Math.Min(settings.BatchSize, order.Length - start);
                using var scope = torch.NewDisposeScope();
                var ids = torch.tensor(order.AsSpan(start, count).ToArray().Select(i => (long)i).ToArray(), new long[] { count });
                var prediction = model.call(train.Views[modality].index_select(0, ids));
                var targets = train.Targets.index_select(0, ids);
                var loss = task == BtwTask.Classification
                    ? nn.functional.cross_entropy(prediction, targets)
                    : (prediction.reshape(count) - targets).abs().mean();
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
            }

            model.eval();
            using (torch.no_grad())
            {
                var predictions = tensors.Select(t => model.call(t.Views[modality])).ToArray();
                var validation = Trainer.ScoreOutputs(split.Validation, task, predictions[1], targetMean, targetStd);
                var score = validation[selection];
                if (best is null || (higherIsBetter ? score > best : score < best))
                {
                    best = score;
                    Trainer.DisposeAll(bestPredictions);
                    bestPredictions = predictions;
                    bestTest = Trainer.ScoreOutputs(split.Test, task, predictions[2], targetMean, targetStd);
                }
                else
                {
                    Trainer.DisposeAll(predictions);
                }
            }
        }

        return (bestPredictions!, bestTest!);
    }
}
