namespace Btw;

/// <summary>The weights of examples never folded in (validation, test, inference): what <see cref="BtwWeighter.WeightsFor(TorchSharp.torch.Tensor)"/> returns for an id that has no stored weights, and what <see cref="BtwWeighter.WeightsForUnseen"/> and <see cref="BtwEvaluation.PredictUnseen"/> use.</summary>
public enum BtwUnseenWeights
{
    /// <summary>Ones: the state before any epoch (BTW as published; <see cref="BtwOptions.Paper"/>).</summary>
    Ones = 0,

    /// <summary>
    /// Each modality's mean weight over every example folded in so far (ones before the first fold). A model trained
    /// with BTW weights learned with embeddings scaled by weights that may be far from 1; evaluating unseen examples
    /// at the modalities' typical scale avoids that shift. See <see cref="BtwWeighter.MeanWeights"/>. The default (see <see cref="BtwOptions"/>).
    /// </summary>
    ModalityMean = 1,

    /// <summary>
    /// Label-free instance weights from the model's own outputs on the example (see
    /// <see cref="BtwWeighter.WeightsFromOutputs"/>): the weights the example would get had it been observed in the last
    /// epoch with these outputs, starting from the modalities' mean weights (the mode's formula with the last epoch's
    /// modality statistics (mutual information, or correlation under <see cref="BtwWeighting.Correlation"/>), <see cref="BtwOptions.Strength"/>, then the EMA). They need a first forward pass with
    /// <see cref="BtwWeighter.WeightsForUnseen"/>; <see cref="BtwEvaluation.PredictUnseen"/> does both passes.
    /// <see cref="BtwWeighter.WeightsFor(TorchSharp.torch.Tensor)"/>, which sees ids only, returns the mean weights for
    /// unseen ids under this setting.
    /// </summary>
    FromOutputs = 2,
}
