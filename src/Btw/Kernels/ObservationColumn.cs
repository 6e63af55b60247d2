namespace Btw.Kernels;

/// <summary>
/// One per-example quantity of the epoch state, declared once in <see cref="ObservationColumns"/>: a float64 per
/// modality (and one for the multimodal output when <see cref="HasMultimodal"/>). Recording, merging, resetting, the
/// finite check, saving and loading all iterate the declared columns.
/// </summary>
/// <param name="Name">What one value is, as messages name it ("divergence").</param>
/// <param name="HasMultimodal">Whether the multimodal output has a value too (stored after the M unimodal ones).</param>
/// <param name="Minimum">The smallest valid value; a loaded value below it (or not finite) is rejected.</param>
internal sealed record ObservationColumn(string Name, bool HasMultimodal, double Minimum)
{
    /// <summary>Values per example: M, or M + 1 with the multimodal one.</summary>
    public int Width(int modalities) => HasMultimodal ? modalities + 1 : modalities;
}
