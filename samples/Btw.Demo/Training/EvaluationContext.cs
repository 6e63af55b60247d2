using System.Collections.Generic;

namespace Btw.Demo.Training;

/// <summary>How a split is evaluated: the weight rule, its inputs, and the target scale to report regression in target units.</summary>
/// <param name="Rule">The evaluation-weight rule.</param>
/// <param name="ModalityWeights">TrainingMean: one weight per modality (null = all 1); ignored by the other rules.</param>
/// <param name="Weighter">The run's weighter (needed by ModalityMean and FromOutputs).</param>
/// <param name="TargetMean">Regression: the training target mean (0 for classification).</param>
/// <param name="TargetStdDev">Regression: the training target standard deviation (1 for classification).</param>
internal sealed record EvaluationContext(EvaluationWeights Rule, IReadOnlyList<double>? ModalityWeights, BtwWeighter? Weighter, double TargetMean = 0, double TargetStdDev = 1);
