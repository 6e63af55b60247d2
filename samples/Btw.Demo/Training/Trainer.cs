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
/// after each epoch (<c>EndEpoch(validationLoss)</c> when the configuration has an alpha step). The best epoch is
/// chosen on validation (<see cref="MetricSet.SelectionMetric"/>); the test split is evaluated whenever validation
/// reaches a new best, with the same parameters and weighter state, and the selected epoch's evaluation is reported.
/// Validation and test rows are unseen ids; they get the configuration's <see cref="EvaluationWeights"/> (by default
/// each modality's mean training weight of the epoch; FromOutputs and ModalityMean go through the library's
/// <see cref="BtwEvaluation.PredictUnseen"/>); no labels are used to weight.
/// </summary>
internal static class Trainer
{
    private const int EvaluationBatch = 1024;

    public static RunResult Run(DataSplit split, RunSettings settings, Action<RunSettings, EpochRecord>? onEpoch = null) =>
        RunCore(split, settings, onEpoch, captureFused: false).Result;

    /// <summary>
    /// Runs like <see cref="Run"/> and also returns the fused outputs of the selected epoch's model for every row of
    /// every split ([0] train, [1] validation, [2] test; logits [N, C] or [N, 1] on the standardised target), evaluated
    /// with the run's evaluation weights. The two-stage protocol's baseline.
    /// </summary>
    public static (RunResult Result, Tensor[] Fused) RunCapturingFused(DataSplit split, RunSettings settings)
    {
        var (result, fused) = RunCore(split, settings, null, captureFused: true);
        return (result, fused!);
    }

    private static (RunResult Result, Tensor[]? Fused) RunCore(DataSplit split, RunSettings settings, Action<RunSettings, EpochRecord>? onEpoch, bool captureFused)
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

        var configuration = settings.EffectiveConfiguration;
        TwoStagePriors? priors = null;
        if (settings.Protocol == TrainingProtocol.TwoStage)
        {
            priors = TwoStagePriors.For(split, settings, new[] { train, validation, test }, targetMean, targetStd);
            if (configuration.Mode == BtwWeighting.Uniform && !configuration.IsRecommended)
            {
                // Uniform weights are 1 for every row of every split whatever the weighter observes: the run is the baseline.
                return (priors.BaselineRun with { Settings = settings, TestUnimodal = priors.TestUnimodal }, null);
            }
        }

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
        var options = configuration.ToOptions(m, task, settings.Alpha, settings.EvaluationWeights);
        var rule = configuration.EvaluationFor(options, settings.EvaluationWeights);
        using var weighter = new BtwWeighter(options);

        // Two stages: validation and test rows get their own weighters (same options), fed like the training one, label-free;
        // the first fold of all three is the frozen unimodal predictions beside the baseline's fused ones.
        using var validationWeighter = priors is null ? null : new BtwWeighter(options);
        using var testWeighter = priors is null ? null : new BtwWeighter(options);
        if (priors is not null)
        {
            var splits = new[] { train, validation, test };
            var weighters = new[] { weighter, validationWeighter!, testWeighter! };
            for (var s = 0; s < 3; s++)
            {
                using var scope = torch.NewDisposeScope();
                var ids = torch.arange(splits[s].Rows, ScalarType.Int64);
                weighters[s].Observe(ids, priors.Unimodal[s], priors.Baseline[s], splits[s].Present);
                weighters[s].EndEpoch();
            }
        }

