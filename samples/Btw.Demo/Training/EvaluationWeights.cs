namespace Btw.Demo.Training;

/// <summary>Which modality weights validation and test rows (ids the weighter never saw) get.</summary>
internal enum EvaluationWeights
{
    /// <summary>
    /// Each modality's mean BTW weight over the training rows in the epoch being evaluated (the weights the
    /// model was trained with: the previous epoch's report, 1 in the first epoch), times the presence mask,
    /// rescaled per row to sum to the number of present modalities. The library README's advice for unseen
    /// examples; uses no labels.
    /// </summary>
    TrainingMean,

    /// <summary>1 for every present modality (what WeightsFor returns for unseen ids).</summary>
    Ones,
}
