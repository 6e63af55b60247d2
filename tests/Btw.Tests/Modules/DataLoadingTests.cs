using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using MyApp;
using Xunit;
using static TorchSharp.torch;

namespace Btw.Tests.Modules;

/// <summary>
/// The README's data-loading example (ReadmeDataLoading.cs): ids from a TorchSharp Dataset survive the DataLoader's
/// shuffling as int64 [B], and the model and weighter checkpoint together and resume where the weighter left off.
/// </summary>
public class DataLoadingTests
{
    private const int N = 150;

    private static ThreeModalityDataset Data(int seed)
    {
        manual_seed(seed);
        var first = randn(N, 6);
        var inputs = new[] { first, first + (0.5 * randn(N, 6)), randn(N, 6) };
        var present = rand(N, 3).gt(0.2);
        present[.., 0] = true;
        return new ThreeModalityDataset(inputs, present, first.narrow(1, 0, 3).argmax(1));
    }

    private static ThreeModalityModel Model() =>
        new(new BtwMoEOptions { Modalities = 3, EmbeddingDim = 8, Outputs = 3, Experts = 4, TopK = 2 }, 6, 6, 6);

    [Fact]
    public void The_loader_collates_the_dataset_ids_into_a_permutation_shuffled_by_its_seed()
    {
        using var data = Data(1);
        var orders = new List<long[]>();
        foreach (var seed in new[] { 0, 1, 0 })
        {
            using var loader = utils.data.DataLoader(data, batchSize: 64, shuffle: true, seed: seed, disposeDataset: false);
            var ids = new List<long>();
            foreach (var batch in loader)
            {
                Assert.Equal(ScalarType.Int64, batch["id"].dtype);
                Assert.Equal(1, batch["id"].dim());
                Assert.Equal(ScalarType.Bool, batch["present"].dtype);
                Assert.Equal(new[] { batch["id"].shape[0], 3L }, batch["present"].shape);
                ids.AddRange(batch["id"].data<long>().ToArray());
            }

            Assert.Equal(Enumerable.Range(0, N).Select(i => (long)i), ids.Order());
            Assert.NotEqual(Enumerable.Range(0, N).Select(i => (long)i), ids);   // shuffled
            orders.Add([.. ids]);
        }

        Assert.NotEqual(orders[0], orders[1]);   // a new order for a new seed, the same ids
        Assert.Equal(orders[0], orders[2]);      // the same seed, the same order (so one loader repeats its order)
    }

    [Fact]
    public void Training_resumes_from_the_checkpoint_at_the_epoch_the_weighter_completed()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"btw-ckpt-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var checkpoint = Path.Combine(folder, "run");
        try
        {
            using var data = Data(2);
            set_num_threads(1);
            manual_seed(5);
            using (var model = Model())
            using (var weighter = DataLoading.Train(model, data, checkpoint, epochs: 2))
            {
                Assert.Equal(2, weighter.CompletedEpochs);
                Assert.Equal(N, weighter.Count);   // one stored row per dataset id
            }

            Assert.True(File.Exists(checkpoint + ".model") && File.Exists(checkpoint + ".btw"));
            Assert.False(File.Exists(checkpoint + ".model.tmp"));
            byte[] saved;
            using (var before = BtwWeighter.Load(checkpoint + ".btw"))
            {
                saved = WeightsOf(before);
            }

            manual_seed(99);   // a fresh model whose parameters differ until the checkpoint is loaded
            using var resumedModel = Model();
            using var resumed = DataLoading.Train(resumedModel, data, checkpoint, epochs: 4);
            Assert.Equal(4, resumed.CompletedEpochs);
            Assert.Equal(N, resumed.Count);
            Assert.NotEqual(saved, WeightsOf(resumed));   // two more epochs moved the weights

            // Loading the final checkpoint restores exactly the weights and parameters just saved.
            manual_seed(123);
            using var reloadedModel = Model();
            using var reloaded = Checkpoint.Load(reloadedModel, checkpoint);
            Assert.Equal(WeightsOf(resumed), WeightsOf(reloaded));
            var expected = resumedModel.parameters().Select(p => p.data<float>().ToArray()).ToList();
            var actual = reloadedModel.parameters().Select(p => p.data<float>().ToArray()).ToList();
            Assert.Equal(expected, actual);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static byte[] WeightsOf(BtwWeighter weighter)
    {
        using var scope = NewDisposeScope();
        var weights = weighter.WeightsFor(arange(N, dtype: ScalarType.Int64)).data<float>().ToArray();
        return weights.SelectMany(BitConverter.GetBytes).ToArray();
    }
}