        var shuffle = new Random(DerivedSeed(settings.Seed, 0));
        var order = Enumerable.Range(0, train.Rows).ToArray();
        var epochs = new List<EpochRecord>();
        var selection = MetricSet.SelectionMetric(task);
        var higherIsBetter = MetricSet.HigherIsBetter(selection);
        var bestEpoch = 0;
        MetricSet? bestValidation = null;
        SplitEvaluation? bestTest = null;
        var trainedWith = Enumerable.Repeat(1.0, m).ToArray(); // the mean weights in force during the epoch
        Tensor[]? fused = null;
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
                weighter.Observe(ids, priors is null ? output.Unimodal : priors.Unimodal[0].Select(u => u.index_select(0, ids)).ToArray(), output.Multimodal.detach(), present);
                lossSum += loss.item<float>() * count;
            }

            // Validation (and, at a new best, test) are evaluated before EndEpoch, with the weighter in the state the
            // epoch trained with; the selected epoch's test evaluation is the one reported (selection reads validation only).
            var evaluation = new EvaluationContext(rule, rule == EvaluationWeights.TrainingMean ? trainedWith : null, weighter, targetMean, targetStd);
            var validationResult = Evaluate(model, validation, task, priors is null ? evaluation : evaluation with { RowWeighter = validationWeighter, FrozenUnimodal = priors.Unimodal[1] });
            var testResult = priors is null ? null : Evaluate(model, test, task, evaluation with { RowWeighter = testWeighter, FrozenUnimodal = priors.Unimodal[2] });
            validationWeighter?.EndEpoch();
            testWeighter?.EndEpoch();
            var validationMetrics = validationResult.Metrics;
            var score = validationMetrics[selection];
            if (bestValidation is null || (higherIsBetter ? score > bestValidation[selection] : score < bestValidation[selection]))
            {
                bestValidation = validationMetrics;
                bestEpoch = epoch;
                bestTest = testResult ?? Evaluate(model, test, task, evaluation);
                if (captureFused)
                {
                    DisposeAll(fused);
                    fused = new[] { train, validation, test }.Select(t => FusedOutputs(model, t, evaluation)).ToArray();
                }
            }

            var report = options.AlphaStep > 0 ? weighter.EndEpoch(validationResult.Loss) : weighter.EndEpoch();
            var record = new EpochRecord(
                epoch,
                lossSum / order.Length,
                validationMetrics,
                report.Modalities.Select(r => r.MeanWeight).ToArray(),
                report.Modalities.Select(r => r.MutualInformation).ToArray(),
                clock.Elapsed.TotalSeconds)
            {
                Alpha = report.Alpha,
            };
            epochs.Add(record);
            onEpoch?.Invoke(settings, record);
            trainedWith = report.Modalities.Select(r => r.Present > 0 ? r.MeanWeight : 1.0).ToArray();
        }

        var finalWeights = new float[train.Rows * m];
        for (var id = 0; id < train.Rows; id++)
        {
            if (!weighter.TryGetWeights(id, finalWeights.AsSpan(id * m, m)))
            {
                finalWeights.AsSpan(id * m, m).Fill(float.NaN);
            }
        }

        return (new RunResult(settings, split.Train.ViewNames, epochs, bestEpoch, bestValidation!, bestTest!.Metrics, clock.Elapsed.TotalSeconds)
        {
            FinalTrainingWeights = finalWeights,
            TrainingPresent = train.PresentMask,
            TestUnimodal = priors?.TestUnimodal ?? bestTest.Unimodal,
        }, fused);
    }

    /// <summary>Metrics of raw outputs (logits [N, C], or [N, 1] on the standardised target) against a split's targets.</summary>
    public static MetricSet ScoreOutputs(MultiViewDataset data, BtwTask task, Tensor outputs, double targetMean, double targetStd)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(outputs);
        using var scope = torch.NewDisposeScope();
        var predicted = task == BtwTask.Classification
            ? outputs.argmax(1).to_type(ScalarType.Float64).data<double>().ToList()
            : outputs.select(1, 0).to_type(ScalarType.Float64).data<double>().ToArray().Select(v => v * targetStd + targetMean).ToList();
        return Score(data, task, predicted);
    }

    // The fused outputs of every row of a split (evaluation mode, no gradient), with the context's weights; caller disposes.
    private static Tensor FusedOutputs(BtwMixtureOfExperts model, SplitTensors split, EvaluationContext context)
    {
        model.eval();
        using var noGrad = torch.no_grad();
        var parts = new List<Tensor>();
        for (var start = 0; start < split.Rows; start += EvaluationBatch)
        {
            var count = Math.Min(EvaluationBatch, split.Rows - start);
            using var scope = torch.NewDisposeScope();
            var inputs = split.Views.Select(v => v.narrow(0, start, count)).ToArray();
            var present = split.Present.narrow(0, start, count);
            using var output = model.call(new BtwInput(inputs, RowWeights(present, context.ModalityWeights), present));
            parts.Add(output.Multimodal.detach().clone().MoveToOuterDisposeScope());
        }

        model.train();
        var all = torch.cat(parts, 0);
        DisposeAll(parts.ToArray());
        return all;
    }

    /// <summary>Disposes every tensor of <paramref name="tensors"/> (null: nothing).</summary>
    public static void DisposeAll(Tensor[]? tensors)
    {
        foreach (var t in tensors ?? Array.Empty<Tensor>())
        {
            t.Dispose();
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
    /// Predicts a split in evaluation mode and scores the fused prediction and every unimodal head. Row weights follow
    /// <see cref="EvaluationContext.Rule"/>: TrainingMean and Ones use <see cref="EvaluationContext.ModalityWeights"/>
    /// (null = all 1) times the presence mask, rescaled per row to sum to the number of present modalities;
    /// ModalityMean and FromOutputs call the library's <see cref="BtwEvaluation.PredictUnseen"/> with the weighter.
    /// </summary>
    public static SplitEvaluation Evaluate(BtwMixtureOfExperts model, SplitTensors split, BtwTask task, EvaluationContext context)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(split);
        ArgumentNullException.ThrowIfNull(context);
        model.eval();
        using var noGrad = torch.no_grad();
        var m = split.Views.Length;
        var fused = new List<double>(split.Rows);
        var unimodal = Enumerable.Range(0, m).Select(_ => new List<double>(split.Rows)).ToArray();
        double lossSum = 0;
        for (var start = 0; start < split.Rows; start += EvaluationBatch)
        {
            var count = Math.Min(EvaluationBatch, split.Rows - start);
            using var scope = torch.NewDisposeScope();
            var inputs = split.Views.Select(v => v.narrow(0, start, count)).ToArray();
            var present = split.Present.narrow(0, start, count);
            var targets = split.Targets.narrow(0, start, count);
            var rowIds = context.RowWeighter is null ? null : torch.arange(start, start + count, ScalarType.Int64);
            using var output = context.RowWeighter is not null
                ? model.call(new BtwInput(inputs, context.RowWeighter.WeightsFor(rowIds!, present), present))
                : context.Rule is EvaluationWeights.ModalityMean or EvaluationWeights.FromOutputs
                ? model.PredictUnseen(inputs, present, context.Weighter ?? throw new ArgumentException("ModalityMean and FromOutputs evaluation need the weighter.", nameof(context)))
                : model.call(new BtwInput(inputs, RowWeights(present, context.ModalityWeights), present));
            if (context.RowWeighter is not null)
            {
                context.RowWeighter.Observe(rowIds!, context.FrozenUnimodal!.Select(u => u.narrow(0, start, count)).ToArray(), output.Multimodal, present);
            }

            if (task == BtwTask.Classification)
            {
                lossSum += nn.functional.cross_entropy(output.Multimodal, targets, reduction: nn.Reduction.Sum).item<float>();
                fused.AddRange(output.Multimodal.argmax(1).to_type(ScalarType.Float64).data<double>());
                for (var j = 0; j < m; j++)
                {
                    unimodal[j].AddRange(output.Unimodal[j].argmax(1).to_type(ScalarType.Float64).data<double>());
                }
            }
            else
            {
                lossSum += (output.Multimodal.select(1, 0) - targets).abs().sum().item<float>();
                fused.AddRange(Values(output.Multimodal, context));
                for (var j = 0; j < m; j++)
                {
                    unimodal[j].AddRange(Values(output.Unimodal[j], context));
                }
            }
        }

        model.train();
        return new SplitEvaluation(Score(split.Data, task, fused), lossSum / split.Rows, unimodal.Select(u => Score(split.Data, task, u)).ToArray());
    }

    private static IEnumerable<double> Values(Tensor prediction, EvaluationContext context) =>
        prediction.select(1, 0).to_type(ScalarType.Float64).data<double>().ToArray().Select(v => v * context.TargetStdDev + context.TargetMean);

    private static MetricSet Score(MultiViewDataset data, BtwTask task, List<double> predicted) =>
        task == BtwTask.Classification
            ? MetricSet.Classification(data.Labels, predicted.Select(p => (int)p).ToArray())
            : MetricSet.Regression(data.Targets!.Select(t => (double)t).ToArray(), predicted.ToArray());

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
}
