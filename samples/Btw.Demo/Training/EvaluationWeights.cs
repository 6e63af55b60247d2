namespace Btw.Demo.Training;

/// <summary>Which modality weights validation and test rows (ids the weighter never saw) get. No rule uses labels.</summary>
internal enum EvaluationWeights
{
    /// <summary>
    /// Each modality's mean BTW weight over the training rows in the epoch being evaluated (the weights the
    /// model was trained with: the previous epoch's report, 1 in the first epoch), times the presence mask,
    /// rescaled per row to sum to the number of present modalities. The demo's default.
    /// </summary>
    TrainingMean,

    /// <summary>1 for every present modality (what WeightsFor returns for unseen ids).</summary>
    Ones,

    /// <summary>
    /// The library's <c>BtwEvaluation.PredictUnseen</c> under <c>BtwUnseenWeights.ModalityMean</c>: the
    /// weighter's <c>MeanWeights</c> (the weights produced at the end of the epoch just trained), masked and rescaled.
    /// </summary>
    ModalityMean,

    /// <summary>
    /// The library's two-pass <c>BtwEvaluation.PredictUnseen</c> under <c>BtwUnseenWeights.FromOutputs</c>:
    /// pass 1 with the modality mean weights, pass 2 with alpha x (the mode's formula on the pass-1 outputs, with the
    /// last epoch's MI) + (1 - alpha) x the mean weights.
    /// </summary>
    FromOutputs,
}
