using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Btw;

/// <summary>What <see cref="BtwWeighter.EndEpoch()"/> did: the modality-level statistics and a summary of the new weights.</summary>
public sealed class BtwEpochReport
{
    internal BtwEpochReport(int epoch, int observed, int skipped, double alpha, BtwWeighting weighting, IReadOnlyList<BtwModalityReport> modalities,
        bool weighted = true, double? validationLoss = null)
    {
        Weighted = weighted;
        ValidationLoss = validationLoss;
        Epoch = epoch;
        Observed = observed;
        Skipped = skipped;
        Alpha = alpha;
        Weighting = weighting;
        Modalities = modalities;
    }

    /// <summary>1-based index of the epoch just folded in (equal to <see cref="BtwWeighter.CompletedEpochs"/> after the call).</summary>
    public int Epoch { get; }

    /// <summary>Number of distinct examples observed in the epoch (an id observed twice counts once: its last observation is used).</summary>
    public int Observed { get; }

    /// <summary>Number of rows skipped for non-finite outputs under <see cref="BtwNonFinitePolicy.SkipRows"/>.</summary>
    public int Skipped { get; }

    /// <summary>The EMA factor used for this fold (after any move by <see cref="BtwOptions.AlphaStep"/>).</summary>
    public double Alpha { get; }

    /// <summary>Whether this fold changed the weights: false for a warm-up epoch (see <see cref="BtwOptions.WarmupEpochs"/>), whose statistics are reported but whose weights stay 1.</summary>
    public bool Weighted { get; }

    /// <summary>The validation loss passed to <see cref="BtwWeighter.EndEpoch(double)"/>, or null for <see cref="BtwWeighter.EndEpoch()"/>.</summary>
    public double? ValidationLoss { get; }

    /// <summary>The weighting mode used for this fold.</summary>
    public BtwWeighting Weighting { get; }

    /// <summary>One entry per modality, in modality order.</summary>
    public IReadOnlyList<BtwModalityReport> Modalities { get; }

    /// <summary>Formats the report as a plain-text table: one line per modality with MI (nats), its standard error (nats), normalised MI, correlation, present count and the mean and spread of the weights.</summary>
    /// <returns>A multi-line string.</returns>
    public string ToTable()
    {
        var sb = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        sb.Append(c, $"epoch {Epoch}: {Weighting}{(Weighted ? string.Empty : " (warm-up: weights unchanged)")}, alpha {Alpha:0.###}, {Observed} observed, {Skipped} skipped");
        if (ValidationLoss is double loss)
        {
            sb.Append(c, $", validation loss {loss:0.####}");
        }

        sb.AppendLine();
        sb.AppendLine("modality   MI (nats)   MI se    MI norm   corr     present   mean w   sd w");
        foreach (var m in Modalities)
        {
            var mi = m.MutualInformationDefined ? m.MutualInformation.ToString("0.0000", c) : "n/a";
            var se = m.MutualInformationDefined ? m.MutualInformationStandardError.ToString("0.0000", c) : "n/a";
            sb.Append(c, $"{m.Modality,8}   {mi,9}   {se,6}   {m.NormalizedMutualInformation,7:0.0000}   {m.Correlation,6:0.000}   {m.Present,7}   {m.MeanWeight,6:0.0000}   {m.WeightStdDev,6:0.0000}").AppendLine();
        }

        return sb.ToString();
    }

    /// <inheritdoc/>
    public override string ToString() => ToTable();
}
