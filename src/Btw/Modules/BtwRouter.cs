namespace Btw;

/// <summary>Whether the tokens of all modalities share one router of <see cref="BtwMixtureOfExperts"/> or each modality has its own.</summary>
public enum BtwRouter
{
    /// <summary>One router (one set of gate parameters) scores the tokens of every modality.</summary>
    Shared = 0,

    /// <summary>
    /// One router per modality (separate gate parameters; the experts are still shared by all modalities), as in
    /// Fuse-MoE and the BTW authors' models. The default.
    /// </summary>
    PerModality = 1,
}
