namespace Btw;

/// <summary>
/// How the instance-level term k_i^m of <see cref="BtwWeighting.Kl"/> and <see cref="BtwWeighting.KlMi"/> is derived
/// from the KL divergence d_i^m between a modality's unimodal prediction and the multimodal one.
/// </summary>
public enum BtwInstanceTerm
{
    /// <summary>
    /// The paper's term, the default: k_i^m proportional to d_i^m, so a modality whose prediction disagrees with the fused
    /// one gets more weight (this also raises noisy or corrupted views, whose predictions disagree for no good reason).
    /// </summary>
    Disagreement = 0,

    /// <summary>
    /// k_i^m proportional to exp(-d_i^m), as one version of the authors' code: a modality whose prediction agrees with the
    /// fused one gets more weight, so an example's corrupted view is turned down.
    /// </summary>
    Agreement = 1,
}
