using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using TorchSharp.Modules;

namespace Btw;

/// <summary>What <see cref="BtwWeighter.EndEpoch()"/> did: the modality-level statistics and a summary of the new weights.</summary>
public sealed class BtwEpochReport
{
    internal BtwEpochReport(int epoch, int observed, int skipped, double alpha, BtwOptions options, IReadOnlyList<BtwModalityReport> modalities,
        bool weighted = true, double? validationLoss = null)
    {
        Weighted = weighted;
        ValidationLoss = validationLoss;
        Epoch = epoch;
        Observed = observed;
        Skipped = skipped;
        Alpha = alpha;
        Weighting = options.Weighting;
        Modalities = modalities;
        MinimumPairs = options.EffectiveMinimumPairs;
        UniformReason = ReportReasons.Epoch(observed, weighted, options, modalities);
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

    /// <summary>
    /// The fewest examples with a modality present for its modality-level statistics to be estimated:
    /// <see cref="BtwOptions.MinimumMiPairs"/> (default 10), and at least <see cref="BtwOptions.Neighbors"/> + 1 for regression.
    /// </summary>
    public int MinimumPairs { get; }

    /// <summary>
    /// Whether the epoch was folded over fewer examples than <see cref="MinimumPairs"/>, so that no modality-level statistic
    /// could be estimated: usually <see cref="BtwWeighter.EndEpoch()"/> called after every batch instead of once per epoch.
    /// <see cref="ToTable"/> prints a warning line.
    /// </summary>
    public bool TooFewRows => Observed < MinimumPairs;

    /// <summary>
    /// Why this fold left every weight uniform or unchanged: <see cref="BtwUniformReason.NothingObserved"/>,
    /// <see cref="BtwUniformReason.WarmUp"/>, <see cref="BtwUniformReason.UniformSettings"/>, or
    /// <see cref="BtwUniformReason.TooFewPairs"/> (modes that weight by the modality-level statistic alone, with no modality
    /// estimated); <see cref="BtwUniformReason.None"/> when the mode's weights were applied. Per modality, see
    /// <see cref="BtwModalityReport.NeutralReason"/>.
    /// </summary>
    public BtwUniformReason UniformReason { get; }

    /// <summary>
    /// Formats the report as a plain-text table, one line per modality: the mode's modality-level statistic, its standard error and its share
    /// (correlation under <see cref="BtwWeighting.Correlation"/>, MI in nats otherwise), the other statistic, the present
    /// count, the mean and spread of the weights, and why a statistic was not estimated ("not est." and "-" for a statistic
    /// that <see cref="BtwOptions.ModalityStatistics"/> left out). A header line gives the epoch,
    /// mode, alpha and counts, and why the weights stayed uniform; a warning line follows when <see cref="TooFewRows"/>.
    /// </summary>
    /// <returns>A multi-line string.</returns>
    public string ToTable()
    {
        var sb = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        sb.Append(c, $"epoch {Epoch}: {Weighting}{HeaderNote()}, alpha {Alpha:0.###}, {Observed} observed, {Skipped} skipped");
        if (ValidationLoss is double loss)
        {
            sb.Append(c, $", validation loss {loss:0.####}");
        }

        sb.AppendLine();
        if (TooFewRows)
        {
            sb.Append(c, $"warning: {Observed} examples folded; the modality-level statistics need at least {MinimumPairs} per modality (BtwOptions.MinimumMiPairs). Call EndEpoch once per epoch, after all its batches.").AppendLine();
        }

        var correlationMode = Weighting == BtwWeighting.Correlation;
        sb.AppendLine(correlationMode
            ? "modality   corr     corr se   corr share   MI (nats)   present   mean w   sd w     note"
            : "modality   MI (nats)   MI se    MI share   corr     present   mean w   sd w     note");
        foreach (var m in Modalities)
        {
            var mi = !m.MutualInformationEstimated ? "not est." : m.MutualInformationDefined ? m.MutualInformation.ToString("0.0000", c) : "n/a";
            var se = !m.MutualInformationEstimated ? "-" : m.MutualInformationDefined ? m.MutualInformationStandardError.ToString("0.0000", c) : "n/a";
            var corr = m.CorrelationEstimated ? m.Correlation.ToString("0.000", c) : "-";
            var corrSe = m.CorrelationEstimated ? m.CorrelationStandardError.ToString("0.0000", c) : "-";
            var share = m.ShareEstimated(Weighting) ? m.ShareFor(Weighting).ToString("0.0000", c) : "-";
            var note = Note(m);
            if (correlationMode)
            {
                sb.Append(c, $"{m.Modality,8}   {corr,6}   {corrSe,7}   {share,10}   {mi,9}   {m.Present,7}   {m.MeanWeight,6:0.0000}   {m.WeightStdDev,6:0.0000}   {note}");
            }
            else
            {
                sb.Append(c, $"{m.Modality,8}   {mi,9}   {se,6}   {share,8}   {corr,6}   {m.Present,7}   {m.MeanWeight,6:0.0000}   {m.WeightStdDev,6:0.0000}   {note}");
            }

            sb.Append('\n');
        }

        return sb.ToString().Replace("\n", Environment.NewLine, StringComparison.Ordinal).Replace("   " + Environment.NewLine, Environment.NewLine, StringComparison.Ordinal);
    }

    /// <summary>
    /// The report as named scalars, in a fixed order: per epoch <c>PREFIX/alpha</c>, <c>PREFIX/observed</c>,
    /// <c>PREFIX/skipped</c>, <c>PREFIX/weighted</c> (1 or 0), <c>PREFIX/validation_loss</c> (only when given); per modality,
    /// under <c>PREFIX/NAME/</c>: <c>weight_mean</c>, <c>weight_sd</c>, <c>mutual_information_nats</c>, <c>correlation</c>,
    /// the mode's share (<c>correlation_share</c> under <see cref="BtwWeighting.Correlation"/>, <c>mutual_information_share</c>
    /// otherwise) and <c>present</c>; the MI's and the correlation's scalars (value, standard error, and the share they give) only when they were
    /// estimated (<see cref="BtwModalityReport.MutualInformationEstimated"/>, <see cref="BtwModalityReport.CorrelationEstimated"/>).
    /// Feed them to any logger or metrics sink; <see cref="WriteTo"/> sends them to TensorBoard.
    /// </summary>
    /// <param name="prefix">The first tag segment; default "btw". Must not be empty.</param>
    /// <param name="modalityNames">A name per modality (M names, for example "image", "text"); null for m0, m1, ...</param>
    /// <returns>The tag and value of every scalar.</returns>
    /// <exception cref="ArgumentException"><paramref name="prefix"/> is empty, or <paramref name="modalityNames"/> does not have one name per modality.</exception>
    public IReadOnlyList<KeyValuePair<string, double>> ToScalars(string prefix = "btw", IReadOnlyList<string>? modalityNames = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        if (modalityNames is not null && modalityNames.Count != Modalities.Count)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Expected {Modalities.Count} modality names (one per modality); got {modalityNames.Count}."), nameof(modalityNames));
        }

        var scalars = new List<KeyValuePair<string, double>>
        {
            new(prefix + "/alpha", Alpha),
            new(prefix + "/observed", Observed),
            new(prefix + "/skipped", Skipped),
            new(prefix + "/weighted", Weighted ? 1 : 0),
        };
        if (ValidationLoss is double loss)
        {
            scalars.Add(new(prefix + "/validation_loss", loss));
        }

        foreach (var m in Modalities)
        {
            var name = modalityNames?[m.Modality] ?? "m" + m.Modality.ToString(CultureInfo.InvariantCulture);
            foreach (var (field, value, written) in BtwModalityReport.Scalars)
            {
                if (written(m, Weighting))
                {
                    scalars.Add(new($"{prefix}/{name}/{field(Weighting)}", value(m, Weighting)));
                }
            }
        }

        return scalars;
    }

