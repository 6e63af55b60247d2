using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace Btw.Tests.Support;

/// <summary>One scalar read back from a TensorBoard event file.</summary>
/// <param name="Tag">The scalar's tag.</param>
/// <param name="Step">The global step it was written at.</param>
/// <param name="Value">Its float32 value.</param>
public sealed record TensorBoardScalar(string Tag, long Step, float Value);

/// <summary>
/// Reads the scalars of TensorBoard event files (<c>events.out.tfevents.*</c>) without TensorBoard or protobuf: the
/// TFRecord framing (u64 length, masked CRC-32C of the length, the payload, masked CRC-32C of the payload, little-endian),
/// every checksum verified, and the few protobuf fields of an Event that carry scalars (step = 2, summary = 5; Summary.value
/// = 1; Value.tag = 1, Value.simple_value = 2). Used by the tests and copied verbatim into the consumer check.
/// </summary>
public static class TensorBoardEvents
{
    private static readonly uint[] Table = MakeTable();

    /// <summary>Every scalar of every event file under <paramref name="folder"/>, in file order.</summary>
    /// <param name="folder">The writer's log folder.</param>
    /// <returns>The scalars.</returns>
    /// <exception cref="InvalidDataException">A record is truncated or a checksum does not match.</exception>
    public static List<TensorBoardScalar> ReadFolder(string folder)
    {
        var scalars = new List<TensorBoardScalar>();
        var files = Directory.GetFiles(folder, "events.out.tfevents.*", SearchOption.AllDirectories);
        Array.Sort(files, StringComparer.Ordinal);
        foreach (var file in files)
        {
            scalars.AddRange(Read(File.ReadAllBytes(file)));
        }

        return scalars;
    }

    /// <summary>The scalars of one event file's bytes.</summary>
    /// <param name="file">The file's contents.</param>
    /// <returns>The scalars, in order.</returns>
    /// <exception cref="InvalidDataException">A record is truncated or a checksum does not match.</exception>
    public static List<TensorBoardScalar> Read(byte[] file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var scalars = new List<TensorBoardScalar>();
        var at = 0;
        while (at < file.Length)
        {
            Require(file.Length - at >= 12, "a truncated record header");
            var length = BinaryPrimitives.ReadUInt64LittleEndian(file.AsSpan(at));
            Require(MaskedCrc(file.AsSpan(at, 8)) == BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(at + 8)), "a record length checksum mismatch");
            Require(length <= (ulong)(file.Length - at - 16), "a truncated record");
            var data = file.AsSpan(at + 12, (int)length);
            Require(MaskedCrc(data) == BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(at + 12 + (int)length)), "a record data checksum mismatch");
            ReadEvent(data, scalars);
            at += 16 + (int)length;
        }

        return scalars;
    }

    /// <summary>CRC-32C (Castagnoli) of <paramref name="data"/>, masked as TFRecord does: ((crc &gt;&gt; 15) | (crc &lt;&lt; 17)) + 0xa282ead8.</summary>
    /// <param name="data">The bytes.</param>
    /// <returns>The masked checksum.</returns>
    public static uint MaskedCrc(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        crc ^= 0xFFFFFFFFu;
        return unchecked(((crc >> 15) | (crc << 17)) + 0xa282ead8u);
    }

    private static void ReadEvent(ReadOnlySpan<byte> data, List<TensorBoardScalar> scalars)
    {
        long step = 0;
        var summaries = new List<byte[]>();
        var at = 0;
        while (at < data.Length)
        {
            var (field, wire) = Key(data, ref at);
            if (field == 2 && wire == 0)
            {
                step = (long)Varint(data, ref at);
            }
            else if (field == 5 && wire == 2)
            {
                summaries.Add(Bytes(data, ref at).ToArray());
            }
            else
            {
                Skip(data, ref at, wire);
            }
        }

        foreach (var summary in summaries)
        {
            var s = summary.AsSpan();
            var i = 0;
            while (i < s.Length)
            {
                var (field, wire) = Key(s, ref i);
                if (field == 1 && wire == 2)
                {
                    var value = Bytes(s, ref i);
                    string? tag = null;
                    float? simple = null;
                    var j = 0;
                    while (j < value.Length)
                    {
                        var (f, w) = Key(value, ref j);
                        if (f == 1 && w == 2)
                        {
                            tag = Encoding.UTF8.GetString(Bytes(value, ref j));
                        }
                        else if (f == 2 && w == 5)
                        {
                            simple = BinaryPrimitives.ReadSingleLittleEndian(value[j..]);
                            j += 4;
                        }
                        else
                        {
                            Skip(value, ref j, w);
                        }
                    }

                    if (tag is not null && simple is float v)
                    {
                        scalars.Add(new TensorBoardScalar(tag, step, v));
                    }
                }
                else
                {
                    Skip(s, ref i, wire);
                }
            }
        }
    }

    private static (int Field, int Wire) Key(ReadOnlySpan<byte> data, ref int at)
    {
        var key = Varint(data, ref at);
        return ((int)(key >> 3), (int)(key & 7));
    }

    private static ulong Varint(ReadOnlySpan<byte> data, ref int at)
    {
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            Require(at < data.Length, "a truncated varint");
            var b = data[at++];
            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return result;
            }
        }

        throw new InvalidDataException("A varint longer than 10 bytes.");
    }

    private static ReadOnlySpan<byte> Bytes(ReadOnlySpan<byte> data, ref int at)
    {
        var length = (int)Varint(data, ref at);
        Require(length >= 0 && at + length <= data.Length, "a truncated field");
        var bytes = data.Slice(at, length);
        at += length;
        return bytes;
    }

    private static void Skip(ReadOnlySpan<byte> data, ref int at, int wire)
    {
        switch (wire)
        {
            case 0:
                Varint(data, ref at);
                break;
            case 1:
                at += 8;
                break;
            case 2:
                Bytes(data, ref at);
                break;
            case 5:
                at += 4;
                break;
            default:
                throw new InvalidDataException($"Unsupported protobuf wire type {wire}.");
        }

        Require(at <= data.Length, "a truncated field");
    }

    private static void Require(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvalidDataException("Not a valid TensorBoard event file: " + what + ".");
        }
    }

    private static uint[] MakeTable()
    {
        var table = new uint[256];
        for (var i = 0u; i < 256; i++)
        {
            var c = i;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0x82F63B78u ^ (c >> 1) : c >> 1;
            }

            table[i] = c;
        }

        return table;
    }
}
