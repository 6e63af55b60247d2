namespace Btw;

/// <summary>What one epoch's fold did to one modality. Part of a <see cref="BtwEpochReport"/>.</summary>
public sealed class BtwModalityReport
{
    internal BtwModalityReport(int modality, double mutualInformation, double normalizedMutualInformation, bool mutualInformationDefined,
        double correlation, double meanWeight, double weightStdDev, int observed, int present)
    {
        Modality = modality;
        MutualInformation = mutualInformation;
        NormalizedMutualInformation = normalizedMutualInformation;
        MutualInformationDefined = mutualInformationDefined;
        Correlation = correlation;
        MeanWeight = meanWeight;
        WeightStdDev = weightStdDev;
        Observed = observed;
        Present = present;
    }

    /// <summary>Zero-based index of the modality.</summary>
    public int Modality { get; }

    /// <summary>
    /// Modality-level mutual information I^m between the unimodal and the multimodal predictions over the epoch's
    /// examples where the modality was present, in nats (KSG for regression, plug-in MI of the predicted labels for
    /// classification). 0 when <see cref="MutualInformationDefined"/> is false.
    /// </summary>
    public double MutualInformation { get; }

    /// <summary>Ibar^m = max(I^m, eps) / sum max(I^m', eps) over the modalities with a defined MI, scaled so that the values of all M modalities sum to 1; 1/M for a modality without a defined MI.</summary>
    public double NormalizedMutualInformation { get; }

    /// <summary>Whether the modality was present in at least <see cref="BtwOptions.MinimumMiPairs"/> examples (and more than <see cref="BtwOptions.Neighbors"/> for regression) so that its MI was estimated, and the estimate was finite.</summary>
    public bool MutualInformationDefined { get; }

    /// <summary>Pearson correlation over the epoch between unimodal and multimodal predictions (see <see cref="BtwWeighting.Correlation"/>), in [-1, 1]; 0 when undefined (too few pairs or a constant side).</summary>
    public double Correlation { get; }

    /// <summary>Mean of the smoothed weights after this fold over the epoch's examples where the modality was present; 0 when it was present nowhere.</summary>
    public double MeanWeight { get; }

    /// <summary>Population standard deviation of those weights; 0 when the modality was present in fewer than two examples.</summary>
    public double WeightStdDev { get; }

    /// <summary>Number of examples observed in the epoch (the same for every modality).</summary>
    public int Observed { get; }

    /// <summary>Number of observed examples in which this modality was present.</summary>
    public int Present { get; }
}
