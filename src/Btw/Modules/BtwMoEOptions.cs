using System;
using System.Globalization;
using Btw.Internal;

namespace Btw;

/// <summary>
/// Settings of a <see cref="BtwMixtureOfExperts"/>. The module takes a validated copy at construction, so changing
/// an options object afterwards does not affect a module already built from it.
/// </summary>
public sealed class BtwMoEOptions
{
    /// <summary>Number of modalities M (at least 1; required, no default): the module encodes M inputs and returns M unimodal outputs.</summary>
    public int Modalities { get; set; }

    /// <summary>
    /// Width D (at least 1; required, no default) of every modality embedding: <see cref="BtwMixtureOfExperts"/>'s <c>Encode</c> must
    /// return [B, D] for each modality (project each modality to this common width). Also the width of the experts'
    /// input and output.
    /// </summary>
    public int EmbeddingDim { get; set; }

    /// <summary>
    /// Width (at least 1; required, no default) of the unimodal and multimodal outputs: the number of classes C for classification (logits
    /// [B, C]); 1 for regression (a mean, [B, 1]) or 2 (mean and log-variance, [B, 2]).
    /// </summary>
    public int Outputs { get; set; }

    /// <summary>Number of experts E (at least 1). Default 8.</summary>
    public int Experts { get; set; } = 8;

    /// <summary>Number k of experts each token is routed to, 1 &lt;= k &lt;= <see cref="Experts"/>. Default 2.</summary>
    public int TopK { get; set; } = 2;

    /// <summary>
    /// Hidden width of each expert, a two-layer perceptron D -> H -> D with a GELU between. 0 (the default) means
    /// 2 * <see cref="EmbeddingDim"/>; otherwise at least 1.
    /// </summary>
    public int ExpertHidden { get; set; }

    /// <summary>How routers score experts; default <see cref="BtwGating.Laplace"/> (as Fuse-MoE and the BTW authors).</summary>
    public BtwGating Gating { get; set; } = BtwGating.Laplace;

    /// <summary>One router for all modalities or one per modality; default <see cref="BtwRouter.PerModality"/>.</summary>
    public BtwRouter Router { get; set; } = BtwRouter.PerModality;

    /// <summary>How token outputs are pooled across modalities; default <see cref="BtwPooling.Mean"/>.</summary>
    public BtwPooling Pooling { get; set; } = BtwPooling.Mean;

    /// <summary>The load-balancing loss; default <see cref="BtwLoadBalancing.ImportanceAndLoad"/> (Shazeer et al. 2017).</summary>
    public BtwLoadBalancing LoadBalancing { get; set; } = BtwLoadBalancing.ImportanceAndLoad;

    /// <summary>
    /// Whether training adds Gaussian noise to the router scores before the top-k choice (Shazeer et al. 2017):
    /// H(x) = h(x) + N(0, 1) · (softplus(x · W_noise) + <see cref="NoiseEpsilon"/>), W_noise [D, E] learned and
    /// initialised to zero. Never in evaluation mode. Default true.
    /// </summary>
    public bool NoisyGating { get; set; } = true;

    /// <summary>The floor (&gt;= 0) added to the softplus noise scale of noisy gating. Default 0.01.</summary>
    public double NoiseEpsilon { get; set; } = 1e-2;

    /// <summary>
    /// Dropout probability in [0, 1) applied in training mode to the hidden activations of every expert and to the
    /// pooled representation before the multimodal head. Default 0 (no dropout).
    /// </summary>
    public double Dropout { get; set; }

    /// <summary>The expert hidden width actually used: <see cref="ExpertHidden"/>, or 2 * <see cref="EmbeddingDim"/> when it is 0.</summary>
    public int ResolvedExpertHidden => ExpertHidden == 0 ? 2 * EmbeddingDim : ExpertHidden;

    /// <summary>Returns a copy of these options with the same values.</summary>
    /// <returns>A new, independent <see cref="BtwMoEOptions"/>.</returns>
    public BtwMoEOptions Clone() => (BtwMoEOptions)MemberwiseClone();

    /// <summary>Checks every setting and throws if one is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range; the message names it and its value.</exception>
    public void Validate()
    {
        Require(Modalities >= 1, nameof(Modalities), Modalities, "at least 1");
        Require(EmbeddingDim >= 1, nameof(EmbeddingDim), EmbeddingDim, "at least 1");
        Require(Outputs >= 1, nameof(Outputs), Outputs, "at least 1");
        Require(Experts >= 1, nameof(Experts), Experts, "at least 1");
        Require(TopK >= 1 && TopK <= Experts, nameof(TopK), TopK, $"between 1 and Experts = {Experts}");
        Require(ExpertHidden >= 0, nameof(ExpertHidden), ExpertHidden, "0 (meaning 2 * EmbeddingDim) or positive");
        Require(Enum.IsDefined(Gating), nameof(Gating), Gating, "a defined BtwGating value");
        Require(Enum.IsDefined(Router), nameof(Router), Router, "a defined BtwRouter value");
        Require(Enum.IsDefined(Pooling), nameof(Pooling), Pooling, "a defined BtwPooling value");
        Require(Enum.IsDefined(LoadBalancing), nameof(LoadBalancing), LoadBalancing, "a defined BtwLoadBalancing value");
        Require(NoiseEpsilon >= 0 && double.IsFinite(NoiseEpsilon), nameof(NoiseEpsilon), NoiseEpsilon, "finite and >= 0");
        Require(Dropout >= 0 && Dropout < 1, nameof(Dropout), Dropout, "in [0, 1)");
    }

    private static void Require(bool condition, string name, object value, string expected) =>
        OptionCheck.Require(condition, nameof(BtwMoEOptions), name, value, expected);
}
