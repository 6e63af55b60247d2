// The code between the readme-example markers is the example of README.md ('A complete training loop'), verbatim: the test
// Readme_example_code_is_the_code_that_is_tested checks that the document contains it, so edit both together.
// <readme-example>
using System;
using System.Collections.Generic;
using Btw;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MyApp;

/// <summary>Three modalities of any widths, each encoded to the common width D by a small Linear/ReLU encoder.</summary>
public sealed class ThreeModalityModel : BtwMixtureOfExperts
{
    private readonly Sequential first;
    private readonly Sequential second;
    private readonly Sequential third;

    public ThreeModalityModel(BtwMoEOptions options, int width0, int width1, int width2)
        : base(nameof(ThreeModalityModel), options)
    {
        first = nn.Sequential(nn.Linear(width0, options.EmbeddingDim), nn.ReLU());
        second = nn.Sequential(nn.Linear(width1, options.EmbeddingDim), nn.ReLU());
        third = nn.Sequential(nn.Linear(width2, options.EmbeddingDim), nn.ReLU());
        RegisterComponents();   // registers the encoders: trained, saved and moved with the model
    }

    protected override Tensor Encode(int modality, Tensor input) => modality switch
    {
        0 => first.call(input),
        1 => second.call(input),
        _ => third.call(input),
    };
}

/// <summary>
/// A mini-batch: example ids (int64 [B], the same id for an example in every epoch), inputs (float32 [B, width_m]),
/// presence flags (bool [B, 3]) and labels (classification: int64 class indices [B]; regression: float32 targets [B]).
/// </summary>
public sealed record Batch(Tensor Ids, Tensor[] Inputs, Tensor Present, Tensor Labels);

public static class Training
{
    /// <summary>Trains for the given number of epochs and returns each epoch's mean loss.</summary>
    public static List<double> Run(
        ThreeModalityModel model, BtwWeighter weighter, IReadOnlyList<Batch> batches, int epochs,
        double learningRate = 1e-2, Action<BtwEpochReport>? afterEpoch = null, BtwTask task = BtwTask.Classification)
    {
        var lossOptions = new BtwLossOptions { Task = task, UnimodalWeight = 1.0, AuxiliaryWeight = 0.01 };   // the weighter's task
        using var optimizer = optim.Adam(model.parameters(), learningRate);
        var epochLosses = new List<double>();
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            model.train();
            var total = 0.0;
            foreach (var batch in batches)
            {
                using var scope = NewDisposeScope();                            // frees every tensor of the step
                var weights = weighter.WeightsFor(batch.Ids, batch.Present);    // [B, 3], constants
                using var output = model.call(new BtwInput(batch.Inputs, weights, batch.Present));
                var loss = BtwLoss.Compute(output, batch.Labels, lossOptions);
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
                weighter.Observe(batch.Ids, output.Unimodal, output.Multimodal, batch.Present);
                total += loss.item<float>();
            }

            var report = weighter.EndEpoch();   // new weights, used from the next epoch on; the MI per modality under KlMi
            afterEpoch?.Invoke(report);
            epochLosses.Add(total / batches.Count);
        }

        return epochLosses;
    }

    /// <summary>
    /// Predicts examples never trained on (validation, test, inference) without labels, with the weights that the
    /// weighter's BtwOptions.UnseenWeights chooses: ModalityMean gives every row each modality's mean training weight
    /// (0 where missing), the default; Ones gives weights of 1. Returns the multimodal output [B, Outputs] in the
    /// caller's dispose scope.
    /// </summary>
    public static Tensor Predict(ThreeModalityModel model, BtwWeighter weighter, Tensor[] inputs, Tensor present)
    {
        model.eval();                                                   // no gate noise, no dropout
        using var noGrad = no_grad();
        using var output = model.PredictUnseen(inputs, present, weighter);
        return output.Multimodal.clone();
    }
}
// </readme-example>
