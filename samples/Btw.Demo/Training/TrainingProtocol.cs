namespace Btw.Demo.Training;

/// <summary>Where the weighter's unimodal predictions come from.</summary>
internal enum TrainingProtocol
{
    /// <summary>The model's own unimodal heads, trained jointly with the fused output (the demo's default).</summary>
    Joint,

    /// <summary>
    /// The seed's critical path: one unimodal model per view trained alone first and frozen; a baseline mixture of
    /// experts (Uniform); the first fold from the frozen unimodal predictions beside the baseline's fused ones, then each
    /// epoch the frozen unimodal predictions beside the current fused ones. Validation and test rows get their own
    /// instance weights the same way (their own weighters; no labels are used). See <see cref="TwoStagePriors"/>.
    /// </summary>
    TwoStage,
}
