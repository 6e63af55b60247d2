using System;
using Xunit;
using static TorchSharp.torch;

namespace Btw.Tests.Support;

/// <summary>Snapshots of a weighter's full state, for "the state is untouched" and "the states are identical" checks.</summary>
internal static class StateSnapshot
{
    /// <summary>
    /// The whole state as the bytes of the saved format: options, completed epochs, last modality statistics, every
    /// stored weight and every pending observation (including the skipped count).
    /// </summary>
    public static byte[] Snapshot(BtwWeighter weighter)
    {
        return weighter.ToBytes();
    }

    /// <summary>Asserts that <paramref name="action"/> throws <typeparamref name="TException"/> and leaves the state byte for byte as it was.</summary>
    public static TException ThrowsAndLeavesStateUntouched<TException>(BtwWeighter weighter, Action action)
        where TException : Exception
    {
        var before = Snapshot(weighter);
        var ex = Assert.Throws<TException>(action);
        Assert.Equal(before, Snapshot(weighter));
        return ex;
    }

    /// <summary>The stored weights of <paramref name="ids"/> as floats [ids, M] (ones for ids never folded in).</summary>
    public static float[] Weights(BtwWeighter weighter, long[] ids)
    {
        using var scope = NewDisposeScope();
        return weighter.WeightsFor(tensor(ids)).data<float>().ToArray();
    }

    /// <summary>The weights of <paramref name="ids"/> for a forward pass with the given presence flags, as floats [ids, M].</summary>
    public static float[] Weights(BtwWeighter weighter, long[] ids, bool[] present)
    {
        using var scope = NewDisposeScope();
        return weighter.WeightsFor(tensor(ids), tensor(present, new long[] { ids.Length, weighter.Modalities })).data<float>().ToArray();
    }

    /// <summary>Asserts two float arrays are equal bit for bit, naming the first difference.</summary>
    public static void BitIdentical(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
            {
                Assert.Fail($"Element {i}: expected {expected[i]:R}, got {actual[i]:R}.");
            }
        }
    }

    /// <summary>Every id the weighter stores weights for, in storage order.</summary>
    public static long[] StoredIds(BtwWeighter weighter)
    {
        return global::Btw.Weighting.WeighterCore.FromBytes(weighter.ToBytes()).StoredIds;
    }
}
