using System;
using System.Collections.Generic;
using System.Linq;
using Btw.Kernels;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Btw.Tests.Kernels;

/// <summary>
/// The weighter computes a batch's statistics on the host for CPU outputs and with tensor operations on other devices.
/// Both paths run here on CPU tensors and must agree on every quantity, to rounding, including rows with NaN and
/// infinite outputs, a temperature, mixed and half-precision dtypes and every regression shape.
/// </summary>
public class BatchStatisticsPathTests
{
    private const int Batch = 37;

    public static TheoryData<string> Cases => new() { "logits", "logits-T", "logits-f64-mixed", "logits-half", "logits-nonfinite", "logits-one-class", "mean", "mean-column", "mean-logvar", "mean-logvar-nonfinite" };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Host_and_device_paths_agree_on_every_quantity(string name)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(11);
        var m = 3;
        var regression = name.StartsWith("mean", StringComparison.Ordinal);
        var options = new BtwOptions
        {
            Modalities = m,
            Task = regression ? BtwTask.Regression : BtwTask.Classification,
            Temperature = name == "logits-T" ? 2.5 : 1.0,
            RegressionSigma = 0.7,
        };
        long[] shape = name switch
        {
            "mean" => [Batch],
            "mean-column" => [Batch, 1],
            "mean-logvar" or "mean-logvar-nonfinite" => [Batch, 2],
            "logits-one-class" => [Batch, 1],
            _ => [Batch, 6],
        };
        var multimodal = randn(shape, generator: generator) * 4;
        var unimodal = Enumerable.Range(0, m).Select(j => (multimodal * (1 - (0.4 * j))) + (randn(shape, generator: generator) * 2)).ToList();
        if (name == "logits-f64-mixed")
        {
            multimodal = multimodal.to_type(ScalarType.Float64);
        }

        if (name == "logits-half")
        {
            unimodal = unimodal.Select(u => u.to_type(ScalarType.Float16)).ToList();
        }

        if (name.EndsWith("nonfinite", StringComparison.Ordinal))
        {
            unimodal[0][2] = unimodal[0][2] * double.NaN;
            unimodal[1][5] = unimodal[1][5] * double.PositiveInfinity;
            multimodal[7] = multimodal[7] * double.NegativeInfinity;
            unimodal[2][9] = unimodal[2][9] - double.PositiveInfinity;
            unimodal[0][4, 0] = double.NegativeInfinity;   // one -inf entry: probability 0, the row is not finite
            unimodal[1][6, 0] = 1e30;                      // a huge but finite output
        }

        using var host = BatchStatistics.ComputeOnHost(unimodal, multimodal, options);
        using var device = BatchStatistics.ComputeOnDevice(unimodal, multimodal, options);
        var checkedValues = 0;
        for (var i = 0; i < Batch; i++)
        {
            for (var j = 0; j <= m; j++)
            {
                Assert.Equal(device.IsFinite(i, j), host.IsFinite(i, j));
                Same(device.Value(i, j), host.Value(i, j), i, j, "value");
                Same(device.Agreement(i, j), host.Agreement(i, j), i, j, "agreement");
                if (j < m)
                {
                    Same(device.Divergence(i, j), host.Divergence(i, j), i, j, "divergence");
                    Same(device.Confidence(i, j), host.Confidence(i, j), i, j, "confidence");
                    checkedValues += 4;
                }
            }
        }

        Assert.Equal(Batch * m * 4, checkedValues);
        if (name.EndsWith("nonfinite", StringComparison.Ordinal))
        {
            Assert.False(host.IsFinite(2, 0));
            Assert.False(host.IsFinite(5, 1));
            Assert.False(host.IsFinite(7, m));
            Assert.True(host.IsFinite(8, 0));
        }
    }

    [Fact]
    public void Host_path_gives_the_hand_computed_values_of_a_small_batch()
    {
        using var scope = NewDisposeScope();
        var options = new BtwOptions { Modalities = 1 };
        var z = tensor(new[] { 1f, 2f, 0f }, new long[] { 1, 3 });
        var u = tensor(new[] { 0f, 0f, 3f }, new long[] { 1, 3 });
        using var s = BatchStatistics.ComputeOnHost([u], z, options);
        var pz = Softmax([1, 2, 0]);
        var pu = Softmax([0, 0, 3]);
        var kl = Enumerable.Range(0, 3).Sum(c => pu[c] * Math.Log(pu[c] / pz[c]));
        Assert.Equal(kl, s.Divergence(0, 0), 12);
        Assert.Equal(2.0, s.Value(0, 0));
        Assert.Equal(1.0, s.Value(0, 1));
        Assert.Equal(Math.Log(3) + pu.Sum(p => p * Math.Log(p)), s.Confidence(0, 0), 12);
        Assert.Equal(pu[1], s.Agreement(0, 0), 12);
        Assert.Equal(pz[1], s.Agreement(0, 1), 12);
        Assert.True(s.IsFinite(0, 0));
    }

    private static double[] Softmax(double[] x)
    {
        var e = x.Select(Math.Exp).ToArray();
        return e.Select(v => v / e.Sum()).ToArray();
    }

    private static void Same(double expected, double actual, int row, int modality, string what)
    {
        if (double.IsNaN(expected) || double.IsNaN(actual))
        {
            Assert.True(double.IsNaN(expected) && double.IsNaN(actual), $"{what} row {row} modality {modality}: {expected} vs {actual}");
            return;
        }

        if (double.IsInfinity(expected))
        {
            Assert.Equal(expected, actual);
            return;
        }

        var tolerance = 1e-12 * Math.Max(1.0, Math.Abs(expected));
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"{what} row {row} modality {modality}: {expected} vs {actual}");
    }
}
