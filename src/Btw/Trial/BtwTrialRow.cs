using System.Collections.Generic;

namespace Btw;

/// <summary>
/// One configuration of a <see cref="BtwTrialResult"/>: its validation losses per seed and its paired comparison with
/// <see cref="BtwWeighting.Uniform"/>. Losses are in the callback's units (lower is better).
/// </summary>
public sealed class BtwTrialRow
{
    private readonly BtwOptions options;

    internal BtwTrialRow(string label, BtwOptions options, IReadOnlyList<double> losses, double meanLoss, PairedInterval difference, bool qualifies)
    {
        Label = label;
        this.options = options;
        Losses = losses;
        MeanLoss = meanLoss;
        Difference = difference.Mean;
        DifferenceStdDev = difference.StdDev;
        Lower = difference.Lower;
        Upper = difference.Upper;
        Qualifies = qualifies;
    }

    /// <summary>The configuration's label: <see cref="BtwTrial.UniformLabel"/> for the baseline, otherwise the candidate's.</summary>
    public string Label { get; }

    /// <summary>The weighter settings this configuration trained with (a new copy on each read).</summary>
    public BtwOptions Options => options.Clone();

    /// <summary>Whether this is the baseline's row (<see cref="BtwWeighting.Uniform"/>; always the first row).</summary>
    public bool IsUniform => Label == BtwTrial.UniformLabel;

    /// <summary>The validation loss of each seed, in the order of <see cref="BtwTrialResult.Seeds"/> (n values).</summary>
    public IReadOnlyList<double> Losses { get; }

    /// <summary>Mean validation loss over the seeds.</summary>
    public double MeanLoss { get; }

    /// <summary>
    /// Mean over the seeds of the paired difference Uniform loss - this configuration's loss (same seed): greater than 0
    /// means this configuration had the lower, better validation loss. 0 for the Uniform row.
    /// </summary>
    public double Difference { get; }

    /// <summary>Sample standard deviation (n - 1 denominator) of the per-seed differences behind <see cref="Difference"/>; 0 for the Uniform row.</summary>
    public double DifferenceStdDev { get; }

    /// <summary>
    /// Lower end of the two-sided Student-t interval (n - 1 degrees of freedom) of <see cref="Difference"/> at
    /// <see cref="BtwTrialResult.CandidateConfidence"/>: Difference - t * DifferenceStdDev / sqrt(n). 0 for the Uniform row.
    /// </summary>
    public double Lower { get; }

    /// <summary>Upper end of the interval of <see cref="Lower"/>: Difference + t * DifferenceStdDev / sqrt(n). 0 for the Uniform row.</summary>
    public double Upper { get; }

    /// <summary>
    /// Whether this candidate beat Uniform: <see cref="Lower"/> &gt; 0 (the whole interval above 0). Always false for the
    /// Uniform row. Of the qualifying candidates the trial chooses the one with the greatest <see cref="Difference"/>.
    /// </summary>
    public bool Qualifies { get; }
}