    /// <summary>
    /// Writes <see cref="ToScalars"/> to a TensorBoard event file through TorchSharp's writer
    /// (<c>torch.utils.tensorboard.SummaryWriter(logDir)</c>), at step <see cref="Epoch"/>, as float32 values.
    /// View with <c>tensorboard --logdir LOGDIR</c>.
    /// </summary>
    /// <param name="writer">The writer; it writes each scalar to its event file immediately.</param>
    /// <param name="prefix">The first tag segment; default "btw".</param>
    /// <param name="modalityNames">A name per modality; null for m0, m1, ...</param>
    /// <exception cref="ArgumentNullException"><paramref name="writer"/> is null.</exception>
    /// <exception cref="ArgumentException">As <see cref="ToScalars"/>.</exception>
    public void WriteTo(SummaryWriter writer, string prefix = "btw", IReadOnlyList<string>? modalityNames = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        foreach (var (tag, value) in ToScalars(prefix, modalityNames))
        {
            writer.add_scalar(tag, (float)value, Epoch);
        }
    }

    /// <inheritdoc/>
    public override string ToString() => ToTable();

    private string HeaderNote() => UniformReason switch
    {
        BtwUniformReason.None => string.Empty,
        BtwUniformReason.WarmUp => " (warm-up: weights unchanged)",
        BtwUniformReason.NothingObserved => " (nothing observed: weights unchanged)",
        BtwUniformReason.UniformSettings => " (uniform settings: weights stay uniform)",
        BtwUniformReason.TooFewPairs => " (too few pairs for every modality: weights stay uniform)",
        _ => " (" + UniformReason + ")",
    };

    private string Note(BtwModalityReport m) => m.NeutralReason switch
    {
        BtwUniformReason.None => string.Empty,
        BtwUniformReason.TooFewPairs => string.Create(CultureInfo.InvariantCulture, $"too few pairs ({m.Present} < {MinimumPairs}): neutral share"),
        BtwUniformReason.NotPresent => "not present: neutral share",
        BtwUniformReason.NotFinite => "estimate not defined: neutral share",
        BtwUniformReason.NotEstimated => "not used by the weighting: not estimated",
        _ => m.NeutralReason.ToString(),
    };
}
