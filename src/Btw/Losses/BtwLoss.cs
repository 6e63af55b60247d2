using System;
using System.Collections.Generic;
using System.Linq;
using Btw.Internal;
using Btw.Kernels;
using TorchSharp;
using static TorchSharp.torch;

namespace Btw;

/// <summary>
/// The usual training objective of a <see cref="BtwMixtureOfExperts"/>:
/// L = L_task(z, y) + λ · mean_m L_task(u_m, y | modality m present) + β · L_aux.
/// </summary>
/// <remarks>
/// <para>Per-example task losses, averaged over the batch:</para>
/// <list type="bullet">
/// <item>Classification: cross-entropy of logits [B, C], C &gt;= 2, against int64 class indices [B] in [0, C) (nats).
/// Outputs that are already probabilities (every row non-negative, summing to 1) are refused unless
/// <see cref="BtwLossOptions.AllowProbabilityOutputs"/> is set.</item>
/// <item>Regression with outputs [B, 1] (or [B]), under <see cref="BtwRegressionOutput.Mean"/> (the default): |ŷ - y| (<see cref="BtwRegressionLoss.L1"/>, the default) or (ŷ - y)²
/// (<see cref="BtwRegressionLoss.MeanSquaredError"/>); targets [B] or [B, 1].</item>
/// <item>Regression with outputs [B, 2], under <see cref="BtwRegressionOutput.MeanAndLogVariance"/> (<see cref="BtwLossOptions.RegressionOutput"/>): column 0 is the mean μ, column 1 the log-variance s; the Gaussian negative
/// log-likelihood ½ (log v + (y - μ)² / v) with v = max(exp(s), <see cref="BtwLossOptions.VarianceEpsilon"/>), without the
/// constant ½ log 2π (as torch's gaussian_nll_loss with full = false).</item>
/// </list>
/// <para>The multimodal term averages over all B rows. Modality m's unimodal term averages over the rows where m is present
/// (<see cref="BtwOutput.Present"/>; all rows when it is null); the unimodal terms are then averaged over the modalities present
/// in at least one row of the batch (0 if none is). λ = <see cref="BtwLossOptions.UnimodalWeight"/>,
/// β = <see cref="BtwLossOptions.AuxiliaryWeight"/>.</para>
/// </remarks>
public static class BtwLoss
{
    /// <summary>Computes the total loss for one batch.</summary>
    /// <param name="output">The module's output for the batch.</param>
    /// <param name="target">Classification: int64 class indices [B]. Regression: real targets [B] or [B, 1]. Moved to the outputs' device.</param>
    /// <param name="options">The loss settings; null for the defaults (classification, λ = 1, β = 0.01).</param>
    /// <returns>A differentiable scalar tensor on the outputs' device, in the caller's dispose scope.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="output"/> or <paramref name="target"/> is null.</exception>
    /// <exception cref="ArgumentException">The target or an output has the wrong shape or dtype for the task; the message names
    /// it and the expected and actual shapes.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting of <paramref name="options"/> is out of range (a regression setting under classification is an <see cref="ArgumentException"/>), or (classification)
    /// a class label lies outside [0, C); the message names the first such row and its label.</exception>
    public static Tensor Compute(BtwOutput output, Tensor target, BtwLossOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(target);
        var o = options ?? new BtwLossOptions();
        o.Validate();

        using var scope = NewDisposeScope();
        var batch = output.Multimodal.shape.Length == 0 ? 0 : output.Multimodal.shape[0];
        RequireTaskShape(output.Multimodal, o, "BtwOutput.Multimodal", nameof(output));
        var y = PrepareTarget(target, batch, o.Task, output.Multimodal.device);
        if (o.Task == BtwTask.Classification && output.Multimodal.dim() == 2)
        {
            RequireClassLabelsAndLogits(y, output, o);
        }

        var total = RowLosses(output.Multimodal, y, o, "BtwOutput.Multimodal").mean();

        var m = output.Unimodal.Count;
        if (o.UnimodalWeight > 0 && m > 0)
        {
            var present = output.Present?.to(output.Multimodal.device);
            var sum = zeros(Array.Empty<long>(), total.dtype, total.device);
            var active = zeros(Array.Empty<long>(), total.dtype, total.device);
            for (var i = 0; i < m; i++)
            {
                var rows = RowLosses(output.Unimodal[i], y, o, Shapes.Message($"BtwOutput.Unimodal[{i}]"));
                if (present is null)
                {
                    sum = sum + rows.mean();
                    active = active + 1;
                    continue;
                }

                var mask = present.select(1, i);
                var count = mask.sum(ScalarType.Float64).to(total.dtype);
                sum = sum + where(mask, rows, zeros_like(rows)).sum() / count.clamp_min(1);
                active = active + count.gt(0).to(total.dtype);
            }

            total = total + o.UnimodalWeight * (sum / active.clamp_min(1));
        }

        if (o.AuxiliaryWeight > 0)
        {
            total = total + o.AuxiliaryWeight * output.AuxiliaryLoss.to(total.dtype);
        }

        return total.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Computes the total loss for one batch with the task of the weighter trained alongside, so that the loss and the
    /// weighter cannot disagree on it: the task is <paramref name="weighter"/>'s <see cref="BtwOptions.Task"/>, and a
    /// <see cref="BtwLossOptions.Task"/> set explicitly to another task is refused.
    /// </summary>
    /// <param name="output">The module's output for the batch.</param>
    /// <param name="target">As in <see cref="Compute(BtwOutput, Tensor, BtwLossOptions)"/>.</param>
    /// <param name="weighter">The weighter that observes the same outputs.</param>
    /// <param name="options">The other loss settings; null for the defaults (λ = 1, β = 0.01).</param>
    /// <returns>A differentiable scalar tensor on the outputs' device, in the caller's dispose scope.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="output"/>, <paramref name="target"/> or <paramref name="weighter"/> is null.</exception>
    /// <exception cref="ArgumentException"><see cref="BtwLossOptions.Task"/> was set to a task other than the weighter's, or <see cref="BtwLossOptions.RegressionOutput"/> to a value other than the weighter's (the message names both settings), or an input is malformed as in <see cref="Compute(BtwOutput, Tensor, BtwLossOptions)"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">As in <see cref="Compute(BtwOutput, Tensor, BtwLossOptions)"/>.</exception>
    public static Tensor Compute(BtwOutput output, Tensor target, BtwWeighter weighter, BtwLossOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(weighter);
        var task = weighter.Options.Task;
        var o = options?.Clone() ?? new BtwLossOptions();
        if (o.TaskIsExplicit && o.Task != task)
        {
            throw new ArgumentException(
                Shapes.Message($"BtwLossOptions.Task is {o.Task} but the weighter's BtwOptions.Task is {task}; the loss and the weighter must agree on the task. Leave BtwLossOptions.Task unset (it follows the weighter) or set both to the same task."),
                nameof(options));
        }

        o.Task = task;
        var declared = weighter.Options.RegressionOutput;
        if (task == BtwTask.Regression && o.RegressionOutput != declared)
        {
            if (o.RegressionOutput != BtwRegressionOutput.Mean)
            {
                throw new ArgumentException(
                    Shapes.Message($"BtwLossOptions.RegressionOutput is {o.RegressionOutput} but the weighter's BtwOptions.RegressionOutput is {declared}; the loss and the weighter must read the outputs alike. Leave BtwLossOptions.RegressionOutput at its default (it follows the weighter) or set both to the same value."),
                    nameof(options));
            }

            o.RegressionOutput = declared;   // unset (the default): follows the weighter
        }

        o.AllowProbabilityOutputs |= task == BtwTask.Classification && weighter.Options.AllowProbabilityOutputs;
        return Compute(output, target, o);
    }

    // Per-example losses [B] of one prediction.
    private static Tensor RowLosses(Tensor prediction, Tensor target, BtwLossOptions o, string what)
    {
        var batch = target.shape[0];
        var width = RequireTaskShape(prediction, o, what, nameof(prediction));
        if (prediction.shape[0] != batch)
        {
            throw new ArgumentException(Shapes.Message($"{what} has shape {Shapes.Of(prediction)}; expected B = {batch} rows."), nameof(prediction));
        }

        if (o.Task == BtwTask.Classification)
        {
            return nn.functional.cross_entropy(prediction, target, reduction: nn.Reduction.None);
        }

        var y = target.to(prediction.dtype);
        if (width == 2)
        {
            var mean = prediction.select(1, 0);
            var variance = prediction.select(1, 1).exp().clamp_min(o.VarianceEpsilon);
            return 0.5 * (variance.log() + (y - mean).square() / variance);
        }

        var error = prediction.reshape(batch) - y;
        return o.RegressionLoss == BtwRegressionLoss.L1 ? error.abs() : error.square();
    }

    // The task's shapes (Kernels/TaskShapes) and, for regression, the width that BtwLossOptions.RegressionOutput declares.
    private static int RequireTaskShape(Tensor prediction, BtwLossOptions o, string what, string paramName)
    {
        var width = TaskShapes.Require(prediction, o.Task, what, "BtwLossOptions.Task", paramName);
        if (o.Task == BtwTask.Regression)
        {
            TaskShapes.RequireDeclaredRegressionOutput(width, o.RegressionOutput, Shapes.Message($"{what} of shape {Shapes.Of(prediction)}"), nameof(BtwLossOptions), paramName);
        }

        return width;
    }

    // Class indices must lie in [0, C): cross-entropy would otherwise fail inside the native library (CPU) or with a
    // device-side assertion (CUDA). Cross-entropy takes logits: outputs whose every row is a probability row (softmax
    // applied twice) are refused unless the options allow them. One host synchronisation for both (a probability row has
    // no negative value, so only outputs without one get the full check); the messages name the first offending row and
    // label, or the output.
    private static void RequireClassLabelsAndLogits(Tensor target, BtwOutput output, BtwLossOptions o)
    {
        using var scope = NewDisposeScope();
        var classes = output.Multimodal.shape[1];
        var outside = target.lt(0).logical_or(target.ge(classes));
        var candidates = new List<(Tensor Output, string Argument, string What)> { (output.Multimodal, nameof(output), "BtwOutput.Multimodal") };
        for (var i = 0; i < output.Unimodal.Count; i++)
        {
            var u = output.Unimodal[i];
            if (u.shape.AsSpan().SequenceEqual(output.Multimodal.shape) && u.device_type == output.Multimodal.device_type && u.device_index == output.Multimodal.device_index)
            {
                candidates.Add((u, nameof(output), Shapes.Message($"BtwOutput.Unimodal[{i}]")));
            }
        }

        var check = !o.AllowProbabilityOutputs && target.shape[0] > 0;
        var flags = outside.any().unsqueeze(0);
        if (check)
        {
            using var noGrad = no_grad();
            var nonNegative = stack(candidates.Select(c => c.Output.detach()).ToArray()).amin([1, 2]).ge(0);
            flags = cat([flags, nonNegative], 0);
        }

        var host = flags.cpu().data<bool>().ToArray();
        if (host[0])
        {
            var row = outside.nonzero()[0, 0].item<long>();
            var label = target[row].item<long>();
            throw new ArgumentOutOfRangeException(
                nameof(target),
                label,
                Shapes.Message($"target row {row} has class label {label}; class labels must lie in [0, {classes}), C = {classes} being the number of columns of the logits (BtwMoEOptions.Outputs)."));
        }

        if (check && Array.IndexOf(host, true, 1) > 0)
        {
            ProbabilityRows.Refuse(candidates, "BtwLossOptions.AllowProbabilityOutputs");
        }
    }

    private static Tensor PrepareTarget(Tensor target, long batch, BtwTask task, Device device)
    {
        if (task == BtwTask.Classification)
        {
            if (target.dtype != ScalarType.Int64 || target.dim() != 1 || target.shape[0] != batch)
            {
                throw new ArgumentException(
                    Shapes.Message($"target has shape {Shapes.Of(target)} and dtype {target.dtype}; classification expects int64 class indices [B] with B = {batch}.{(is_floating_point(target) ? " For real-valued targets set BtwLossOptions.Task = BtwTask.Regression." : string.Empty)}"),
                    nameof(target));
            }

            return target.to(device);
        }

        var valid = (target.dim() == 1 && target.shape[0] == batch) || (target.dim() == 2 && target.shape[0] == batch && target.shape[1] == 1);
        if (!valid || !is_floating_point(target))
        {
            throw new ArgumentException(
                Shapes.Message($"target has shape {Shapes.Of(target)} and dtype {target.dtype}; regression expects real targets [B] or [B, 1] with B = {batch}.{(is_floating_point(target) ? string.Empty : " For class indices set BtwLossOptions.Task = BtwTask.Classification.")}"),
                nameof(target));
        }

        return target.to(device).reshape(batch);
    }
}
