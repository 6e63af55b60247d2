using System.Collections.Generic;
using BenchmarkDotNet.Attributes;
using Btw.Benchmarks.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Btw.Benchmarks;

/// <summary>
/// The weighter's costs against the training it rides on, measured in one run: N = 100,000 examples, M = 4 modalities,
/// C = 10 classes, B = 256, the demo model (the library's mixture of experts, EmbeddingDim 32, 8 experts, top-2).
/// <see cref="TrainingStep"/> is the reference (ratios are against it); the EndEpoch figures are compared with
/// <see cref="TrainingEpoch_100k"/> by benchmarks/run.sh.
/// </summary>
[Config(typeof(ShortRunConfig))]
public class BtwBenchmarks
{
    private Workload _data = null!;
    private Trainer _trainer = null!;
    private Tensor _ones = null!;
    private Tensor _onesLast = null!;
    private List<Tensor>[] _batchInputs = null!;
    private Tensor[] _batchLabels = null!;
    private Tensor[] _batchIds = null!;
    private BtwWeighter _stepWeighter = null!;
    private Tensor _multimodal = null!;
    private Tensor[] _unimodal = null!;
    private BtwWeighter _classificationSource = null!;
    private BtwWeighter _regressionSource = null!;
    private BtwWeighter _classification = null!;
    private BtwWeighter _regression = null!;
    private int _step;

    [GlobalSetup]
    public void Setup()
    {
        Workload.ConfigureTorchThreads();
        _data = new Workload();
        _trainer = new Trainer();
        _ones = ones(Workload.Batch, Workload.Modalities).DetachFromDisposeScope();
        var batches = _data.Batches;
        _onesLast = ones(_data.Range(batches - 1).Length, Workload.Modalities).DetachFromDisposeScope();
        _batchInputs = new List<Tensor>[batches];
        _batchLabels = new Tensor[batches];
        _batchIds = new Tensor[batches];
        for (var b = 0; b < batches; b++)
        {
            var (start, length) = _data.Range(b);
            _batchInputs[b] = Workload.Slice(_data.Inputs, start, length).ConvertAll(t => t.contiguous().DetachFromDisposeScope());
            _batchLabels[b] = _data.Labels.narrow(0, start, length).contiguous().DetachFromDisposeScope();
            _batchIds[b] = _data.Ids.narrow(0, start, length).contiguous().DetachFromDisposeScope();
        }

        // The per-step weighter is in the steady state of a later epoch: every id has stored weights and an epoch row.
        (_multimodal, _unimodal) = _trainer.Predict(_batchInputs[0]);
        _stepWeighter = _data.ObservedWeighter(BtwTask.Classification);
        _stepWeighter.EndEpoch();
        for (var b = 0; b < batches - 1; b++)
        {
            WeightsForPlusObserve();
        }

        _classificationSource = _data.ObservedWeighter(BtwTask.Classification);
        _regressionSource = _data.ObservedWeighter(BtwTask.Regression);
        _classification = new BtwWeighter(new BtwOptions { Modalities = Workload.Modalities, Task = BtwTask.Classification, Weighting = BtwWeighting.KlMi, UnseenWeights = BtwUnseenWeights.Ones });
        _regression = new BtwWeighter(new BtwOptions { Modalities = Workload.Modalities, Task = BtwTask.Regression, Weighting = BtwWeighting.Kl, UnseenWeights = BtwUnseenWeights.Ones, RegressionOutput = BtwRegressionOutput.MeanAndLogVariance, ModalityStatistics = BtwModalityStatistics.All });   // All: the KSG estimate, as this benchmark measured before 0.4
    }

    /// <summary>Reference: one training step (forward, loss, backward, Adam) of the mixture-of-experts model on B = 256.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Core")]
    public void TrainingStep()
    {
        var b = _step++ % (_data.Batches - 1);
        _trainer.Step(_batchInputs[b], _batchLabels[b], _ones);
    }

    /// <summary>The weighter's per-step work: WeightsFor(ids) then Observe(ids, 4 unimodal logits [256, 10], multimodal logits).</summary>
    [Benchmark]
    [BenchmarkCategory("Core")]
    public void WeightsForPlusObserve()
    {
        using var scope = NewDisposeScope();
        var ids = _batchIds[_step++ % (_data.Batches - 1)];
        _ = _stepWeighter.WeightsFor(ids);
        _stepWeighter.Observe(ids, _unimodal, _multimodal);
    }

    [IterationSetup(Target = nameof(EndEpoch_Classification_100k))]
    public void FillClassification() => _classification.MergeObservations(_classificationSource);

    /// <summary>EndEpoch over 100,000 observed examples, classification (discrete MI, KL x MI weights).</summary>
    [Benchmark]
    [BenchmarkCategory("Core")]
    public BtwEpochReport EndEpoch_Classification_100k() => _classification.EndEpoch();

    [IterationSetup(Target = nameof(EndEpoch_Regression_100k))]
    public void FillRegression() => _regression.MergeObservations(_regressionSource);

    /// <summary>EndEpoch over 100,000 observed examples, regression with (mean, log-variance) outputs (KSG MI, KL weights).</summary>
    [Benchmark]
    [BenchmarkCategory("Regression")]
    public BtwEpochReport EndEpoch_Regression_100k() => _regression.EndEpoch();

    /// <summary>One epoch of plain training over the 100,000 examples: 391 training steps (the last of 160 examples), measured directly.</summary>
    [Benchmark]
    [BenchmarkCategory("Core")]
    public void TrainingEpoch_100k()
    {
        for (var b = 0; b < _data.Batches; b++)
        {
            _trainer.Step(_batchInputs[b], _batchLabels[b], b == _data.Batches - 1 ? _onesLast : _ones);
        }
    }
}
