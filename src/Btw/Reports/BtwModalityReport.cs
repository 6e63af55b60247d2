using System;
using System.Collections.Generic;

namespace Btw;

/// <summary>What one epoch's fold did to one modality. Part of a <see cref="BtwEpochReport"/>.</summary>
public sealed class BtwModalityReport
{
    internal BtwModalityReport(int modality, double mutualInformation, double normalizedMutualInformation, bool mutualInformationDefined,
        double correlation, double meanWeight, double weightStdDev, int observed, int present, double normalizedCorrelation, BtwUniformReason neutralReason)
    {
        Modality = modality;
        MutualInformation = mutualInformation;
        NormalizedMutualInformation = normalizedMutualInformation;
        MutualInformationDefined = mutualInformationDefined;
        Correlation = correlation;
        NormalizedCorrelation = normalizedCorrelation;
        MeanWeight = meanWeight;
        WeightStdDev = weightStdDev;
        Observed = observed;
        Present = present;
        NeutralReason = neutralReason;
    }

    /// <summary>Zero-based index of the modality.</summary>
    public int Modality { get; }

    /// <summary>
    /// Modality-level mutual information I^m between the unimodal and the multimodal predictions over the epoch's
    /// examples where the modality was present, in nats (KSG for regression, plug-in MI of the predicted labels for
    /// classification). 0 when <see cref="MutualInformationDefined"/> is false.
    /// </summary>
    public double MutualInformation { get; }

    /// <summary>Ibar^m = max(I^m, eps) / sum max(I^m', eps) over the modalities with a defined MI, scaled so that the values of all M modalities sum to 1; 1/M for a modality without a defined MI. Under <see cref="BtwShrinkage.EmpiricalBayes"/> I^m is the shrunk MI (see <see cref="MutualInformationShrinkage"/>).</summary>
    public double NormalizedMutualInformation { get; }

    /// <summary>Whether the modality was present in at least <see cref="BtwOptions.MinimumMiPairs"/> examples (and more than <see cref="BtwOptions.Neighbors"/> for regression) so that its MI was estimated, and the estimate was finite; false when the MI was not estimated (<see cref="MutualInformationEstimated"/>).</summary>
    public bool MutualInformationDefined { get; }

    /// <summary>
    /// Whether the MI (and its standard error and interval) was estimated this epoch: the weighting uses it
    /// (<see cref="BtwWeighting.Mi"/>, <see cref="BtwWeighting.KlMi"/>) or <see cref="BtwOptions.ModalityStatistics"/> is
    /// <see cref="BtwModalityStatistics.All"/>. When false, <see cref="MutualInformation"/> and its standard error are 0,
    /// <see cref="MutualInformationDefined"/> is false and <see cref="NormalizedMutualInformation"/> is 1/M: not measured, not
    /// zero. <see cref="BtwEpochReport.ToTable"/> prints "not est." and <see cref="BtwEpochReport.ToScalars"/> leaves them out.
    /// </summary>
    public bool MutualInformationEstimated { get; internal init; } = true;

    /// <summary>
    /// Whether the correlation (and its standard error) was estimated this epoch: the weighting uses it
    /// (<see cref="BtwWeighting.Correlation"/>) or <see cref="BtwOptions.ModalityStatistics"/> is
    /// <see cref="BtwModalityStatistics.All"/>. When false, <see cref="Correlation"/> and its standard error are 0 and
    /// <see cref="NormalizedCorrelation"/> is 1/M: not measured, not zero.
    /// </summary>
    public bool CorrelationEstimated { get; internal init; } = true;

    /// <summary>Pearson correlation over the epoch between unimodal and multimodal predictions (see <see cref="BtwWeighting.Correlation"/>), in [-1, 1]; 0 when undefined (too few pairs or a constant side).</summary>
    public double Correlation { get; }

    /// <summary>
    /// The modality's share of the clipped correlations, the modality-level term of <see cref="BtwWeighting.Correlation"/>:
    /// max(r, 0) floored at <see cref="BtwOptions.MiEpsilon"/> and normalised as <see cref="NormalizedMutualInformation"/>;
    /// 1/M when the correlation is undefined. The values of all M modalities sum to 1.
    /// </summary>
    public double NormalizedCorrelation { get; }

    /// <summary>Mean of the smoothed weights after this fold over the epoch's examples where the modality was present; 0 when it was present nowhere.</summary>
    public double MeanWeight { get; }

    /// <summary>Population standard deviation of those weights; 0 when the modality was present in fewer than two examples.</summary>
    public double WeightStdDev { get; }

    /// <summary>Number of examples observed in the epoch (the same for every modality).</summary>
    public int Observed { get; }

    /// <summary>Number of observed examples in which this modality was present: the pairs its modality-level statistics were estimated from.</summary>
    public int Present { get; }

    /// <summary>
    /// Why the modality-level statistic behind this modality's share (<see cref="ShareFor"/>: the correlation under
    /// <see cref="BtwWeighting.Correlation"/>, the MI otherwise) was not estimated or not defined, so that it got the neutral
    /// share 1/M: <see cref="BtwUniformReason.NotPresent"/>, <see cref="BtwUniformReason.NotEstimated"/> (a weighting that
    /// uses neither statistic, under <see cref="BtwModalityStatistics.Used"/>), <see cref="BtwUniformReason.TooFewPairs"/>
    /// (<see cref="Present"/> below <see cref="BtwEpochReport.MinimumPairs"/>) or <see cref="BtwUniformReason.NotFinite"/>
    /// (not finite, or for the correlation a constant side), in that order of precedence; <see cref="BtwUniformReason.None"/>
    /// when it was estimated and defined.
    /// </summary>
    public BtwUniformReason NeutralReason { get; }

