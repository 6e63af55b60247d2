using System;
using System.Globalization;
using Btw.Internal;

namespace Btw;

/// <summary>Settings of <see cref="BtwLoss.Compute(BtwOutput, TorchSharp.torch.Tensor, BtwLossOptions)"/>.</summary>
public sealed class BtwLossOptions
{
    private BtwTask? _task;

    /// <summary>
    /// Classification (cross-entropy on logits) or regression. Unless set, <see cref="BtwTask.Classification"/>, or the
    /// weighter's <see cref="BtwOptions.Task"/> when the loss is computed with
    /// <see cref="BtwLoss.Compute(BtwOutput, TorchSharp.torch.Tensor, BtwWeighter, BtwLossOptions)"/>, which refuses a task
    /// set here that differs from the weighter's.
    /// </summary>
    public BtwTask Task
    {
        get => _task ?? BtwTask.Classification;
        set => _task = value;
    }

    /// <summary>Whether <see cref="Task"/> was set explicitly.</summary>
    internal bool TaskIsExplicit => _task.HasValue;

    /// <summary>The loss for regression means ([B] or [B, 1]); default <see cref="BtwRegressionLoss.L1"/>. Ignored under <see cref="BtwRegressionOutput.MeanAndLogVariance"/>; refused unless L1 for classification.</summary>
    public BtwRegressionLoss RegressionLoss { get; set; } = BtwRegressionLoss.L1;

    /// <summary>
    /// What regression outputs hold; default <see cref="BtwRegressionOutput.Mean"/> ([B] or [B, 1], loss
    /// <see cref="RegressionLoss"/>; [B, 2] is refused with a message naming this setting). With
    /// <see cref="BtwRegressionOutput.MeanAndLogVariance"/> outputs are [B, 2] = (mean, log-variance) and the loss is the
    /// Gaussian negative log-likelihood. Set the same value as <see cref="BtwOptions.RegressionOutput"/>. Regression only: refused unless Mean for classification.
    /// </summary>
    public BtwRegressionOutput RegressionOutput { get; set; } = BtwRegressionOutput.Mean;

    /// <summary>
    /// Whether classification outputs that are already probabilities are accepted; default false: as TorchSharp's
    /// cross_entropy, the loss expects logits, so outputs whose every row is non-negative and sums to 1 within 1e-5 are
    /// refused with a message naming the output. Set true only if your logits can legitimately look like that. Classification only: refused unless false for regression.
    /// </summary>
    public bool AllowProbabilityOutputs { get; set; }

    /// <summary>
    /// Weight λ (&gt;= 0) of the mean of the unimodal losses. The unimodal heads learn only from this term, and BTW needs
    /// meaningful unimodal predictions, so keep it positive. Default 1.
    /// </summary>
    public double UnimodalWeight { get; set; } = 1.0;

    /// <summary>Weight β (&gt;= 0) of <see cref="BtwOutput.AuxiliaryLoss"/>, the load-balancing loss. Default 0.01.</summary>
    public double AuxiliaryWeight { get; set; } = 0.01;

    /// <summary>Lower clamp (&gt; 0) of the variance exp(log-variance) in the Gaussian negative log-likelihood (regression; refused unless 1e-6 for classification). Default 1e-6.</summary>
    public double VarianceEpsilon { get; set; } = DefaultVarianceEpsilon;

    /// <summary>Returns a copy of these options with the same values.</summary>
    /// <returns>A new, independent <see cref="BtwLossOptions"/>.</returns>
    public BtwLossOptions Clone() => (BtwLossOptions)MemberwiseClone();

    /// <summary>Checks every setting and throws if one is out of range, or if a regression setting (<see cref="RegressionLoss"/>, <see cref="VarianceEpsilon"/>) is not at its default under <see cref="BtwTask.Classification"/>, which ignores it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range; the message names it and its value.</exception>
    /// <exception cref="ArgumentException">A setting the task ignores is not at its default; the message names it.</exception>
    public void Validate()
    {
        Require(Enum.IsDefined(Task), nameof(Task), Task, "a defined BtwTask value");
        Require(Enum.IsDefined(RegressionOutput), nameof(RegressionOutput), RegressionOutput, "a defined BtwRegressionOutput value");
        Require(Enum.IsDefined(RegressionLoss), nameof(RegressionLoss), RegressionLoss, "a defined BtwRegressionLoss value");
        Require(UnimodalWeight >= 0 && double.IsFinite(UnimodalWeight), nameof(UnimodalWeight), UnimodalWeight, "finite and >= 0");
        Require(AuxiliaryWeight >= 0 && double.IsFinite(AuxiliaryWeight), nameof(AuxiliaryWeight), AuxiliaryWeight, "finite and >= 0");
        Require(VarianceEpsilon > 0 && double.IsFinite(VarianceEpsilon), nameof(VarianceEpsilon), VarianceEpsilon, "finite and > 0");

        // Settings of regression outputs mean nothing for classification: a value other than the default is a mistake.
        var classification = Task == BtwTask.Classification;
        OptionCheck.RequireDefault(!classification || RegressionLoss == BtwRegressionLoss.L1, nameof(BtwLossOptions), nameof(RegressionLoss), RegressionLoss, BtwRegressionLoss.L1, "regression outputs of width 1 (Task = Regression); the task is Classification");
        OptionCheck.RequireDefault(!classification || RegressionOutput == BtwRegressionOutput.Mean, nameof(BtwLossOptions), nameof(RegressionOutput), RegressionOutput, BtwRegressionOutput.Mean, "regression outputs (Task = Regression); the task is Classification");
        OptionCheck.RequireDefault(classification || !AllowProbabilityOutputs, nameof(BtwLossOptions), nameof(AllowProbabilityOutputs), AllowProbabilityOutputs, false, "classification logits (Task = Classification); the task is Regression");
        OptionCheck.RequireDefault(!classification || VarianceEpsilon == DefaultVarianceEpsilon, nameof(BtwLossOptions), nameof(VarianceEpsilon), VarianceEpsilon, DefaultVarianceEpsilon, "(mean, log-variance) regression outputs (Task = Regression); the task is Classification");
    }

    private const double DefaultVarianceEpsilon = 1e-6;

    private static void Require(bool condition, string name, object value, string expected) =>
        OptionCheck.Require(condition, nameof(BtwLossOptions), name, value, expected);
}
