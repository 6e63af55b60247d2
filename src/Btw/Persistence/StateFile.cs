using System;
using System.Buffers.Binary;
using System.IO;
using System.Security.Cryptography;

namespace Btw.Persistence;

/// <summary>
/// The envelope of a saved state, little-endian:
/// <code>
/// magic   8 bytes  "BTWSTATE"
/// version u32      4 (3: Btw 0.3, before BtwOptions.ModalityStatistics, still read; 2: Btw 0.2, before
///                  BtwOptions.RegressionOutput, AllowProbabilityOutputs and Shrinkage; 1: Btw 0.1)
/// length  u64      payload length in bytes
/// payload          written and read by the state itself (the weighter's state, Btw.Weighting.WeighterCore)
/// sha256  32 bytes SHA-256 of the payload
/// </code>
/// Opening checks the magic, the version, that the file length matches exactly and the checksum, then hands the
/// payload to the state's reader, which checks every value; any failure is an <see cref="InvalidDataException"/>.
/// </summary>
internal static class StateFile
{
    /// <summary>The version written.</summary>
    public const uint Version = 4;

    /// <summary>The oldest version read (a setting added since then loads with the value its release implied, <see cref="OptionField.Legacy"/>).</summary>
    public const uint OldestReadable = 3;
    private const int HeaderLength = 8 + 4 + 8;
    private const int HashLength = 32;
    private static ReadOnlySpan<byte> Magic => "BTWSTATE"u8;

    /// <summary>The file bytes of the payload <paramref name="writePayload"/> writes.</summary>
    public static byte[] Create(Action<BinaryWriter> writePayload)
    {
        using var payload = new MemoryStream();
        using (var w = new BinaryWriter(payload, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writePayload(w);
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

    /// <summary>Checks the envelope of <paramref name="file"/> and parses its payload, which must be read to the end.</summary>
    public static T Open<T>(byte[] file, Func<StateReader, T> parse)
    {
        if (file.Length < HeaderLength + HashLength || !file.AsSpan(0, 8).SequenceEqual(Magic))
        {
            throw Invalid("it does not start with the Btw weighter state header");
        }

        var version = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(8));
        if (version is < OldestReadable or > Version)
        {
            throw Invalid(version < OldestReadable
                ? $"it has format version {version}, written by an earlier Btw release; this library reads versions {OldestReadable} to {Version} (version 3 added the settings BtwOptions.RegressionOutput, AllowProbabilityOutputs and Shrinkage and the estimates' standard errors): start a new weighter (weights are rebuilt from the next epoch's observations), or load it with the release that wrote it"
                : $"it has format version {version}, written by a later Btw release; this library reads versions {OldestReadable} to {Version}");
        }

        var length = BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(12));
        if (length != (ulong)(file.Length - HeaderLength - HashLength))
        {
            throw Invalid($"its header announces {length} payload bytes but the file holds {file.Length - HeaderLength - HashLength} (truncated or extended)");
        }

        Span<byte> hash = stackalloc byte[HashLength];
        SHA256.HashData(file.AsSpan(HeaderLength, (int)length), hash);
        if (!hash.SequenceEqual(file.AsSpan(HeaderLength + (int)length, HashLength)))
        {
            throw Invalid("its checksum does not match (the file is corrupted)");
        }

        using var stream = new MemoryStream(file, HeaderLength, (int)length, writable: false);
        using var binary = new BinaryReader(stream);
        var reader = new StateReader(binary, version);
        try
        {
            var state = parse(reader);
            reader.Require(reader.Remaining == 0, "bytes after the end of the state");
            return state;
        }
        catch (EndOfStreamException ex)
        {
            throw new InvalidDataException("The file is not a valid Btw weighter state: its payload ends early.", ex);
        }
    }

    public static InvalidDataException Invalid(string why) => new("The file is not a valid Btw weighter state: " + why + ".");
}
