using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using TorchSharp.Modules;

namespace Btw;

/// <summary>
/// How the routers of a <see cref="BtwMixtureOfExperts"/> spread the tokens (one per example and present modality) over
/// the experts: a read-only snapshot of the module's per-expert counters, taken by
/// <see cref="BtwExpertLoadExtensions.ExpertLoad"/>. Each token counts once for each of the top-k experts it was sent to.
/// The counters run across training and evaluation forward passes until <see cref="BtwExpertLoadExtensions.ResetExpertLoad"/>.
/// </summary>
public sealed class BtwExpertLoad
{
    private readonly long[] _rows;

    internal BtwExpertLoad(long[] rows)
    {
        _rows = rows;
        Total = rows.Sum();
    }

    /// <summary>Tokens each expert processed, length E (<see cref="BtwMoEOptions.Experts"/>).</summary>
    public IReadOnlyList<long> Rows => _rows;

    /// <summary>Sum of <see cref="Rows"/>: tokens times k.</summary>
    public long Total { get; }

    /// <summary>Expert <paramref name="expert"/>'s share of <see cref="Total"/>, in [0, 1]; 0 when nothing was routed.</summary>
    /// <param name="expert">Zero-based expert index.</param>
    /// <returns>The share.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="expert"/> is not in [0, E).</exception>
    public double Share(int expert)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(expert);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(expert, _rows.Length);
        return Total > 0 ? (double)_rows[expert] / Total : 0.0;
    }

    /// <summary>
    /// The busiest expert's share times E: 1 when every expert got the same load, E when one expert got everything; 0 when
    /// nothing was routed. The load-balancing loss (<see cref="BtwOutput.AuxiliaryLoss"/>) pushes it toward 1.
    /// </summary>
    public double Imbalance => Total > 0 ? (double)_rows.Max() / Total * _rows.Length : 0.0;

    /// <summary>
    /// The load as named scalars: <c>PREFIX/experts/imbalance</c>, then <c>PREFIX/experts/eN/share</c> for each expert N.
    /// </summary>
    /// <param name="prefix">The first tag segment; default "btw". Must not be empty.</param>
    /// <returns>The tag and value of every scalar.</returns>
    /// <exception cref="ArgumentException"><paramref name="prefix"/> is empty.</exception>
    public IReadOnlyList<KeyValuePair<string, double>> ToScalars(string prefix = "btw")
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        var scalars = new List<KeyValuePair<string, double>> { new(prefix + "/experts/imbalance", Imbalance) };
        for (var e = 0; e < _rows.Length; e++)
        {
            scalars.Add(new(string.Create(CultureInfo.InvariantCulture, $"{prefix}/experts/e{e}/share"), Share(e)));
        }

        return scalars;
    }

    /// <summary>Writes <see cref="ToScalars"/> to TorchSharp's TensorBoard writer at <paramref name="step"/> (for example the epoch).</summary>
    /// <param name="writer">The writer (<c>torch.utils.tensorboard.SummaryWriter(logDir)</c>).</param>
    /// <param name="step">The global step to record.</param>
    /// <param name="prefix">The first tag segment; default "btw".</param>
    /// <exception cref="ArgumentNullException"><paramref name="writer"/> is null.</exception>
    public void WriteTo(SummaryWriter writer, int step, string prefix = "btw")
    {
        ArgumentNullException.ThrowIfNull(writer);
        foreach (var (tag, value) in ToScalars(prefix))
        {
            writer.add_scalar(tag, (float)value, step);
        }
    }

    /// <summary>Formats the load as a plain-text table: one line per expert with its tokens and share, then the imbalance.</summary>
    /// <returns>A multi-line string.</returns>
    public string ToTable()
    {
        var sb = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        sb.AppendLine("expert   tokens     share");
        for (var e = 0; e < _rows.Length; e++)
        {
            sb.Append(c, $"{e,6}   {_rows[e],8}   {Share(e),6:0.0000}").AppendLine();
        }

        sb.Append(c, $"imbalance (max share x E) {Imbalance:0.000}").AppendLine();
        return sb.ToString();
    }

    /// <inheritdoc/>
    public override string ToString() => ToTable();
}
