using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using Btw.Kernels;
using Btw.Persistence;
using Btw.Tests.Support;
using Xunit;

namespace Btw.Tests.Persistence;

/// <summary>
/// Seeded mutation testing of the saved format. Random corruptions of a saved file (flipped bits, cut lengths,
/// garbage, inserted or deleted bytes, header edits, swapped chunks) either load to the original state or fail with
/// <see cref="InvalidDataException"/>; nothing else escapes, nothing loads to a different state. A second round
/// rewrites the checksum after corrupting the payload (a foreign or hand-made file that passes the checksum), so the
/// value checks behind the checksum are exercised too: such a file is rejected or loads to a state that is valid
/// (finite non-negative weights after a fold) and saves back byte for byte.
/// </summary>
public class CorruptionMutationTests
{
    private const int HeaderLength = 20;
    private const int HashLength = 32;

    /// <summary>Recomputes the length field and the checksum of a file whose payload was edited.</summary>
    internal static void Rehash(byte[] file)
    {
        var length = file.Length - HeaderLength - HashLength;
        BinaryPrimitives.WriteUInt64LittleEndian(file.AsSpan(12), (ulong)length);
        SHA256.HashData(file.AsSpan(HeaderLength, length), file.AsSpan(HeaderLength + length));
    }

    private static byte[] Rehashed(byte[] payload)
    {
        var file = new byte[HeaderLength + payload.Length + HashLength];
        "BTWSTATE"u8.CopyTo(file);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(8), StateFile.Version);
        payload.CopyTo(file.AsSpan(HeaderLength));
        Rehash(file);
        return file;
    }

    /// <summary>A state with every section filled: folded weights, statistics, pending observations with missing modalities, a skipped row.</summary>
    private static byte[] Original(BtwTask task)
    {
        using var weighter = new BtwWeighter(new BtwOptions { Modalities = 3, Task = task, Weighting = task == BtwTask.Regression ? BtwWeighting.Kl : BtwWeighting.KlMi, RegressionOutput = task == BtwTask.Regression ? BtwRegressionOutput.MeanAndLogVariance : BtwRegressionOutput.Mean, MinimumMiPairs = 4, NonFinite = BtwNonFinitePolicy.SkipRows });
        var rng = new Random(41);
        SyntheticBatch Make(long[] ids) => task == BtwTask.Classification
            ? SyntheticBatch.Classification(rng, ids, 3, 4, 0.3)
            : SyntheticBatch.Regression(rng, ids, 3, 2, 0.3);
        Make(Enumerable.Range(0, 30).Select(i => (long)i * 5).ToArray()).ObserveInto(weighter);
        weighter.EndEpoch();
        var pending = Make(Enumerable.Range(0, 12).Select(i => (long)i * 7).ToArray());
        pending.Multimodal[0] = float.NaN;
        pending.ObserveInto(weighter);
        return StateSnapshot.Snapshot(weighter);
    }

    private static byte[] Mutate(Random rng, byte[] original, int kind)
    {
        var b = original.ToList();
        int Pos(int count) => rng.Next(Math.Max(count, 1));
        byte[] Garbage(int n)
        {
            var g = new byte[n];
            rng.NextBytes(g);
            return g;
        }

        switch (kind)
        {
            case 0: // one flipped bit
                {
                    var p = Pos(b.Count);
                    b[p] ^= (byte)(1 << rng.Next(8));
                    break;
                }

            case 1: // several flipped bits
                for (var i = rng.Next(2, 9); i > 0; i--)
                {
                    var p = Pos(b.Count);
                    b[p] ^= (byte)(1 << rng.Next(8));
                }

                break;
            case 2: // truncated
                b = original.Take(rng.Next(original.Length)).ToList();
                break;
            case 3: // extended
                b.AddRange(Garbage(rng.Next(1, 65)));
                break;
            case 4: // a range overwritten with garbage
                {
                    var n = rng.Next(1, 33);
                    var p = Pos(b.Count - n);
                    var g = Garbage(n);
                    for (var i = 0; i < n && p + i < b.Count; i++)
                    {
                        b[p + i] = g[i];
                    }

                    break;
                }

            case 5: // inserted bytes
                b.InsertRange(Pos(b.Count + 1), Garbage(rng.Next(1, 17)));
                break;
            case 6: // deleted bytes
                {
                    var p = Pos(b.Count);
                    b.RemoveRange(p, Math.Min(rng.Next(1, 17), b.Count - p));
                    break;
                }

            case 7: // header edits: magic, version or length
                {
                    var a = b.ToArray();
                    switch (rng.Next(4))
                    {
                        case 0:
                            a[rng.Next(8)] = (byte)rng.Next(256);
                            break;
                        case 1:
                            BinaryPrimitives.WriteUInt32LittleEndian(a.AsSpan(8), new uint[] { 0, 2, 3, uint.MaxValue, (uint)rng.Next() }[rng.Next(5)]);
                            break;
                        case 2:
                            BinaryPrimitives.WriteUInt64LittleEndian(a.AsSpan(12), (ulong)((long)(a.Length - HeaderLength - HashLength) + rng.Next(-1000, 1001)));
                            break;
                        default:
                            BinaryPrimitives.WriteUInt64LittleEndian(a.AsSpan(12), ((ulong)rng.NextInt64() << 1) ^ (ulong)rng.Next());
                            break;
                    }

                    b = a.ToList();
                    break;
                }

            case 8: // two chunks swapped
                {
                    var n = rng.Next(1, 17);
                    var p = Pos(b.Count - n);
                    var q = Pos(b.Count - n);
                    for (var i = 0; i < n && p + i < b.Count && q + i < b.Count; i++)
                    {
                        (b[p + i], b[q + i]) = (b[q + i], b[p + i]);
                    }

                    break;
                }

            case 9: // a range zeroed
                {
                    var p = Pos(b.Count);
                    for (var i = p; i < Math.Min(b.Count, p + rng.Next(1, 65)); i++)
                    {
                        b[i] = 0;
                    }

                    break;
                }

            case 10: // the checksum replaced
                {
                    var g = rng.Next(2) == 0 ? new byte[HashLength] : Garbage(HashLength);
                    for (var i = 0; i < HashLength; i++)
                    {
                        b[b.Count - HashLength + i] = g[i];
                    }

                    break;
                }

            default: // entirely foreign content of a plausible length
                b = Garbage(rng.Next(original.Length * 2)).ToList();
                if (rng.Next(2) == 0 && b.Count >= 8)
                {
                    for (var i = 0; i < 8; i++)
                    {
                        b[i] = "BTWSTATE"u8[i];
                    }
                }

                break;
        }

        return b.ToArray();
    }

    /// <summary>Loads <paramref name="file"/>; returns the weighter, or null after an <see cref="InvalidDataException"/>. Any other exception fails the test.</summary>
    private static BtwWeighter? TryLoad(byte[] file, string what)
    {
        try
        {
            return BtwWeighter.FromBytes(file);
        }
        catch (InvalidDataException ex)
        {
            Assert.StartsWith("The file is not a valid Btw weighter state", ex.Message, StringComparison.Ordinal);
            return null;
        }
        catch (Exception ex)
        {
            Assert.Fail($"{what}: {ex.GetType().Name} instead of InvalidDataException: {ex.Message}");
            return null;
        }
    }

    [Theory]
    [InlineData(BtwTask.Classification, 6000)]
    [InlineData(BtwTask.Regression, 6000)]
    public void Random_corruptions_load_the_original_state_or_fail_with_InvalidDataException(BtwTask task, int mutations)
    {
        var original = Original(task);
        var rng = new Random(20260117 + (int)task);
        var rejected = 0;
        var unchanged = 0;
        var perKind = new int[12];
        for (var i = 0; i < mutations; i++)
        {
            var kind = i % 12;
            var file = Mutate(rng, original, kind);
            var same = file.AsSpan().SequenceEqual(original);
            using var loaded = TryLoad(file, $"mutation {i} (kind {kind})");
            if (loaded is null)
            {
                Assert.False(same, $"mutation {i}: the unmodified file was rejected");
                rejected++;
                perKind[kind]++;
                continue;
            }

            Assert.True(same, $"mutation {i} (kind {kind}) changed the file but it loaded");
            Assert.Equal(original, StateSnapshot.Snapshot(loaded));
            unchanged++;
        }

        Assert.Equal(mutations, rejected + unchanged);
        Assert.True(rejected > mutations * 0.95, $"only {rejected} of {mutations} mutations changed the file");
        Assert.All(perKind, n => Assert.True(n > 0));
    }

    [Theory]
    [InlineData(BtwTask.Classification, 3000)]
    [InlineData(BtwTask.Regression, 3000)]
    public void Corruptions_behind_a_valid_checksum_are_rejected_or_load_to_a_valid_durable_state(BtwTask task, int mutations)
    {
        var original = Original(task);
        var payload = original[HeaderLength..^HashLength];
        var rng = new Random(7700 + (int)task);
        var accepted = 0;
        for (var i = 0; i < mutations; i++)
        {
            // Payload-only corruptions (kinds 0-6, 8, 9), then a correct length and checksum.
            var kind = new[] { 0, 0, 0, 1, 2, 3, 4, 4, 5, 6, 8, 9 }[i % 12];
            var file = Rehashed(Mutate(rng, payload, kind));
            using var loaded = TryLoad(file, $"re-hashed mutation {i} (kind {kind})");
            if (loaded is null)
            {
                continue;
            }

            accepted++;
            Assert.Equal(file, StateSnapshot.Snapshot(loaded)); // what was accepted is exactly what saves back
            loaded.EndEpoch();
            var ids = StateSnapshot.StoredIds(loaded);
            Assert.All(StateSnapshot.Weights(loaded, ids), w => Assert.True(float.IsFinite(w) && w >= 0, $"re-hashed mutation {i} (kind {kind}): weight {w} after a fold"));
            using var again = TryLoad(StateSnapshot.Snapshot(loaded), $"re-hashed mutation {i} after a fold");
            Assert.NotNull(again);
        }

        Assert.True(accepted > 0, "no corrupted payload loaded at all: the round exercises nothing but the parser's rejections");
    }

    [Fact]
    public void Corrupted_files_on_disk_are_rejected_by_Load()
    {
        var original = Original(BtwTask.Classification);
        var folder = Directory.CreateTempSubdirectory("btw-mutation-").FullName;
        try
        {
            var rng = new Random(99);
            var path = Path.Combine(folder, "state.btw");
            for (var i = 0; i < 60; i++)
            {
                var file = Mutate(rng, original, i % 12);
                File.WriteAllBytes(path, file);
                if (file.AsSpan().SequenceEqual(original))
                {
                    using var same = BtwWeighter.Load(path);
                    continue;
                }

                var ex = Assert.Throws<InvalidDataException>(() => BtwWeighter.Load(path));
                Assert.StartsWith("The file is not a valid Btw weighter state", ex.Message, StringComparison.Ordinal);
            }

            File.WriteAllBytes(path, original);
            using var loaded = BtwWeighter.Load(path);
            Assert.Equal(original, StateSnapshot.Snapshot(loaded));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    public static TheoryData<string, byte[]> ForeignFiles => new()
    {
        { "empty", [] },
        { "text", "hello, this is not a weighter"u8.ToArray() },
        { "png header", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1F, 0x15, 0xC4, 0x89, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0] },
        { "magic only", "BTWSTATE"u8.ToArray() },
        { "zeros", new byte[4096] },
    };

    [Theory]
    [MemberData(nameof(ForeignFiles))]
    public void Foreign_files_are_rejected(string what, byte[] file)
    {
        var ex = Assert.Throws<InvalidDataException>(() => BtwWeighter.FromBytes(file));
        Assert.False(string.IsNullOrEmpty(ex.Message), what);
    }

    [Theory]
    [InlineData(1u, "earlier Btw release")]
    [InlineData(2u, "earlier Btw release")]
    [InlineData(5u, "later Btw release")]
    public void Another_format_version_is_rejected_naming_both_versions(uint version, string origin)
    {
        var file = Original(BtwTask.Classification);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(8), version);
        var ex = Assert.Throws<InvalidDataException>(() => BtwWeighter.FromBytes(file));
        Assert.Contains($"version {version}", ex.Message, StringComparison.Ordinal);
        Assert.Contains("reads versions 3 to 4", ex.Message, StringComparison.Ordinal);
        Assert.Contains(origin, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_of_the_previous_format_is_refused_saying_what_changed_and_what_to_do()
    {
        var file = Original(BtwTask.Classification);
        BinaryPrimitives.WriteUInt32LittleEndian(file.AsSpan(8), 2);
        var ex = Assert.Throws<InvalidDataException>(() => BtwWeighter.FromBytes(file));
        Assert.Contains("format version 2, written by an earlier Btw", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Shrinkage and the estimates' standard errors", ex.Message, StringComparison.Ordinal);
        Assert.Contains("start a new weighter", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_valid_checksum_over_a_huge_modality_count_is_rejected_without_allocating_for_it()
    {
        var file = Original(BtwTask.Classification);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(HeaderLength), 40_000);
        Rehash(file);
        var before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Throws<InvalidDataException>(() => BtwWeighter.FromBytes(file));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20, "the parser allocated for 40,000 modalities a file of a few kB cannot hold");
    }

    [Fact]
    public void A_valid_checksum_over_a_negative_divergence_is_rejected()
    {
        // A negative divergence would fold into a negative weight, which the next Load would reject: the state would be lost.
        using var weighter = new BtwWeighter(new BtwOptions { Modalities = 2 });
        SyntheticBatch.Classification(new Random(3), [4], 2, 3).ObserveInto(weighter);
        var file = StateSnapshot.Snapshot(weighter);
        // Pending row layout after the store: rows, skipped, id, then per modality: flag (1 byte), divergence (8, the
        // first declared column), ...; at M = 2 a row is id (8) + 2 flags + 10 float64 values (divergence 2, value 3,
        // confidence 2, agreement 3) = 90 bytes, written out by hand rather than derived from the declarations.
        var payloadEnd = file.Length - HashLength;
        var rowStart = payloadEnd - 90;
        var divergence0 = rowStart + 8 + 1;
        var d = BitConverter.ToDouble(file, divergence0);
        Assert.True(d > 0);
        BitConverter.TryWriteBytes(file.AsSpan(divergence0), -d);
        Rehash(file);
        var ex = Assert.Throws<InvalidDataException>(() => BtwWeighter.FromBytes(file));
        Assert.Contains("divergence", ex.Message, StringComparison.Ordinal);
    }
}
