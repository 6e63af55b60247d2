namespace Btw;

/// <summary>
/// Reported to <see cref="BtwTrialOptions.Progress"/> after each run of the training callback finishes.
/// </summary>
/// <param name="Label">The configuration just run: <see cref="BtwTrial.UniformLabel"/> or a candidate's label.</param>
/// <param name="Seed">The seed it ran with.</param>
/// <param name="Loss">The validation loss the callback returned (finite; lower is better).</param>
/// <param name="Completed">Runs finished so far, this one included: 1 to <paramref name="Total"/>.</param>
/// <param name="Total">Runs of the whole trial: (1 + number of candidates) x <see cref="BtwTrialOptions.Seeds"/>.</param>
public sealed record BtwTrialProgress(string Label, int Seed, double Loss, int Completed, int Total);
