using System;
using System.IO;
using System.Linq;
using Btw.Tests.Modules;
using Btw.Tests.Support;
using Xunit;
using static TorchSharp.torch;

namespace Btw.Tests.Reports;

/// <summary>The public view of the expert-routing counters: snapshot, shares, imbalance, reset, scalars and TensorBoard.</summary>
public class ExpertLoadTests
{
    [Fact]
    public void The_load_counts_present_tokens_times_k_and_matches_the_dense_reference()
    {
        using var scope = NewDisposeScope();
        manual_seed(4);
        using var model = new IdentityEncoderModel(TestData.Options(3, dim: 6, experts: 8, topK: 2));
        model.eval();
        var inputs = TestData.Inputs(3, 10, 6, seed: 5);
        var present = ones(10, 3, ScalarType.Bool);
        present[0, 1] = false;
        model.ResetExpertLoad();
        using var output = model.call(new BtwInput(inputs, Present: present));

        var load = model.ExpertLoad();
        var reference = new DenseReference(model);
        reference.Multimodal(DenseReference.Flatten(inputs), 10, present: present.data<bool>().ToArray());
        Assert.Equal(reference.ExpertCounts, load.Rows);
        Assert.Equal(29 * 2, load.Total);
        Assert.Equal(1.0, Enumerable.Range(0, 8).Sum(load.Share), 12);
        Assert.Equal((double)load.Rows.Max() / load.Total * 8, load.Imbalance, 12);
        Assert.InRange(load.Imbalance, 1.0, 8.0);
        Assert.Contains("imbalance (max share x E)", load.ToTable(), StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => load.Share(8));

        model.ResetExpertLoad();
        var empty = model.ExpertLoad();
        Assert.Equal(0, empty.Total);
        Assert.Equal(0.0, empty.Imbalance);
        Assert.Equal(58, load.Total);   // a snapshot: the reset does not change it
    }

    [Fact]
    public void The_load_scalars_read_back_from_a_TensorBoard_event_file()
    {
        using var scope = NewDisposeScope();
        manual_seed(8);
        using var model = new IdentityEncoderModel(TestData.Options(2, dim: 4, experts: 4, topK: 1));
        using var output = model.call(new BtwInput(TestData.Inputs(2, 16, 4, seed: 9)));
        var load = model.ExpertLoad();
        var scalars = load.ToScalars("moe");
        Assert.Equal("moe/experts/imbalance", scalars[0].Key);
        Assert.Equal(Enumerable.Range(0, 4).Select(e => $"moe/experts/e{e}/share"), scalars.Skip(1).Select(kv => kv.Key));

        var folder = Path.Combine(Path.GetTempPath(), $"btw-tb-load-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            var writer = utils.tensorboard.SummaryWriter(folder);
            load.WriteTo(writer, step: 3, prefix: "moe");
            var read = TensorBoardEvents.ReadFolder(folder);
            Assert.Equal(scalars.Select(kv => new TensorBoardScalar(kv.Key, 3, (float)kv.Value)), read);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
