using System;
using System.Collections.Generic;
using Btw.Internal;
using static TorchSharp.torch;

namespace Btw.Kernels;

/// <summary>
/// Recognises classification outputs that are already probabilities where logits are expected: every row non-negative
/// and summing to 1 within <see cref="Tolerance"/>. TorchSharp's cross-entropy and this library's divergences apply
/// log_softmax themselves, so softmax outputs passed instead are silently wrong (the weights and the loss change, nothing
/// fails). Log-probabilities (log_softmax outputs) are valid logits and are not flagged.
/// </summary>
internal static class ProbabilityRows
{
    /// <summary>How far a row sum may be from 1 for the row to count as probabilities.</summary>
    public const double Tolerance = 1e-5;

    /// <summary>
    /// The weighter's host path: the first output among float64 row-major [M + 1, B, C] (the multimodal output, index M,
    /// is looked at first) whose every row is a probability row; -1 when there is none or the batch is empty.
    /// </summary>
    public static int First(ReadOnlySpan<double> outputs, int count, int batch, int classes)
    {
        if (batch == 0)
        {
            return -1;
        }

        for (var k = 0; k < count; k++)
        {
            var j = (k + count - 1) % count;   // M first, then 0 .. M - 1
            if (AllRows(outputs.Slice(j * batch * classes, batch * classes), classes))
            {
                return j;
            }
        }

        return -1;
    }

    /// <summary>The same on the outputs' device, [M + 1, B, C]: one host synchronisation.</summary>
    public static int First(Tensor outputs)
    {
        var count = (int)outputs.shape[0];
        if (outputs.shape[1] == 0)
        {
            return -1;
        }

        bool[] flags;
        using (NewDisposeScope())
        {
            flags = Flags(outputs);
        }

        return flags[count - 1] ? count - 1 : Array.IndexOf(flags, true, 0, count - 1);
    }

    /// <summary>The exception for output <paramref name="index"/> of the weighter's [M + 1, ...] outputs (M: multimodal).</summary>
    public static ArgumentException Refusal(int index, int modalities, string shape) => index == modalities
        ? Exception("the multimodal output", shape, "multimodal", "BtwOptions.AllowProbabilityOutputs")
        : Exception(Shapes.Message($"the unimodal output of modality {index}"), shape, "unimodal", "BtwOptions.AllowProbabilityOutputs");

    /// <summary>
    /// The loss's check: throws an <see cref="ArgumentException"/> naming the first output (in the order given) whose
    /// every row is a probability row. The outputs have one shape [B, C]; one host synchronisation; empty batches pass.
    /// </summary>
    public static void Refuse(IReadOnlyList<(Tensor Output, string Argument, string What)> outputs, string setting)
    {
        if (outputs.Count == 0 || outputs[0].Output.dim() != 2 || outputs[0].Output.shape[0] == 0)
        {
            return;
        }

        bool[] flags;
        using (NewDisposeScope())
        using (no_grad())
        {
            var each = new Tensor[outputs.Count];
            for (var i = 0; i < each.Length; i++)
            {
                each[i] = outputs[i].Output.detach();
            }

            flags = Flags(stack(each).to_type(ScalarType.Float64));
        }

        var first = Array.IndexOf(flags, true);
        if (first >= 0)
        {
            var (output, argument, what) = outputs[first];
            throw Exception(what, Shapes.Of(output), argument, setting);
        }
    }

    private static ArgumentException Exception(string what, string shape, string argument, string setting) => new(
        Shapes.Message($"Expected logits for {what}; every row of it ({shape}) is non-negative and sums to 1, so it looks like probabilities (softmax already applied). Pass the logits, as to TorchSharp's cross_entropy: softmax is applied here. If these really are logits, set {setting} = true."),
        argument);

    // Per output of [N, B, C] (in the caller's dispose scope): whether its every row is a probability row; one host synchronisation.
    private static bool[] Flags(Tensor outputs) =>
        outputs.ge(0).all(2).all(1).logical_and((outputs.sum(2) - 1.0).abs().le(Tolerance).all(1)).cpu().data<bool>().ToArray();

    // Whether every row of C values is non-negative and sums to 1 within the tolerance (NaN rows are not).
    private static bool AllRows(ReadOnlySpan<double> values, int classes)
    {
        for (var start = 0; start < values.Length; start += classes)
        {
            var sum = 0.0;
            foreach (var v in values.Slice(start, classes))
            {
                if (!(v >= 0))
                {
                    return false;
                }

                sum += v;
            }

            if (!(Math.Abs(sum - 1.0) <= Tolerance))
            {
                return false;
            }
        }

        return true;
    }
}
