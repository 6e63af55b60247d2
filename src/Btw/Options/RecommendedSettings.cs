namespace Btw;

/// <summary>
/// The one statement of what <see cref="BtwOptions.Recommended"/> picks for each task. The settings of a
/// <see cref="BtwOptions"/> left unset (<see cref="BtwOptions.Weighting"/>, <see cref="BtwOptions.UnseenWeights"/>) are
/// read from here too, so <c>new BtwOptions { Modalities = m, Task = t }</c> and <c>BtwOptions.Recommended(m, t)</c> are the
/// same configuration and cannot drift apart. Every setting that <see cref="BtwOptions.Recommended"/> chooses belongs here.
/// </summary>
internal static class RecommendedSettings
{
    /// <summary>The weighting mode recommended for <paramref name="task"/>: <see cref="BtwWeighting.Uniform"/> for both tasks.</summary>
    /// <param name="task">The kind of prediction.</param>
    /// <returns>The mode.</returns>
    public static BtwWeighting Weighting(BtwTask task) => task switch
    {
        BtwTask.Regression => BtwWeighting.Uniform,
        _ => BtwWeighting.Uniform,
    };

    /// <summary>The weights of examples never trained on recommended for <paramref name="task"/>: <see cref="BtwUnseenWeights.ModalityMean"/> for both tasks.</summary>
    /// <param name="task">The kind of prediction.</param>
    /// <returns>The unseen-weights setting.</returns>
    public static BtwUnseenWeights UnseenWeights(BtwTask task) => task switch
    {
        BtwTask.Regression => BtwUnseenWeights.ModalityMean,
        _ => BtwUnseenWeights.ModalityMean,
    };
}