    /// <summary>
    /// The share of the modality-level term that <paramref name="weighting"/> uses: <see cref="NormalizedCorrelation"/> for
    /// <see cref="BtwWeighting.Correlation"/>, <see cref="NormalizedMutualInformation"/> otherwise.
    /// </summary>
    /// <param name="weighting">The weighting mode (the report's <see cref="BtwEpochReport.Weighting"/>).</param>
    /// <returns>A share in [0, 1].</returns>
    public double ShareFor(BtwWeighting weighting) => weighting == BtwWeighting.Correlation ? NormalizedCorrelation : NormalizedMutualInformation;

    /// <summary>Whether the statistic behind <see cref="ShareFor"/> was estimated (<see cref="CorrelationEstimated"/> under <see cref="BtwWeighting.Correlation"/>, <see cref="MutualInformationEstimated"/> otherwise); when not, the share is the neutral 1/M and measures nothing.</summary>
    internal bool ShareEstimated(BtwWeighting weighting) => weighting == BtwWeighting.Correlation ? CorrelationEstimated : MutualInformationEstimated;

    /// <summary>
    /// The per-modality scalars written by <see cref="BtwEpochReport.ToScalars"/> (and so to TensorBoard): the name under the
    /// modality's tag, given the mode, the value, and whether it is written (a statistic not estimated is left out, not
    /// written as 0). One entry per scalar, in the order written: a new field is one line here.
    /// </summary>
    internal static readonly IReadOnlyList<(Func<BtwWeighting, string> Name, Func<BtwModalityReport, BtwWeighting, double> Value, Func<BtwModalityReport, BtwWeighting, bool> Written)> Scalars =
    [
        (_ => "weight_mean", (r, _) => r.MeanWeight, Always),
        (_ => "weight_sd", (r, _) => r.WeightStdDev, Always),
        (_ => "mutual_information_nats", (r, _) => r.MutualInformation, (r, _) => r.MutualInformationEstimated),
        (_ => "mutual_information_se_nats", (r, _) => r.MutualInformationStandardError, (r, _) => r.MutualInformationEstimated),
        (_ => "correlation", (r, _) => r.Correlation, (r, _) => r.CorrelationEstimated),
        (_ => "correlation_se", (r, _) => r.CorrelationStandardError, (r, _) => r.CorrelationEstimated),
        (w => w == BtwWeighting.Correlation ? "correlation_share" : "mutual_information_share", (r, w) => r.ShareFor(w), (r, w) => r.ShareEstimated(w)),
        (_ => "present", (r, _) => r.Present, Always),
    ];

    private static bool Always(BtwModalityReport report, BtwWeighting weighting) => true;

    /// <summary>
    /// Standard error of <see cref="MutualInformation"/> in nats, estimated from the same epoch's pairs: a delete-a-group
    /// jackknife over 10 disjoint random groups of the pairs below 5,000 pairs, the spread of the estimates on the 10
    /// groups divided by sqrt(10) from 5,000 pairs on (no pair is duplicated, which would break the KSG estimator).
    /// The groups come from a fixed seed, so it is deterministic. For regression it is the spread of the KSG estimate before
    /// its clipping at 0, so an MI near 0 keeps an honest spread. Calibrated by simulation: over 1,000 independent draws per case the 95% interval covered the mean of the estimates 92 to 99% of the time for Pearson r, the plug-in MI with dependent labels and KSG at correlation 0.6 or more, and up to 100% (conservatively) for KSG at weak or no dependence and the plug-in MI of independent labels. 0 when
    /// <see cref="MutualInformationDefined"/> is false; positive infinity when a group's estimate was not finite.
    /// </summary>
    public double MutualInformationStandardError { get; internal init; }

    /// <summary>
    /// Lower end of the 95% interval of the MI, max(0, MI - q SE), in nats, with q Student's t quantile with 9 degrees of
    /// freedom (2.262; fewer below 10 pairs), because the standard error is estimated from 10 groups. It describes the
    /// sampling spread of the estimate at this number of pairs, not its bias (the KSG and plug-in estimators are biased at
    /// small n).
    /// </summary>
    public double MutualInformationLower { get; internal init; }

    /// <summary>Upper end of the 95% interval of the MI, MI + q SE, in nats (see <see cref="MutualInformationLower"/>).</summary>
    public double MutualInformationUpper { get; internal init; }

    /// <summary>Standard error of <see cref="Correlation"/> (unitless), by the same grouped resampling as <see cref="MutualInformationStandardError"/>; 0 when the correlation is undefined.</summary>
    public double CorrelationStandardError { get; internal init; }

    /// <summary>
    /// The empirical-Bayes factor B in [0, 1] by which the MI was pulled toward the modalities' mean before normalisation
    /// under <see cref="BtwShrinkage.EmpiricalBayes"/> (1 = fully, so its share is uniform; 0 = not at all); 0 under
    /// <see cref="BtwShrinkage.None"/>. <see cref="NormalizedMutualInformation"/> is computed after this shrinkage.
    /// </summary>
    public double MutualInformationShrinkage { get; internal init; }

    /// <summary>As <see cref="MutualInformationShrinkage"/>, for the clipped correlation behind <see cref="BtwWeighting.Correlation"/>.</summary>
    public double CorrelationShrinkage { get; internal init; }
}
