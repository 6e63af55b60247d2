namespace Btw;

/// <summary>How the new weight of a modality is computed from an epoch's observations.</summary>
public enum BtwWeighting
{
    /// <summary>Every present modality gets weight 1: the plain mixture-of-experts baseline. The default (see <see cref="BtwOptions"/>).</summary>
    Uniform = 0,

    /// <summary>BTW-local: the instance weight k_i^m, the L1-normalised KL divergence between the unimodal and the multimodal prediction. The paper's mode for regression (<see cref="BtwOptions.Paper"/>).</summary>
    Kl = 1,

    /// <summary>Global: the normalised modality-level mutual information Ibar^m, one weight per modality.</summary>
    Mi = 2,

    /// <summary>Full BTW: k_i^m * Ibar^m, normalised again. The paper's mode for classification (<see cref="BtwOptions.Paper"/>).</summary>
    KlMi = 3,

    /// <summary>
    /// Instance-level confidence (not part of BTW; one of the paper's open questions): a modality whose unimodal
    /// prediction has lower predictive entropy gets more weight. The score is max(0, log C - H(p_u)) for classification
    /// and exp(-H) = 1 / sqrt(2 pi e s^2) of the unimodal Gaussian N(mu, s^2) for regression with a log-variance output
    /// (the same score for every modality, hence uniform weights, for mean-only outputs).
    /// </summary>
    Entropy = 4,

    /// <summary>
    /// Modality-level agreement (not part of BTW): the Pearson correlation over the epoch between the unimodal and the
    /// multimodal predictions (regression: the means; classification: the probabilities both assign to the multimodal
    /// predicted class), clipped at 0 and normalised like the mutual information.
    /// </summary>
    Correlation = 5,
}
