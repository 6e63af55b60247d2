using System;
using System.Collections.Generic;
using static TorchSharp.torch;

namespace Btw;

/// <summary>
/// Evaluation of examples a weighter never observed (validation, test, inference): the one place where a model and a
/// weighter meet. The model (<see cref="BtwMixtureOfExperts"/>) knows nothing of the weighter and the weighter
/// (<see cref="BtwWeighter"/>) nothing of the model.
/// </summary>
public static class BtwEvaluation
{
    /// <summary>
    /// Predicts examples that the weighter never observed with label-free weights, the evaluation procedure this library
    /// recommends. Pass 1 runs the model with <see cref="BtwWeighter.WeightsForUnseen"/> (the unseen row of
    /// <see cref="BtwOptions.UnseenWeights"/>: ones under <see cref="BtwUnseenWeights.Ones"/>, the modalities' mean weights
    /// under <see cref="BtwUnseenWeights.ModalityMean"/> and <see cref="BtwUnseenWeights.FromOutputs"/>). Under
    /// <see cref="BtwUnseenWeights.FromOutputs"/>, pass 2 runs it again with <see cref="BtwWeighter.WeightsFromOutputs"/>
    /// computed from pass 1's outputs, and that is what is returned; under the other settings pass 1 is returned, so a
    /// hand-written evaluation with <see cref="BtwWeighter.WeightsForUnseen"/> gives the same prediction. The model runs in
    /// evaluation mode (<c>eval()</c>: no dropout, no gating noise) without gradients, whatever mode the caller left it in;
    /// a model that was in training mode is put back into it (<c>train()</c>) before the call returns, also when it throws.
    /// So two calls on the same inputs give the same outputs, none of which requires a gradient. Nothing is stored in the
    /// weighter and no label is used. Call it as <c>model.PredictUnseen(inputs, present, weighter)</c>.
    /// </summary>
    /// <param name="model">The trained model.</param>
    /// <param name="inputs">The M modality inputs [B, ...], as in <see cref="BtwInput.Modalities"/>.</param>
    /// <param name="present">Presence flags [B, M] (bool or 0/1 numbers), or null when every modality is present.</param>
    /// <param name="weighter">The weighter trained with this model (same number of modalities).</param>
    /// <returns>The prediction of the last pass; the caller owns it (see <see cref="BtwOutput"/>).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="model"/>, <paramref name="inputs"/> or <paramref name="weighter"/> is null.</exception>
    /// <exception cref="ArgumentException">The weighter's modality count differs from the model's, or an input is malformed (as in <see cref="BtwMixtureOfExperts.forward"/>).</exception>
    public static BtwOutput PredictUnseen(this BtwMixtureOfExperts model, IReadOnlyList<Tensor> inputs, Tensor? present, BtwWeighter weighter)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(weighter);
        var m = model.Options.Modalities;
        if (weighter.Modalities != m)
        {
            throw new ArgumentException(
                $"The weighter has {weighter.Modalities} modalities (BtwOptions.Modalities) but the model has {m} (BtwMoEOptions.Modalities); build both with the same number.",
                nameof(weighter));
        }

        var wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            var rows = inputs.Count > 0 && inputs[0] is not null && inputs[0].dim() > 0 ? inputs[0].shape[0] : 0;
            var flags = present ?? ones(new long[] { rows, m }, ScalarType.Bool);
            var output = model.call(new BtwInput(inputs, weighter.WeightsForUnseen(flags), present));
            if (weighter.Options.UnseenWeights == BtwUnseenWeights.FromOutputs)
            {
                var secondWeights = weighter.WeightsFromOutputs(output.Unimodal, output.Multimodal, present);
                output.Dispose();
                output = model.call(new BtwInput(inputs, secondWeights, present));
            }

            output.Multimodal.MoveToOuterDisposeScope();
            foreach (var tensor in output.Unimodal)
            {
                tensor.MoveToOuterDisposeScope();
            }

            output.AuxiliaryLoss.MoveToOuterDisposeScope();
            output.Present?.MoveToOuterDisposeScope();
            return output;
        }
        finally
        {
            if (wasTraining)
            {
                model.train();
            }
        }
    }
}
