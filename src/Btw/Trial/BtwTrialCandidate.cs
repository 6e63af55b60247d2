namespace Btw;

/// <summary>
/// One configuration that <see cref="BtwTrial.Run"/> compares with <see cref="BtwWeighting.Uniform"/>: a label for the
/// result's rows and the weighter settings handed to the training callback.
/// </summary>
/// <param name="Label">
/// The configuration's name in <see cref="BtwTrialResult.Rows"/> and in progress reports: not empty, unique within a
/// trial, and not <see cref="BtwTrial.UniformLabel"/> (the baseline's row).
/// </param>
/// <param name="Options">
/// The weighter settings. Their <see cref="BtwOptions.Modalities"/> and <see cref="BtwOptions.Task"/> must equal the
/// trial's (a mismatch is refused, never overwritten) and they must pass <see cref="BtwOptions.Validate"/>. The trial
/// takes a copy when it starts; the callback gets a fresh copy of it for every run.
/// </param>
public sealed record BtwTrialCandidate(string Label, BtwOptions Options);
