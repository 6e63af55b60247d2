namespace Btw;

/// <summary>
/// How a router of <see cref="BtwMixtureOfExperts"/> scores the experts for a token x (an embedding of width D).
/// Either way the k best-scoring experts are kept and their gates are the softmax of their k scores
/// (Shazeer et al. 2017: G(x) = Softmax(KeepTopK(H(x), k))).
/// </summary>
public enum BtwGating
{
    /// <summary>
    /// Noisy top-k softmax gating (Shazeer et al. 2017): score h_e(x) = x · W_g[:, e], a learned linear map
    /// W_g of shape [D, E].
    /// </summary>
    Softmax = 0,

    /// <summary>
    /// Laplace gating as in Fuse-MoE (Han et al. 2024) and the BTW authors' models: score h_e(x) = -‖x - w_e‖₂,
    /// the negative Euclidean distance from x to a learned key w_e of width D per expert. The default.
    /// </summary>
    Laplace = 1,
}
