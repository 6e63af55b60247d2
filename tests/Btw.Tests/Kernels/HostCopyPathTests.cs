using System;
using System.Collections.Generic;
using System.Linq;
using Btw.Kernels;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Btw.Tests.Kernels;

/// <summary>
/// CPU outputs of one dtype that are contiguous are copied straight from their memory; anything else goes through
/// tensor operations (stack, float64). Both must give the same statistics bit for bit, whatever the layout: views with a
/// storage offset, outputs that require gradients, transposed (non-contiguous) outputs, float64 outputs.
/// </summary>
public class HostCopyPathTests
{
    private const int Batch = 29;
    private const int Modalities = 3;
    private const int Classes = 7;

    public static TheoryData<string> Layouts => new() { "offset-view", "requires-grad", "non-contiguous", "float64" };

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Direct_copy_and_tensor_path_give_the_same_bits(string layout)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(5);
        var big = randn(new long[] { Modalities + 1, 3 * Batch, Classes }, generator: generator) * 3;
        var plain = Enumerable.Range(0, Modalities + 1).Select(j => big[j].narrow(0, Batch, Batch).clone()).ToList();
        List<Tensor> outputs = layout switch
        {
            "offset-view" => Enumerable.Range(0, Modalities + 1).Select(j => big[j].narrow(0, Batch, Batch)).ToList(),
            "requires-grad" => plain.Select(t => t.clone().requires_grad_(true)).ToList(),
            "non-contiguous" => plain.Select(t => t.t().contiguous().t()).ToList(),
            _ => plain.Select(t => t.to_type(ScalarType.Float64)).ToList(),
        };
        if (layout == "offset-view")
        {
            Assert.All(outputs, t => Assert.True(t.is_contiguous()));
        }

        if (layout == "non-contiguous")
        {
            Assert.All(outputs, t => Assert.False(t.is_contiguous()));
        }

        var kernel = TaskKernel.For(new BtwOptions { Modalities = Modalities });
        using var expected = BatchStatistics.ComputeOnDevice(plain.Take(Modalities).ToList(), plain[Modalities], kernel);
        using var actual = BatchStatistics.ComputeOnHost(outputs.Take(Modalities).ToList(), outputs[Modalities], kernel);
        using var reference = BatchStatistics.ComputeOnHost(plain.Take(Modalities).ToList(), plain[Modalities], kernel);
        foreach (var column in ObservationColumns.All)
        {
            for (var j = 0; j <= Modalities; j++)
            {
                Assert.Equal(reference.Of(column, j).ToArray(), actual.Of(column, j).ToArray());
                var e = expected.Of(column, j).ToArray();
                var a = actual.Of(column, j).ToArray();
                for (var i = 0; i < Batch; i++)
                {
                    Assert.Equal(e[i], a[i], 1e-12);
                }
            }
        }

        // The labels really come from these outputs (argmax of the multimodal logits).
        var labels = plain[Modalities].argmax(1).to_type(ScalarType.Float64).data<double>().ToArray();
        Assert.Equal(labels, actual.Of(ObservationColumns.Value, Modalities).ToArray());
    }

    [Fact]
    public void Host_copy_reads_views_with_an_offset_and_non_contiguous_tensors()
    {
        using var scope = NewDisposeScope();
        var all = arange(100, ScalarType.Int64);
        var view = all.narrow(0, 37, 20);                    // contiguous, storage offset 37: read in place
        var strided = all.reshape(20, 5).select(1, 3);       // stride 5, not contiguous: goes through cpu().contiguous()
        Assert.True(view.is_contiguous());
        Assert.False(strided.is_contiguous());
        var a = new long[20];
        var b = new long[20];
        Btw.Internal.HostCopy.CopyTo(view, a.AsSpan());
        Btw.Internal.HostCopy.CopyTo(strided, b.AsSpan());
        Assert.Equal(Enumerable.Range(37, 20).Select(i => (long)i), a);
        Assert.Equal(strided.data<long>().ToArray(), b);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (long)((5 * i) + 3)), b);
    }
}
