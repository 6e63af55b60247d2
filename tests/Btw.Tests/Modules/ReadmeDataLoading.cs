// The code between the readme-data-loading markers is the example of README.md and src/Btw/PACKAGE.md ('Using it with
// TorchSharp's data loading'), verbatim: ReadmeCodeBlockTests checks that both documents contain it, so edit them together.
// <readme-data-loading>
using System.Collections.Generic;
using System.IO;
using Btw;
using TorchSharp;
using static TorchSharp.torch;

namespace MyApp;

/// <summary>
/// A TorchSharp dataset of three modalities. Each item carries its row number as "id" (an int64 scalar), which the
/// DataLoader collates into the int64 [B] ids BTW needs: an example keeps its id in every epoch, however the loader shuffles.
/// </summary>
public sealed class ThreeModalityDataset(Tensor[] inputs, Tensor present, Tensor labels) : torch.utils.data.Dataset
{
    public override long Count => labels.shape[0];

    public override Dictionary<string, Tensor> GetTensor(long index) => new()
    {
        ["id"] = tensor(index),          // the stable example id
        ["x0"] = inputs[0][index],
        ["x1"] = inputs[1][index],
        ["x2"] = inputs[2][index],
        ["present"] = present[index],    // bool [3]
        ["label"] = labels[index],
    };
}

public static class DataLoading
{
    /// <summary>
    /// Trains from a shuffling DataLoader up to <paramref name="epochs"/> epochs, saving the model and the weighter
    /// together after every epoch; if a checkpoint exists it resumes from it, at the epoch the weighter has completed.
    /// </summary>
    public static BtwWeighter Train(ThreeModalityModel model, ThreeModalityDataset data, string checkpoint, int epochs)
    {
        var weighter = File.Exists(checkpoint + ".btw")
            ? Checkpoint.Load(model, checkpoint)
            : new BtwWeighter(new BtwOptions { Modalities = 3, Weighting = BtwWeighting.KlMi });   // the paper's weighting mode; unset: Uniform
        using var optimizer = optim.Adam(model.parameters(), 1e-2);
        for (var epoch = weighter.CompletedEpochs; epoch < epochs; epoch++)
        {
            // A new order every epoch, reproducible and the same after a resume: TorchSharp's DataLoader draws its order
            // from the seed it was created with, so one loader with a fixed seed would repeat one order in every epoch.
            using var loader = torch.utils.data.DataLoader(data, batchSize: 64, shuffle: true, seed: epoch, disposeDataset: false);
            model.train();
            foreach (var batch in loader)                       // the loader disposes each batch after its step
            {
                using var scope = NewDisposeScope();
                var ids = batch["id"];                          // int64 [B]
                var present = batch["present"];                 // bool [B, 3]
                var weights = weighter.WeightsFor(ids, present);
                using var output = model.call(new BtwInput([batch["x0"], batch["x1"], batch["x2"]], weights, present));
                var loss = BtwLoss.Compute(output, batch["label"]);
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
                weighter.Observe(ids, output.Unimodal, output.Multimodal, present);
            }

            weighter.EndEpoch();                                // once per epoch, after all its batches
            Checkpoint.Save(model, weighter, checkpoint);
        }

        return weighter;
    }
}

/// <summary>The model and its weighter saved and restored together: PATH.model (TorchSharp) and PATH.btw (Btw).</summary>
public static class Checkpoint
{
    public static void Save(ThreeModalityModel model, BtwWeighter weighter, string path)
    {
        // Each file is replaced atomically. A crash between the two leaves the model one epoch ahead of the weighter;
        // resuming then trains that epoch again.
        model.save(path + ".model.tmp");                                    // encoders, heads, routers, experts
        File.Move(path + ".model.tmp", path + ".model", overwrite: true);
        weighter.Save(path + ".btw");                                       // weights, statistics, epoch count
    }

    public static BtwWeighter Load(ThreeModalityModel model, string path)
    {
        model.load(path + ".model");
        return BtwWeighter.Load(path + ".btw");
    }
}
// </readme-data-loading>
