using System.Collections.Generic;
using BenchmarkDotNet.Attributes;
using TorchSharp;
using static TorchSharp.torch;

namespace Btw.Benchmarks;

/// <summary>
/// WeightsFor + Observe after 10 and after 1,000 prior steps of the same epoch (ids cycling through the 100,000
/// examples, as in training): the allocated bytes per operation must be the same, i.e. nothing allocated per step grows
/// with the number of steps. (MemoryCheck, run with --memory, checks the same step by step.)
/// </summary>
[Config(typeof(ShortRunConfig))]
public class StepAllocationBenchmarks
{
    private Workload _data = null!;
    private BtwWeighter _weighter = null!;
    private Tensor[] _ids = null!;
    private List<Tensor>[] _unimodal = null!;
    private Tensor[] _multimodal = null!;
    private int _step;

    [Params(10, 1000)]
    public int PriorSteps { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        Workload.ConfigureTorchThreads();
        _data = new Workload();
        var batches = _data.Batches - 1;   // full batches only
        _ids = new Tensor[batches];
        _unimodal = new List<Tensor>[batches];
        _multimodal = new Tensor[batches];
        for (var b = 0; b < batches; b++)
        {
            var (start, length) = _data.Range(b);
            _ids[b] = _data.Ids.narrow(0, start, length).contiguous().DetachFromDisposeScope();
            _unimodal[b] = Workload.Slice(_data.ClassificationUnimodal, start, length).ConvertAll(t => t.contiguous().DetachFromDisposeScope());
            _multimodal[b] = _data.ClassificationMultimodal.narrow(0, start, length).contiguous().DetachFromDisposeScope();
        }

        _weighter = new BtwWeighter(new BtwOptions { Modalities = Workload.Modalities, Task = BtwTask.Classification, Weighting = BtwWeighting.KlMi, UnseenWeights = BtwUnseenWeights.Ones });
        for (var s = 0; s < PriorSteps; s++)
        {
            WeightsForPlusObserve();
        }
    }

    [Benchmark]
    [BenchmarkCategory("Core")]
    public void WeightsForPlusObserve()
    {
        using var scope = NewDisposeScope();
        var b = _step++ % _ids.Length;
        _ = _weighter.WeightsFor(_ids[b]);
        _weighter.Observe(_ids[b], _unimodal[b], _multimodal[b]);
    }
}
