using System;
using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using Btw.Information;

namespace Btw.Benchmarks;

/// <summary>
/// The hand-tuned kernels the library keeps against their BCL equivalents, on the sizes the library runs them at:
/// RadixSort vs MemoryExtensions.Sort (keys and items) over the 100,000 values of one KSG marginal; NumpySum (kept for
/// bit-exactness with NumPy, not speed) vs TensorPrimitives.Sum over 100,000 values; and TensorPrimitives.Exp, which
/// replaced FastMath.Exp, against a Math.Exp loop over one batch's logits ((M + 1) x B x C = 5 x 256 x 10). The
/// measurements that retired FastMath.Exp and kept the tree's k = 3 register path are in docs/performance.md.
/// Run: <c>dotnet Btw.Benchmarks.dll --filter '*HandTuned*'</c>.
/// </summary>
[Config(typeof(ShortRunConfig))]
[BenchmarkCategory("Kernels")]
public class HandTunedKernelBenchmarks
{
    private const int Logits = 5 * 256 * 10;
    private const int N = 100_000;
    private readonly double[] _logits = new double[Logits];
    private readonly double[] _exp = new double[Logits];
    private readonly double[] _values = new double[N];
    private readonly double[] _y = new double[N];
    private readonly double[] _sortValues = new double[N];
    private readonly int[] _order = new int[N];
    private readonly ulong[] _keys = new ulong[N];
    private readonly ulong[] _keyScratch = new ulong[N];
    private readonly int[] _itemScratch = new int[N];

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(7);
        for (var i = 0; i < Logits; i++)
        {
            _logits[i] = -Math.Abs(rng.NextDouble() * 12.0);     // log_softmax inputs: max-subtracted, <= 0
        }

        for (var i = 0; i < N; i++)
        {
            _values[i] = (rng.NextDouble() * 2) - 1;
            _y[i] = _values[i] + (0.3 * rng.NextDouble());
        }
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Exp")]
    public double Exp_TensorPrimitives()
    {
        TensorPrimitives.Exp(_logits, _exp);
        return _exp[17];
    }

    [Benchmark]
    [BenchmarkCategory("Exp")]
    public double Exp_MathExpLoop()
    {
        for (var i = 0; i < _logits.Length; i++)
        {
            _exp[i] = Math.Exp(_logits[i]);
        }

        return _exp[17];
    }

    [Benchmark]
    [BenchmarkCategory("Sort")]
    public int Sort_MemoryExtensions()
    {
        _values.CopyTo(_sortValues, 0);
        for (var i = 0; i < N; i++)
        {
            _order[i] = i;
        }

        _sortValues.AsSpan().Sort(_order.AsSpan());
        return _order[17];
    }

    [Benchmark]
    [BenchmarkCategory("Sort")]
    public int Sort_Radix()
    {
        for (var i = 0; i < N; i++)
        {
            _keys[i] = RadixSort.KeyOf(_values[i]);
            _order[i] = i;
        }

        RadixSort.SortPairs(_keys, _order, _keyScratch, _itemScratch);
        for (var i = 0; i < N; i++)
        {
            _sortValues[i] = RadixSort.ValueOf(_keys[i]);
        }

        return _order[17];
    }

    [Benchmark]
    [BenchmarkCategory("Sum")]
    public double Sum_TensorPrimitives() => TensorPrimitives.Sum(_values);

    [Benchmark]
    [BenchmarkCategory("Sum")]
    public double Sum_NumpySum() => NumpySum.Sum(_values);
}
