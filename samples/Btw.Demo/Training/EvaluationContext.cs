using System.Collections.Generic;

using static TorchSharp.torch;

namespace Btw.Demo.Training;

/// <summary>How a split is evaluated: the weight rule, its inputs, and the target scale to report regression in target units.</summary>
/// <param name="Rule">The evaluation-weight rule.</param>
/// <param name="ModalityWeights">TrainingMean: one weight per modality (null = all 1); ignored by the other rules.</param>
/// <param name="Weighter">The run's weighter (needed by ModalityMean and FromOutputs).</param>
/// <param name="TargetMean">Regression: the training target mean (0 for classification).</param>
/// <param name="TargetStdDev">Regression: the training target standard deviation (1 for classification).</param>
internal sealed record EvaluationContext(EvaluationWeights Rule, IReadOnlyList<double>? ModalityWeights, BtwWeighter? Weighter, double TargetMean = 0, double TargetStdDev = 1)
{
    /// <summary>
    /// Two-stage protocol: the split's own weighter (ids = row indexes of the split). When set, every row is weighted with
    /// its stored weights (<c>WeightsFor</c>) and then observed with <see cref="FrozenUnimodal"/> beside the fused output
    /// (no labels); the caller ends its epoch. <see cref="Rule"/> is then not used.
    /// </summary>
    public BtwWeighter? RowWeighter { get; init; }

    /// <summary>Two-stage protocol: the frozen unimodal models' outputs for every row of the split, one tensor per modality.</summary>
    public IReadOnlyList<Tensor>? FrozenUnimodal { get; init; }
}
