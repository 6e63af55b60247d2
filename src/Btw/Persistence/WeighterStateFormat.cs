using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;

namespace Btw;

/// <summary>
/// The binary format of a saved <see cref="BtwWeighter"/>, little-endian:
/// <code>
/// magic   8 bytes  "BTWSTATE"
/// version u32      2
/// length  u64      payload length in bytes
/// payload          options; completed epochs, current alpha, best validation loss; last modality statistics;
///                  stored weights (id, M x f32, M presence marks each);
///                  pending epoch observations
/// sha256  32 bytes SHA-256 of the payload
/// </code>
/// Loading checks the magic, the version, that the file length matches exactly, the checksum, and then every value
/// (options in range, counts consistent with the payload length before anything is allocated for them, ids
/// non-negative and distinct, weights finite and non-negative, statistics in range, divergences and confidence scores
/// finite and non-negative, flags 0/1, at least one modality present per observation); any failure is an
/// <see cref="InvalidDataException"/>. So a file that passes the checksum but was not written by this library (or was
/// edited) either loads to a state that folds to finite, non-negative weights or is rejected.
/// </summary>
internal static class WeighterStateFormat
{
    public const uint Version = 2;
    private const int HeaderLength = 8 + 4 + 8;
    private const int HashLength = 32;

    /// <summary>Bytes per modality of the statistics section: MI, Ibar, defined flag, correlation, normalised correlation, present count.</summary>
    private const int StatisticsBytesPerModality = 8 + 8 + 1 + 8 + 8 + 4;
    private static ReadOnlySpan<byte> Magic => "BTWSTATE"u8;

