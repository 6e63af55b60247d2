using System;
using Btw.Internal;
using static TorchSharp.torch;

namespace Btw.Kernels;

/// <summary>
/// The one place for the output shapes of each task, used by the weighter's kernels, <see cref="InstanceDivergence"/>
/// and <see cref="BtwLoss"/>: classification outputs are logits [B, C] with C &gt;= 2 (one class carries no
/// information: every divergence and loss would be 0 whatever the model does); regression outputs are [B] or [B, 1]
/// (a mean) or [B, 2] (mean, log-variance), the width declared by a <see cref="BtwRegressionOutput"/> setting. A width that belongs to the other task is refused with a message naming the
/// setting to change.
/// </summary>
internal static class TaskShapes
{
    /// <summary>
    /// Checks that <paramref name="output"/> has a shape of <paramref name="task"/> and returns its width per row (C for
    /// classification; 1 or 2 for regression).
    /// </summary>
    /// <param name="output">The output to check.</param>
    /// <param name="task">The task it should belong to.</param>
    /// <param name="what">How the message names the output.</param>
    /// <param name="taskSetting">The setting that chose the task (e.g. "BtwOptions.Task"), or null where none did (a
    /// function that is itself of one task).</param>
    /// <param name="paramName">The parameter name of the exception.</param>
    /// <exception cref="ArgumentException">The shape is not one of the task's.</exception>
    public static int Require(Tensor output, BtwTask task, string what, string? taskSetting, string paramName)
    {
        var width = output.dim() == 1 ? 1 : output.dim() == 2 ? output.shape[1] : -1;
        if (task == BtwTask.Classification)
        {
            if (output.dim() == 2 && width >= 2)
            {
                return (int)width;
            }

            var hint = taskSetting is not null && (width == 1 || width == 0)
                ? Shapes.Message($" {taskSetting} is Classification; outputs of shape [B] or [B, 1] are regression outputs: set {taskSetting} = BtwTask.Regression.")
                : string.Empty;
            throw new ArgumentException(Shapes.Message($"{what} has shape {Shapes.Of(output)}; classification expects logits [B, C] with C >= 2 classes.{hint}"), paramName);
        }

        if (width is 1 or 2)
        {
            return (int)width;
        }

        var logits = taskSetting is not null && width > 2
            ? Shapes.Message($" {taskSetting} is Regression; if these are class logits, set {taskSetting} = BtwTask.Classification.")
            : string.Empty;
        throw new ArgumentException(Shapes.Message($"{what} has shape {Shapes.Of(output)}; regression expects [B], [B, 1] (mean) or [B, 2] (mean, log-variance).{logits}"), paramName);
    }

    /// <summary>
    /// Refuses outputs whose width disagrees with the declared <see cref="BtwRegressionOutput"/>: [B, 2] under
    /// <see cref="BtwRegressionOutput.Mean"/> (two-class logits have that shape too) and [B] / [B, 1] under
    /// <see cref="BtwRegressionOutput.MeanAndLogVariance"/>. Used by the regression kernel and <see cref="BtwLoss"/>.
    /// </summary>
    public static void RequireDeclaredRegressionOutput(int columns, BtwRegressionOutput declared, string shape, string optionsType, string argument)
    {
        if (columns == 2 && declared == BtwRegressionOutput.Mean)
        {
            throw new ArgumentException(
                Shapes.Message($"{optionsType}.RegressionOutput is Mean, which expects regression means [B] or [B, 1]; got {shape}. For (mean, log-variance) outputs set {optionsType}.RegressionOutput = BtwRegressionOutput.MeanAndLogVariance; if these are two-class logits, set {optionsType}.Task = BtwTask.Classification."),
                argument);
        }

        if (columns == 1 && declared == BtwRegressionOutput.MeanAndLogVariance)
        {
            throw new ArgumentException(
                Shapes.Message($"{optionsType}.RegressionOutput is MeanAndLogVariance, which expects [B, 2] = (mean, log-variance); got {shape}. For mean-only outputs set {optionsType}.RegressionOutput = BtwRegressionOutput.Mean."),
                argument);
        }
    }
}
