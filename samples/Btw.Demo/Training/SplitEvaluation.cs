using System.Collections.Generic;
using Btw.Demo.Metrics;

namespace Btw.Demo.Training;

/// <summary>One evaluation of a split: the fused model's metrics, its mean task loss, and each unimodal head's metrics.</summary>
/// <param name="Metrics">Metrics of the multimodal (fused) prediction.</param>
/// <param name="Loss">Mean task loss of the fused prediction: cross-entropy (nats) or L1 on the standardised target.</param>
/// <param name="Unimodal">Metrics of each modality's own head on every row (a missing view's head sees zeros), in view order.</param>
internal sealed record SplitEvaluation(MetricSet Metrics, double Loss, IReadOnlyList<MetricSet> Unimodal);
