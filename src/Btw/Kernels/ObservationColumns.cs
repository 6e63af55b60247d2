using System.Collections.Immutable;

namespace Btw.Kernels;

/// <summary>
/// The declaration of the epoch state's columns (in the style of torchmetrics' add_state). To add one: declare it here,
/// add it to <see cref="All"/>, and compute it in both paths of each task kernel (<see cref="CategoricalKernel"/>,
/// <see cref="GaussianKernel"/>); record, merge, reset, the finite check and the saved format follow.
/// </summary>
internal static class ObservationColumns
{
    /// <summary>d_i^m, the instance-level divergence of the unimodal prediction from the multimodal one, nats, >= 0.</summary>
    public static readonly ObservationColumn Divergence = new("divergence", HasMultimodal: false, Minimum: 0);

    /// <summary>The statistic for MI: predicted label (classification) or mean (regression); also multimodal.</summary>
    public static readonly ObservationColumn Value = new("value", HasMultimodal: true, Minimum: double.MinValue);

    /// <summary>The entropy-based confidence score of the unimodal prediction, >= 0.</summary>
    public static readonly ObservationColumn Confidence = new("confidence score", HasMultimodal: false, Minimum: 0);

    /// <summary>The statistic for correlation (probability of the multimodal label, or the mean); also multimodal.</summary>
    public static readonly ObservationColumn Agreement = new("agreement", HasMultimodal: true, Minimum: double.MinValue);

    /// <summary>Every column, in the order of the batch matrix and of the saved format.</summary>
    public static readonly ImmutableArray<ObservationColumn> All = [Divergence, Value, Confidence, Agreement];
}
