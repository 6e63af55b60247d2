using System;
using System.Globalization;
using System.IO;

namespace Btw.Persistence;

/// <summary>
/// Reads a checksummed payload (see <see cref="StateFile"/>) value by value, checking each: every failure, including
/// a payload that ends early, is an <see cref="InvalidDataException"/> naming what was wrong.
/// </summary>
internal sealed class StateReader(BinaryReader reader, uint version)
{
    /// <summary>The file's format version (<see cref="StateFile.OldestReadable"/> to <see cref="StateFile.Version"/>).</summary>
    public uint Version => version;

    /// <summary>Bytes left to read; counts are checked against it before anything is allocated for them.</summary>
    public long Remaining => reader.BaseStream.Length - reader.BaseStream.Position;

    public int ReadInt32() => reader.ReadInt32();

    public long ReadInt64() => reader.ReadInt64();

    public double ReadDouble() => reader.ReadDouble();

    public float ReadSingle() => reader.ReadSingle();

    /// <summary>A float64 in [<paramref name="low"/>, <paramref name="high"/>] (hence finite).</summary>
    public double ReadDouble(double low, double high, string what)
    {
        var value = reader.ReadDouble();
        if (low == double.MinValue && high == double.MaxValue)
        {
            Require(double.IsFinite(value), what + " that is not finite");
        }
        else
        {
            Require(value >= low && value <= high, what + " outside [" + low.ToString(CultureInfo.InvariantCulture) + ", " + high.ToString(CultureInfo.InvariantCulture) + "] or not finite");
        }

        return value;
    }

    /// <summary>A byte that must be 0 or 1.</summary>
    public byte ReadFlag(string what)
    {
        var b = reader.ReadByte();
        Require(b <= 1, what + " other than 0 or 1");
        return b;
    }

    public void Require(bool condition, string what)
    {
        if (!condition)
        {
            throw StateFile.Invalid($"it contains {what} (before payload byte {reader.BaseStream.Position})");
        }
    }
}
