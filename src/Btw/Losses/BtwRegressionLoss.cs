namespace Btw;

/// <summary>
/// The per-example regression loss <see cref="BtwLoss"/> uses for outputs of width 1 (a mean). Outputs of width 2
/// (mean, log-variance) always use the Gaussian negative log-likelihood instead.
/// </summary>
public enum BtwRegressionLoss
{
    /// <summary>Absolute error |ŷ - y| (mean absolute error over the batch), as the paper's regression experiments. The default.</summary>
    L1 = 0,

    /// <summary>Squared error (ŷ - y)² (mean squared error over the batch).</summary>
    MeanSquaredError = 1,
}
