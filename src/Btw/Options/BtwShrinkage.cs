namespace Btw;

/// <summary>
/// How the modality-level shares (normalised MI of <see cref="BtwWeighting.Mi"/> and <see cref="BtwWeighting.KlMi"/>,
/// normalised correlation of <see cref="BtwWeighting.Correlation"/>) take the uncertainty of their estimates into account.
/// </summary>
public enum BtwShrinkage
{
    /// <summary>The default and the paper: the shares follow the point estimates, however few examples stand behind them.</summary>
    None = 0,

    /// <summary>
    /// Empirical-Bayes (James–Stein style) shrinkage toward uniform shares. Each modality's statistic v_m (MI in nats, or
    /// the correlation clipped at 0) with standard error s_m (<see cref="BtwModalityReport.MutualInformationStandardError"/>,
    /// <see cref="BtwModalityReport.CorrelationStandardError"/>) is replaced by vbar + (1 - B_m)(v_m - vbar) before
    /// normalisation, where vbar is the mean over the d modalities with a defined statistic,
    /// tau^2 = max(0, sample variance of the v_m - c * mean of the s_m^2) is the spread of the true statistics that the data
    /// support beyond noise, c = chi2_(d-1, 0.95) / (d - 1) (3.84 for two modalities, 3.00 for three, 2.37 for five), and
    /// B_m = s_m^2 / (s_m^2 + tau^2) (0 when s_m = 0). When the differences between modalities are no larger than their
    /// estimation noise would make them in 95% of epochs, tau^2 = 0 and the shares are exactly uniform; as the number of
    /// examples grows and the
    /// standard errors shrink, B_m goes to 0 and the shares move to the point estimates. Instance-level terms
    /// (<see cref="BtwWeighting.Kl"/>, the KL factor of <see cref="BtwWeighting.KlMi"/>) and <see cref="BtwWeighting.Entropy"/>
    /// are not shrunk.
    /// </summary>
    EmpiricalBayes = 1,
}
