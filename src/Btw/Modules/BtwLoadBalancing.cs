namespace Btw;

/// <summary>
/// The load-balancing loss reported in <see cref="BtwOutput.AuxiliaryLoss"/>. It is computed per router over the
/// tokens that router scored in the batch and averaged over the routers that scored at least one token.
/// </summary>
public enum BtwLoadBalancing
{
    /// <summary>
    /// Shazeer et al. (2017): CV²(importance) + CV²(load), where CV² = Var / (Mean² + 1e-10) over the E experts
    /// (population variance), importance_e = Σ_tokens G_e(x) (the gate values, differentiable), and load_e is
    /// Σ_tokens P(expert e is in the top k) from the smooth normal-CDF estimator while training with noisy
    /// gating and k &lt; E, otherwise the number of tokens routed to e. 0 for perfectly balanced routing. The
    /// default.
    /// </summary>
    ImportanceAndLoad = 0,

    /// <summary>
    /// Switch Transformer (Fedus et al. 2022), extended to top-k: E · Σ_e f_e · P_e, where f_e is the fraction of
    /// the token-to-expert assignments that went to e (each token makes k assignments) and P_e the mean over tokens
    /// of the softmax over all E expert scores. Its minimum, at uniform routing, is 1.
    /// </summary>
    Switch = 1,
}
