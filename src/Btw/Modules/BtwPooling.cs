namespace Btw;

/// <summary>How <see cref="BtwMixtureOfExperts"/> pools the M per-modality token outputs of the mixture of experts into one representation for the multimodal head.</summary>
public enum BtwPooling
{
    /// <summary>
    /// Mean over the modalities present for the example: [B, M, D] -> [B, D]. (<see cref="BtwMixtureOfExperts"/> refuses an
    /// example with no modality present.) The multimodal head reads width D. The default.
    /// </summary>
    Mean = 0,

    /// <summary>
    /// Concatenation in modality order: [B, M, D] -> [B, M * D], a missing modality contributing zeros. The
    /// multimodal head reads width M * D.
    /// </summary>
    Concatenate = 1,
}
