using System.Collections.Generic;

namespace Btw;

/// <summary>Works out the <see cref="BtwUniformReason"/> of an epoch and of a modality from what the fold saw and the settings.</summary>
internal static class ReportReasons
{
    /// <summary>Why a modality's statistic (the one behind its share) was not estimated; <see cref="BtwUniformReason.None"/> when it was.</summary>
    public static BtwUniformReason Modality(int present, int minimumPairs, bool estimated, bool defined) =>
        present == 0 ? BtwUniformReason.NotPresent
        : !estimated ? BtwUniformReason.NotEstimated
        : present < minimumPairs ? BtwUniformReason.TooFewPairs
        : !defined ? BtwUniformReason.NotFinite
        : BtwUniformReason.None;

    /// <summary>Why the fold left every weight uniform (or unchanged); <see cref="BtwUniformReason.None"/> when the mode's weights were applied.</summary>
    public static BtwUniformReason Epoch(int observed, bool weighted, BtwOptions options, IReadOnlyList<BtwModalityReport> modalities)
    {
        if (observed == 0)
        {
            return BtwUniformReason.NothingObserved;
        }

        if (!weighted)
        {
            return BtwUniformReason.WarmUp;
        }

        if (options.Weighting == BtwWeighting.Uniform || options.Strength == 0)
        {
            return BtwUniformReason.UniformSettings;
        }

        if (options.Weighting is BtwWeighting.Mi or BtwWeighting.Correlation)
        {
            foreach (var m in modalities)
            {
                if (m.NeutralReason is not (BtwUniformReason.TooFewPairs or BtwUniformReason.NotPresent))
                {
                    return BtwUniformReason.None;
                }
            }

            return BtwUniformReason.TooFewPairs;
        }

        return BtwUniformReason.None;
    }
}
