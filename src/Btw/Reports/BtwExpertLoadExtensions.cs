using System;

namespace Btw;

/// <summary>Reads and resets the expert-routing counters of a <see cref="BtwMixtureOfExperts"/>.</summary>
public static class BtwExpertLoadExtensions
{
    /// <summary>A snapshot of the tokens each expert has processed since construction or the last <see cref="ResetExpertLoad"/>.</summary>
    /// <param name="model">The module.</param>
    /// <returns>A new, read-only <see cref="BtwExpertLoad"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is null.</exception>
    public static BtwExpertLoad ExpertLoad(this BtwMixtureOfExperts model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new BtwExpertLoad(model.ExpertRowsProcessed());
    }

    /// <summary>Sets the module's per-expert counters back to 0 (for example at the start of each epoch).</summary>
    /// <param name="model">The module.</param>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is null.</exception>
    public static void ResetExpertLoad(this BtwMixtureOfExperts model)
    {
        ArgumentNullException.ThrowIfNull(model);
        model.ResetExpertRows();
    }
}
