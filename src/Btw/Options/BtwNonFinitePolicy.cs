namespace Btw;

/// <summary>What <see cref="BtwWeighter.Observe"/> does with a row whose unimodal or multimodal output contains NaN or an infinity.</summary>
public enum BtwNonFinitePolicy
{
    /// <summary>Throw an <see cref="System.ArgumentException"/> naming the modality and the first bad row; nothing is recorded. The default.</summary>
    Throw = 0,

    /// <summary>Skip such rows (the rest of the batch is recorded) and count them in <see cref="BtwEpochReport.Skipped"/>.</summary>
    SkipRows = 1,
}
