namespace Btw;

/// <summary>How the combined new weights of an example are scaled after L1 normalisation over its present modalities.</summary>
public enum BtwScale
{
    /// <summary>Weights sum to the number of present modalities, so uniform weights are exactly 1 and an embedding keeps its scale. The default.</summary>
    PresentCount = 0,

    /// <summary>Weights sum to 1, as in the authors' code (which started from 1, so embeddings drift toward 1/M). Offered for comparison.</summary>
    SumToOne = 1,
}
