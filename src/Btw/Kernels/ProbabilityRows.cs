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
    /// Throws an <see cref="ArgumentException"/> naming the first output (in the order given) whose every row is a
    /// probability row. One host synchronisation for all the outputs; empty batches pass.
    /// </summary>
    /// <param name="outputs">The outputs [B, C] with the argument name and description that a message gives for each.</param>
    /// <param name="setting">The opt-out setting to name (as "Type.Property").</param>
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
                each[i] = AllRowsAreProbabilities(outputs[i].Output);
            }

            flags = stack(each).cpu().data<bool>().ToArray();
        }

        var first = Array.IndexOf(flags, true);
        if (first < 0)
        {
            return;
        }

        var (output, argument, what) = outputs[first];
        throw new ArgumentException(
            Shapes.Message($"Expected logits for {what}; every row of it ({Shapes.Of(output)}) is non-negative and sums to 1, so it looks like probabilities (softmax already applied). Pass the logits, as to TorchSharp's cross_entropy: softmax is applied here. If these really are logits, set {setting} = true."),
            argument);
    }

    // A bool scalar: all values >= 0 and every row sum within the tolerance of 1 (NaN rows are not probabilities).
    private static Tensor AllRowsAreProbabilities(Tensor output)
    {
        var x = output.detach().to_type(ScalarType.Float64);
        return x.ge(0).all().logical_and((x.sum(1) - 1.0).abs().le(Tolerance).all());
    }
}