    public static byte[] Serialize(BtwWeighter weighter)
    {
        using var payload = new MemoryStream();
        using (var w = new BinaryWriter(payload, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            var o = weighter.Options;
            var m = o.Modalities;
            w.Write(m);
            w.Write((int)o.Task);
            w.Write((int)o.Weighting);
            w.Write(o.Alpha);
            w.Write(o.Neighbors);
            w.Write(o.Temperature);
            w.Write(o.RegressionSigma);
            w.Write((int)o.Scale);
            w.Write((int)o.NonFinite);
            w.Write((int)o.UnseenWeights);
            w.Write(o.MinimumMiPairs);
            w.Write(o.MiEpsilon);
            w.Write(o.VarianceEpsilon);
            w.Write(o.WarmupEpochs);
            w.Write(o.Strength);
            w.Write((int)o.InstanceTerm);
            w.Write(o.AlphaStep);
            w.Write(o.AlphaMin);
            w.Write(o.AlphaMax);
            w.Write(weighter.CompletedEpochs);
            w.Write(weighter.Alpha);
            w.Write(weighter.BestValidationLoss);

            var s = weighter.Statistics;
            for (var j = 0; j < m; j++)
            {
                w.Write(s.MutualInformation[j]);
                w.Write(s.NormalizedMutualInformation[j]);
                w.Write(s.Defined[j]);
                w.Write(s.Correlation[j]);
                w.Write(s.NormalizedCorrelation[j]);
                w.Write(s.PresentCount[j]);
            }

            var store = weighter.Store;
            w.Write(store.Count);
            for (var slot = 0; slot < store.Count; slot++)
            {
                w.Write(store.IdAt(slot));
                foreach (var value in store.Row(slot))
                {
                    w.Write(value);
                }

                w.Write(store.Seen(slot));
            }

            var e = weighter.Epoch;
            w.Write(e.Rows);
            w.Write(e.Skipped);
            for (var r = 0; r < e.Rows; r++)
            {
                w.Write(e.Ids[r]);
                for (var j = 0; j < m; j++)
                {
                    var k = (r * m) + j;
                    w.Write(e.Present[k]);
                    w.Write(e.Divergence[k]);
                    w.Write(e.UnimodalValue[k]);
                    w.Write(e.Confidence[k]);
                    w.Write(e.UnimodalAgreement[k]);
                }

                w.Write(e.MultimodalValue[r]);
                w.Write(e.MultimodalAgreement[r]);
            }
        }

        var body = payload.ToArray();
        var file = new byte[HeaderLength + body.Length + HashLength];
        Magic.CopyTo(file);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(8), Version);
        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(12), (ulong)body.Length);
        body.CopyTo(file.AsSpan(HeaderLength));
        SHA256.HashData(body, file.AsSpan(HeaderLength + body.Length));
        return file;
    }

    public static BtwWeighter Deserialize(byte[] file)
    {
        if (file.Length < HeaderLength + HashLength || !file.AsSpan(0, 8).SequenceEqual(Magic))
        {
            throw Invalid("it does not start with the Btw weighter state header");
        }

        var version = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(8));
        if (version != Version)
        {
            throw Invalid($"it has format version {version}; this library reads version {Version}");
        }

        var length = BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(12));
        if (length != (ulong)(file.Length - HeaderLength - HashLength))
        {
            throw Invalid($"its header announces {length} payload bytes but the file holds {file.Length - HeaderLength - HashLength} (truncated or extended)");
        }

        var body = file.AsSpan(HeaderLength, (int)length);
        Span<byte> hash = stackalloc byte[HashLength];
        SHA256.HashData(body, hash);
        if (!hash.SequenceEqual(file.AsSpan(HeaderLength + (int)length, HashLength)))
        {
            throw Invalid("its checksum does not match (the file is corrupted)");
        }

        try
        {
            return Parse(file, HeaderLength, (int)length);
        }
        catch (EndOfStreamException ex)
        {
            throw new InvalidDataException("The file is not a valid Btw weighter state: its payload ends early.", ex);
        }
    }

    private static BtwWeighter Parse(byte[] file, int offset, int length)
    {
        using var stream = new MemoryStream(file, offset, length, writable: false);
        using var r = new BinaryReader(stream);
        var options = new BtwOptions
        {
            Modalities = r.ReadInt32(),
            Task = (BtwTask)r.ReadInt32(),
            Weighting = (BtwWeighting)r.ReadInt32(),
            Alpha = r.ReadDouble(),
            Neighbors = r.ReadInt32(),
            Temperature = r.ReadDouble(),
            RegressionSigma = r.ReadDouble(),
            Scale = (BtwScale)r.ReadInt32(),
            NonFinite = (BtwNonFinitePolicy)r.ReadInt32(),
            UnseenWeights = (BtwUnseenWeights)r.ReadInt32(),
            MinimumMiPairs = r.ReadInt32(),
            MiEpsilon = r.ReadDouble(),
            VarianceEpsilon = r.ReadDouble(),
            WarmupEpochs = r.ReadInt32(),
            Strength = r.ReadDouble(),
            InstanceTerm = (BtwInstanceTerm)r.ReadInt32(),
            AlphaStep = r.ReadDouble(),
            AlphaMin = r.ReadDouble(),
            AlphaMax = r.ReadDouble(),
        };
        try
        {
            options.Validate();
        }
        catch (ArgumentOutOfRangeException ex)
        {
            throw new InvalidDataException("The file is not a valid Btw weighter state: " + ex.Message, ex);
        }

        // Bound the modality count by what the payload can hold before allocating anything per modality: a file whose
        // checksum is valid (foreign or hand-made) must not make the loader allocate for a count it cannot contain.
        var m = options.Modalities;
        if (m > 1 << 16 || (long)m * StatisticsBytesPerModality > Remaining(stream))
        {
            throw Invalid($"it declares {m} modalities, more than its {Remaining(stream)} remaining bytes can describe");
        }

        var completed = r.ReadInt32();
        Require(completed >= 0, "a negative epoch count");
        var alpha = r.ReadDouble();
        Require(options.AlphaStep > 0 ? alpha >= options.AlphaMin && alpha <= options.AlphaMax : alpha == options.Alpha, "an EMA factor outside its bounds");
        var bestValidationLoss = r.ReadDouble();
        Require(double.IsFinite(bestValidationLoss) || double.IsPositiveInfinity(bestValidationLoss), "a best validation loss that is NaN or negative infinity");

        var statistics = ModalityStatistics.Uniform(m);
        for (var j = 0; j < m; j++)
        {
            statistics.MutualInformation[j] = InRange(r.ReadDouble(), 0, double.MaxValue, "a mutual information");
            statistics.NormalizedMutualInformation[j] = InRange(r.ReadDouble(), 0, 1, "a normalised mutual information");
            statistics.Defined[j] = ReadBool(r);
            statistics.Correlation[j] = InRange(r.ReadDouble(), -1, 1, "a correlation");
            statistics.NormalizedCorrelation[j] = InRange(r.ReadDouble(), 0, 1, "a normalised correlation");
            statistics.PresentCount[j] = r.ReadInt32();
            Require(statistics.PresentCount[j] >= 0, "a negative present count");
        }

        var count = r.ReadInt32();
        Require(count >= 0 && (long)count * (8 + (5 * m)) <= Remaining(stream), "a weight count larger than the file");
        var store = new WeightStore(m);
        var seen = new HashSet<long>(count);
        for (var i = 0; i < count; i++)
        {
            var id = r.ReadInt64();
            Require(id >= 0 && seen.Add(id), "a negative or repeated example id");
            var slot = store.SlotFor(id);
            var row = store.MutableRow(slot);
            for (var j = 0; j < m; j++)
            {
                var value = r.ReadSingle();
                Require(float.IsFinite(value) && value >= 0, "a weight that is negative or not finite");
                row[j] = value;
            }

            var seenMarks = store.Seen(slot);
            for (var j = 0; j < m; j++)
            {
                var mark = r.ReadByte();
                Require(mark <= 1, "a presence mark other than 0 or 1");
                seenMarks[j] = mark;
            }
        }

        var rows = r.ReadInt32();
        var skipped = r.ReadInt32();
        Require(rows >= 0 && skipped >= 0 && (long)rows * (8 + 16 + (m * 33)) <= Remaining(stream), "an observation count larger than the file");
        var epoch = new EpochObservations(m) { Skipped = skipped };
        for (var i = 0; i < rows; i++)
        {
            var id = r.ReadInt64();
            Require(id >= 0 && epoch.Rows == i, "a negative example id among the observations");
            var row = epoch.RowFor(id);
            Require(row == i, "a repeated example id among the observations");
            var anyPresent = false;
            for (var j = 0; j < m; j++)
            {
                var k = (row * m) + j;
                var flag = r.ReadByte();
                Require(flag <= 1, "a presence flag other than 0 or 1");
                anyPresent |= flag == 1;
                epoch.Present[k] = flag;

                // Negative divergences or confidences would fold into negative weights, which the next load would reject.
                epoch.Divergence[k] = InRange(r.ReadDouble(), 0, double.MaxValue, "a divergence");
                epoch.UnimodalValue[k] = Finite(r.ReadDouble());
                epoch.Confidence[k] = InRange(r.ReadDouble(), 0, double.MaxValue, "a confidence score");
                epoch.UnimodalAgreement[k] = Finite(r.ReadDouble());
            }

            Require(anyPresent, "an observation with no modality present");

            epoch.MultimodalValue[row] = Finite(r.ReadDouble());
            epoch.MultimodalAgreement[row] = Finite(r.ReadDouble());
        }

        Require(stream.Position == stream.Length, "bytes after the end of the state");
        return new BtwWeighter(options, store, epoch, statistics, completed, alpha, bestValidationLoss);
    }

    private static long Remaining(Stream s) => s.Length - s.Position;

    private static double InRange(double value, double low, double high, string what)
    {
        Require(value >= low && value <= high, what + " outside [" + low.ToString(System.Globalization.CultureInfo.InvariantCulture) + ", " + high.ToString(System.Globalization.CultureInfo.InvariantCulture) + "] or not finite");
        return value;
    }

    private static bool ReadBool(BinaryReader r)
    {
        var b = r.ReadByte();
        Require(b <= 1, "a boolean other than 0 or 1");
        return b == 1;
    }

    private static double Finite(double value)
    {
        Require(double.IsFinite(value), "a value that is not finite");
        return value;
    }

    private static void Require(bool condition, string what)
    {
        if (!condition)
        {
            throw Invalid("it contains " + what);
        }
    }

    private static InvalidDataException Invalid(string why) => new("The file is not a valid Btw weighter state: " + why + ".");
}
