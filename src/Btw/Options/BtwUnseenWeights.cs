namespace Btw;

/// <summary>What <see cref="BtwWeighter.WeightsFor(TorchSharp.torch.Tensor)"/> returns for an id that has no stored weights (an example never folded in, such as a validation or test example).</summary>
public enum BtwUnseenWeights
{
    /// <summary>Ones: the state before any epoch (BTW as published). The default.</summary>
    Ones = 0,

    /// <summary>
    /// Each modality's mean weight over every example folded in so far (ones before the first fold). A model trained
    /// with BTW weights learned with embeddings scaled by weights that may be far from 1; evaluating unseen examples
    /// at the modalities' typical scale avoids that shift. See <see cref="BtwWeighter.MeanWeights"/>.
    /// </summary>
    ModalityMean = 1,
}
