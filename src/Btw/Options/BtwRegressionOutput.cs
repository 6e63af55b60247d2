namespace Btw;

/// <summary>
/// What a regression model's outputs hold, set explicitly because a two-column output is ambiguous (two-class logits
/// look the same as a mean and a log-variance). Used by <see cref="BtwOptions.RegressionOutput"/> and
/// <see cref="BtwLossOptions.RegressionOutput"/>; ignored for classification.
/// </summary>
public enum BtwRegressionOutput
{
    /// <summary>
    /// Outputs [B] or [B, 1] are the predicted mean; a Gaussian with the fixed <see cref="BtwOptions.RegressionSigma"/> is
    /// assumed. Outputs [B, 2] are refused with a message naming this setting. The default.
    /// </summary>
    Mean = 0,

    /// <summary>
    /// Outputs [B, 2]: column 0 is the mean, column 1 the log-variance (nats scale: variance = exp(column 1)). Outputs [B]
    /// and [B, 1] are refused with a message naming this setting.
    /// </summary>
    MeanAndLogVariance = 1,
}
