namespace Btw;

/// <summary>
/// Which modality-level statistics <see cref="BtwWeighter.EndEpoch()"/> estimates (with their standard errors): the
/// mutual information I^m between each modality's unimodal prediction and the multimodal one (plug-in for
/// classification, KSG for regression) and the Pearson correlation of <see cref="BtwWeighting.Correlation"/>.
/// The weights are the same under both values; only the reports differ.
/// </summary>
public enum BtwModalityStatistics
{
    /// <summary>
    /// The default: only the statistic the weighting uses: the MI under <see cref="BtwWeighting.Mi"/> and
    /// <see cref="BtwWeighting.KlMi"/>, the correlation under <see cref="BtwWeighting.Correlation"/>, neither under
    /// <see cref="BtwWeighting.Uniform"/>, <see cref="BtwWeighting.Kl"/> and <see cref="BtwWeighting.Entropy"/>. A statistic
    /// not estimated is reported as such (<see cref="BtwModalityReport.MutualInformationEstimated"/>,
    /// <see cref="BtwModalityReport.CorrelationEstimated"/>; <see cref="BtwUniformReason.NotEstimated"/>), not as 0. For
    /// regression the MI is the KSG estimator, by far the largest cost of <see cref="BtwWeighter.EndEpoch()"/> (about 5 to 10 %
    /// of an epoch of a small model at 50,000 to 1,000,000 examples on 2 cores); under the default
    /// <see cref="BtwWeighting.Uniform"/> and the paper's regression setting <see cref="BtwWeighting.Kl"/> it would be paid
    /// for a report line only.
    /// </summary>
    Used = 0,

    /// <summary>
    /// Every statistic every epoch, whatever the weighting uses (what Btw 0.3 always did, and what a saved state of format
    /// version 3 loads with): to see what the modality-level terms would say about a model trained under
    /// <see cref="BtwWeighting.Uniform"/> or <see cref="BtwWeighting.Kl"/>, at the cost above.
    /// </summary>
    All = 1,
}
