using System.Collections.Generic;

namespace Btw.Demo.Data;

/// <summary>Settings of <see cref="SyntheticData"/>.</summary>
internal sealed class SyntheticOptions
{
    public BtwTask Task { get; set; } = BtwTask.Classification;

    /// <summary>One entry per modality. Default: informative, informative, weak, noise.</summary>
    public IReadOnlyList<SyntheticKind> Kinds { get; set; } = new[] { SyntheticKind.Informative, SyntheticKind.Informative, SyntheticKind.Weak, SyntheticKind.Noise };

    public int Rows { get; set; } = 3000;

    /// <summary>Features per modality.</summary>
    public int Width { get; set; } = 8;

    public int Classes { get; set; } = 4;

    /// <summary>Dimension of the latent regression factor.</summary>
    public int LatentDim { get; set; } = 4;

    /// <summary>Amplitude of the signal in a weak modality (informative: 1).</summary>
    public double WeakAmplitude { get; set; } = 0.35;

    /// <summary>Probability that an informative modality of a row is replaced by pure noise (instance-level unreliability).</summary>
    public double Corruption { get; set; } = 0.25;

    public int Seed { get; set; } = 7;
}
