namespace Btw;

/// <summary>
/// Why a fold left the weights uniform (<see cref="BtwEpochReport.UniformReason"/>), or why a modality's modality-level
/// statistic (the one behind its share: the correlation under <see cref="BtwWeighting.Correlation"/>, the MI otherwise)
/// was not estimated, so that it got the neutral share 1/M (<see cref="BtwModalityReport.NeutralReason"/>).
/// </summary>
public enum BtwUniformReason
{
    /// <summary>Nothing held the weights back: the fold applied the mode's weights (epoch), or the modality's statistic was estimated (modality).</summary>
    None = 0,

    /// <summary>Epoch: no row was recorded since the last fold (every observed row was skipped under <see cref="BtwNonFinitePolicy.SkipRows"/>; an epoch with nothing observed at all is refused by <see cref="BtwWeighter.EndEpoch()"/>), so the stored weights are unchanged.</summary>
    NothingObserved = 1,

    /// <summary>Epoch: a warm-up fold (<see cref="BtwOptions.WarmupEpochs"/>): statistics are measured and reported, every weight stays 1.</summary>
    WarmUp = 2,

    /// <summary>Epoch: the settings give uniform weights: <see cref="BtwWeighting.Uniform"/>, or <see cref="BtwOptions.Strength"/> = 0.</summary>
    UniformSettings = 3,

    /// <summary>
    /// Modality: present in fewer observed examples than the estimators need (<see cref="BtwEpochReport.MinimumPairs"/>:
    /// <see cref="BtwOptions.MinimumMiPairs"/>, and more than <see cref="BtwOptions.Neighbors"/> for regression), so it
    /// got the neutral share. Epoch: under <see cref="BtwWeighting.Mi"/> or <see cref="BtwWeighting.Correlation"/>, which
    /// weight by that statistic alone, every modality was below it (typically <see cref="BtwWeighter.EndEpoch()"/> called
    /// every few batches instead of once per epoch), so the weights stayed uniform.
    /// </summary>
    TooFewPairs = 4,

    /// <summary>Modality: absent from every observed example of the epoch; it got the neutral share and its stored weights were not updated.</summary>
    NotPresent = 5,

    /// <summary>Modality: present often enough, but the estimate was not defined: not finite (outputs near the float64 range) or, for the correlation of <see cref="BtwWeighting.Correlation"/>, a constant side; it got the neutral share.</summary>
    NotFinite = 6,

    /// <summary>
    /// Modality: the statistic was not estimated because the weighting does not use it (<see cref="BtwWeighting.Uniform"/>,
    /// <see cref="BtwWeighting.Kl"/>, <see cref="BtwWeighting.Entropy"/>) and <see cref="BtwOptions.ModalityStatistics"/> is
    /// <see cref="BtwModalityStatistics.Used"/>; set it to <see cref="BtwModalityStatistics.All"/> to have it reported.
    /// </summary>
    NotEstimated = 7,
}
