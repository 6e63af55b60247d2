namespace Btw.Demo.Data;

/// <summary>What a synthetic modality carries about the target.</summary>
internal enum SyntheticKind
{
    /// <summary>Signal with unit amplitude plus unit Gaussian noise; corrupted to pure noise in some rows.</summary>
    Informative,

    /// <summary>Signal with amplitude <see cref="SyntheticOptions.WeakAmplitude"/> plus unit Gaussian noise.</summary>
    Weak,

    /// <summary>Unit Gaussian noise, independent of the target.</summary>
    Noise,
}
