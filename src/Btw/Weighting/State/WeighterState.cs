using System.IO;
using Btw.Persistence;

namespace Btw.Weighting.State;

/// <summary>
/// Everything a <see cref="BtwWeighter"/> holds, and its saved form (the payload of a <see cref="StateFile"/>):
/// <code>
/// options                     (<see cref="OptionFields"/>)
/// completed epochs, alpha, best validation loss
/// last modality statistics    (<see cref="ModalityStatistics.Write"/>)
/// stored weights              (<see cref="WeightStore.Write"/>)
/// pending epoch observations  (<see cref="EpochObservations.Write"/>, one block per declared column)
/// </code>
/// Reading checks every value (options in range, counts consistent with the payload length before anything is
/// allocated for them, ids non-negative and distinct, weights finite and non-negative, statistics in range, column
/// values finite and at least their declared minimum, flags 0/1, at least one modality present per observation). So a
/// file that passes the checksum but was not written by this library (or was edited) either loads to a state that
/// folds to finite, non-negative weights or is rejected.
/// </summary>
internal sealed record WeighterState(BtwOptions Options, WeightStore Store, EpochObservations Epoch, ModalityStatistics Statistics,
    int CompletedEpochs, double Alpha, double BestValidationLoss)
{
    /// <summary>The saved file's bytes.</summary>
    public byte[] ToBytes() => StateFile.Create(Write);

    /// <summary>Parses and checks a saved file.</summary>
    /// <exception cref="InvalidDataException">The file is truncated, corrupted, of another version or holds an invalid value.</exception>
    public static WeighterState FromBytes(byte[] file) => StateFile.Open(file, Read);

    private void Write(BinaryWriter w)
    {
        OptionFields.Write(w, Options);
        w.Write(CompletedEpochs);
        w.Write(Alpha);
        w.Write(BestValidationLoss);
        Statistics.Write(w);
        Store.Write(w);
        Epoch.Write(w);
    }

    private static WeighterState Read(StateReader r)
    {
        var options = OptionFields.Read(r);

        // Bound the modality count by what the payload can hold before allocating anything per modality: a file whose
        // checksum is valid (foreign or hand-made) must not make the loader allocate for a count it cannot contain.
        var m = options.Modalities;
        r.Require(m <= 1 << 16 && (long)m * ModalityStatistics.SavedBytesPerModality <= r.Remaining,
            $"{m} modalities, more than its {r.Remaining} remaining bytes can describe");

        var completed = r.ReadInt32();
        r.Require(completed >= 0, "a negative epoch count");
        var alpha = r.ReadDouble();
        r.Require(options.AlphaStep > 0 ? alpha >= options.AlphaMin && alpha <= options.AlphaMax : alpha == options.Alpha, "an EMA factor outside its bounds");
        var best = r.ReadDouble();
        r.Require(double.IsFinite(best) || double.IsPositiveInfinity(best), "a best validation loss that is NaN or negative infinity");
        var statistics = ModalityStatistics.Read(r, m);
        var store = WeightStore.Read(r, m);
        var epoch = EpochObservations.Read(r, m);
        return new WeighterState(options, store, epoch, statistics, completed, alpha, best);
    }
}
