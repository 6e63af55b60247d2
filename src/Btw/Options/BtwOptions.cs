using System;
using System.Globalization;
using Btw.Internal;

namespace Btw;

/// <summary>
/// Settings of a <see cref="BtwWeighter"/>. The weighter takes a validated copy at construction, so changing an
/// options object afterwards does not affect a weighter already built from it.
/// <para>
/// Which configuration? The defaults are the safe configuration: <c>new BtwOptions { Modalities = m, Task = t }</c> with
/// nothing else set is exactly <see cref="Recommended"/>(m, t), <see cref="BtwWeighting.Uniform"/> weights (the plain
/// mixture of experts: every weight stays 1) with <see cref="BtwUnseenWeights.ModalityMean"/> for examples never trained
/// on. <see cref="Weighting"/> and <see cref="UnseenWeights"/> left unset follow that choice for the task. No weighting
/// mode was safe as a default in this library's experiments, so the weights move only when you choose a mode:
/// <see cref="Paper"/>(m, t) is the paper's faithful BTW (<see cref="BtwWeighting.KlMi"/> for classification,
/// <see cref="BtwWeighting.Kl"/> for regression), or set <see cref="Weighting"/> yourself; compare the candidates with
/// Uniform on your own validation data (<see cref="BtwTrial"/>).
/// </para>
/// </summary>
public sealed class BtwOptions
{
    private BtwWeighting? _weighting;
    private BtwUnseenWeights? _unseenWeights;

    /// <summary>Number of modalities M (at least 1). Every batch passes M unimodal outputs.</summary>
    public int Modalities { get; set; }

    /// <summary>
    /// The kind of prediction; default <see cref="BtwTask.Classification"/>. Classification expects logits [B, C] with C &gt;= 2;
    /// outputs [B] or [B, 1] are refused (set <see cref="BtwTask.Regression"/> for them), and so are probability rows
    /// (see <see cref="AllowProbabilityOutputs"/>). Regression expects what <see cref="RegressionOutput"/> says: [B] or
    /// [B, 1] means by default, [B, 2] (mean, log-variance) only when it is <see cref="BtwRegressionOutput.MeanAndLogVariance"/>;
    /// wider outputs are refused. Set the same task in <see cref="BtwLossOptions.Task"/>.
    /// </summary>
    public BtwTask Task { get; set; } = BtwTask.Classification;

    /// <summary>
    /// What regression outputs hold; default <see cref="BtwRegressionOutput.Mean"/> ([B] or [B, 1] means; [B, 2] is refused
    /// with a message naming this setting, since two-class logits have the same shape). Set
    /// <see cref="BtwRegressionOutput.MeanAndLogVariance"/> for [B, 2] = (mean, log-variance) outputs, and the same value in
    /// <see cref="BtwLossOptions.RegressionOutput"/>. Regression only: refused unless Mean for classification.
    /// </summary>
    public BtwRegressionOutput RegressionOutput { get; set; } = BtwRegressionOutput.Mean;

    /// <summary>
    /// Whether classification outputs that are already probabilities are accepted; default false. Like TorchSharp's
    /// cross-entropy, the weighter expects logits (it applies log_softmax itself); softmax outputs passed instead change
    /// the divergences and the weights without any error. So a batch whose every output row (multimodal or unimodal) is
    /// non-negative and sums to 1 within 1e-5 is refused with a message naming the argument. Set true only if your logits
    /// can legitimately look like that; they are then used as logits. Classification only: refused unless false for regression.
    /// </summary>
    public bool AllowProbabilityOutputs { get; set; }

    /// <summary>
    /// The weighting mode. Unless set, what <see cref="Recommended"/> picks for <see cref="Task"/>:
    /// <see cref="BtwWeighting.Uniform"/> (the weights stay 1). <see cref="Paper"/> sets the paper's modes.
    /// </summary>
    public BtwWeighting Weighting
    {
        get => _weighting ?? RecommendedSettings.Weighting(Task);
        set => _weighting = value;
    }

    /// <summary>EMA factor in (0, 1]: w &lt;- Alpha * w_new + (1 - Alpha) * w. Default 0.5; 1 means no smoothing.</summary>
    public double Alpha { get; set; } = 0.5;

    /// <summary>Number of neighbours k of the KSG mutual-information estimator (regression only: refused unless 3 for classification). Default 3, at least 1.</summary>
    public int Neighbors { get; set; } = DefaultNeighbors;

    /// <summary>Softmax temperature T (&gt; 0) applied to both logits before the categorical KL (classification only: refused unless 1 for regression). Default 1.</summary>
    public double Temperature { get; set; } = DefaultTemperature;

    /// <summary>Fixed standard deviation sigma (&gt; 0) of mean-only regression outputs: d = (mu_u - mu_z)^2 / (2 sigma^2) (regression only: refused unless 1 for classification). Default 1.</summary>
    public double RegressionSigma { get; set; } = DefaultRegressionSigma;

    /// <summary>How new weights are scaled; default <see cref="BtwScale.PresentCount"/> (uniform weights are 1).</summary>
    public BtwScale Scale { get; set; } = BtwScale.PresentCount;

    /// <summary>
    /// What <see cref="BtwWeighter.WeightsFor(TorchSharp.torch.Tensor)"/> returns for ids never folded in. Unless set, what
    /// <see cref="Recommended"/> picks for <see cref="Task"/>: <see cref="BtwUnseenWeights.ModalityMean"/> (the weights the
    /// model was trained with). <see cref="Paper"/> sets <see cref="BtwUnseenWeights.Ones"/>.
    /// </summary>
    public BtwUnseenWeights UnseenWeights
    {
        get => _unseenWeights ?? RecommendedSettings.UnseenWeights(Task);
        set => _unseenWeights = value;
    }

    /// <summary>What to do with non-finite outputs; default <see cref="BtwNonFinitePolicy.Throw"/>.</summary>
    public BtwNonFinitePolicy NonFinite { get; set; } = BtwNonFinitePolicy.Throw;

    /// <summary>
    /// Fewest examples in an epoch with a modality present for its modality-level statistic (MI or correlation) to be
    /// estimated. A modality below it is treated as neutral: it gets the uniform share 1/M of the normalised statistic.
    /// Default 10; never less than <see cref="Neighbors"/> + 1 for regression. It governs the correlation of <see cref="BtwWeighting.Correlation"/> as well as the mutual information.
    /// </summary>
    public int MinimumMiPairs { get; set; } = 10;

    /// <summary>Floor eps applied to each modality's statistic before normalisation: Ibar = max(I, eps) / sum max(I', eps). Default 1e-5 nats. Also the floor of the correlation share of <see cref="BtwWeighting.Correlation"/>.</summary>
    public double MiEpsilon { get; set; } = 1e-5;

    /// <summary>Lower clamp of Gaussian variances exp(log-variance) in the regression KL (regression only: refused unless 1e-6 for classification). Default 1e-6.</summary>
    public double VarianceEpsilon { get; set; } = DefaultVarianceEpsilon;

    /// <summary>
    /// Number of warm-up epochs (at least 0; default 0). The paper trains the unimodal heads and the baseline mixture of
    /// experts first and weights afterwards: during the first <see cref="WarmupEpochs"/> calls of
    /// <see cref="BtwWeighter.EndEpoch()"/> the divergences and the modality-level statistic the weighting uses (see
    /// <see cref="ModalityStatistics"/>) are measured and the statistic is reported, but the stored weights stay 1; weighting starts with the fold of epoch <see cref="WarmupEpochs"/> + 1.
    /// </summary>
    public int WarmupEpochs { get; set; }

    /// <summary>
    /// How far the new weights move away from uniform, in [0, 1]; default 1 (the paper). Each new weight w of a present
    /// modality becomes u + Strength (w - u) before the EMA, where u is the uniform weight (1 under
    /// <see cref="BtwScale.PresentCount"/>, 1 / #present under <see cref="BtwScale.SumToOne"/>). 0 gives the plain mixture of
    /// experts bit for bit; values in between shrink BTW toward uniform. Rows keep their sum and missing modalities stay 0. Refused unless 1 under <see cref="BtwWeighting.Uniform"/>, whose weights never move.
    /// </summary>
    public double Strength { get; set; } = DefaultStrength;

    /// <summary>The direction of the instance-level term of <see cref="BtwWeighting.Kl"/> and <see cref="BtwWeighting.KlMi"/>; default <see cref="BtwInstanceTerm.Disagreement"/> (the paper); refused unless Disagreement under the other modes.</summary>
    public BtwInstanceTerm InstanceTerm { get; set; } = BtwInstanceTerm.Disagreement;

    /// <summary>
    /// Step by which <see cref="BtwWeighter.EndEpoch(double)"/> moves the EMA factor, at least 0; default 0 (alpha stays
    /// <see cref="Alpha"/>). As in the authors' code, when the validation loss passed in does not improve on the best one
    /// so far, alpha moves up by this step (the new weights count more); when it improves, alpha moves down (the current
    /// weights are kept more); always within [<see cref="AlphaMin"/>, <see cref="AlphaMax"/>]. Pass a validation loss, never a test one.
    /// </summary>
    public double AlphaStep { get; set; }

    /// <summary>Lower bound of the moving EMA factor, in (0, 1] and at most <see cref="Alpha"/>; default 0.05. Used only when <see cref="AlphaStep"/> &gt; 0 (refused unless 0.05 otherwise).</summary>
    public double AlphaMin { get; set; } = DefaultAlphaMin;

    /// <summary>Upper bound of the moving EMA factor, in (0, 1] and at least <see cref="Alpha"/>; default 1. Used only when <see cref="AlphaStep"/> &gt; 0 (refused unless 1 otherwise).</summary>
    public double AlphaMax { get; set; } = DefaultAlphaMax;

    /// <summary>
    /// Whether the modality-level shares are shrunk toward uniform by the uncertainty of their estimates; default
    /// <see cref="BtwShrinkage.None"/> (the paper: shares follow the point estimates). <see cref="BtwShrinkage.EmpiricalBayes"/>
    /// keeps the weights near 1 while an epoch holds too few examples to tell the modalities apart and lets them move as the
    /// evidence grows. Acts on <see cref="BtwWeighting.Mi"/>, <see cref="BtwWeighting.KlMi"/> (its MI factor) and
    /// <see cref="BtwWeighting.Correlation"/>; the other modes ignore it (a value other than None is refused under them).
    /// </summary>
    public BtwShrinkage Shrinkage { get; set; } = BtwShrinkage.None;

    /// <summary>
    /// Which modality-level statistics <see cref="BtwWeighter.EndEpoch()"/> estimates; default
    /// <see cref="BtwModalityStatistics.Used"/> (only the one the weighting uses: none under <see cref="BtwWeighting.Uniform"/>,
    /// <see cref="BtwWeighting.Kl"/> and <see cref="BtwWeighting.Entropy"/>). <see cref="BtwModalityStatistics.All"/> reports
    /// the MI and the correlation of every modality every epoch. The weights do not depend on it; saved with the state.
    /// </summary>
    public BtwModalityStatistics ModalityStatistics { get; set; } = BtwModalityStatistics.Used;

    /// <summary>
    /// Whether EndEpoch estimates the standard errors of the modality-level statistics; always true for users (not saved).
    /// The benchmarks set it to false to measure what the estimate costs; it is ignored under <see cref="BtwShrinkage.EmpiricalBayes"/>.
    /// </summary>
    internal bool EstimateStandardErrors { get; set; } = true;

    /// <summary>Whether <see cref="Weighting"/> was set explicitly (rather than derived from <see cref="Task"/>).</summary>
    internal bool WeightingIsExplicit => _weighting.HasValue;

    /// <summary>
    /// The configuration this library recommends for a new model when nothing is known about it, and what the unset
    /// settings of a new <see cref="BtwOptions"/> give (<see cref="Paper"/> is the paper's faithful BTW): <b>the safe
    /// configuration, <see cref="BtwWeighting.Uniform"/></b> (every weight 1, so the model trains exactly as the plain
    /// mixture of experts), for classification and for regression. No weighting qualified as a default: BTW's gains are
    /// data-dependent, and no candidate held up on every scenario it was checked on.
    /// <para>How it was chosen: on
    /// validation scores only, by a worst-case rule checked leave-one-scenario-out over five scenarios per task (UCI Image
    /// Segmentation / scikit-learn's diabetes as shipped, with two pure-noise views, with the first view replaced by noise
    /// on half the rows, with a small training set plus two noise views, with each view missing at rate 0.3; 5 seeds,
    /// paired). A weighting (Mi, Correlation or KlMi, at strength 1 or 0.5; Mi and Correlation also with
    /// <see cref="BtwShrinkage.EmpiricalBayes"/>; unseen examples at the mean weights) would
    /// be chosen only if it were ahead of Uniform on validation in every scenario of its task. Every candidate was behind
    /// in at least one: the closest, <see cref="BtwWeighting.Correlation"/> for classification, was behind with missing
    /// views (and level on clean data), although on test it was 1.75 and 8.5 accuracy points better with noise views
    /// and with a small training set and level on two held-out data sets nobody tuned on. The previous default for
    /// regression (<see cref="BtwWeighting.KlMi"/> at strength 0.5) was worse than Uniform on a held-out regression set.
    /// The paper's faithful configurations (<see cref="BtwWeighting.KlMi"/> and <see cref="BtwWeighting.Kl"/> at full
    /// strength, Disagreement term) were significantly worse than Uniform in several scenarios.</para>
    /// <para>To find out whether weighting helps your own model, run <see cref="BtwTrial.Run"/>: it compares
    /// configurations with Uniform on your own validation data, paired over several seeds. <see cref="UnseenWeights"/> is
    /// <see cref="BtwUnseenWeights.ModalityMean"/>, so a weighting you switch on evaluates unseen examples at the weights
    /// the model was trained with; every other setting keeps its default.</para>
    /// </summary>
    /// <param name="modalities">Number of modalities M (at least 1).</param>
    /// <param name="task">The kind of prediction.</param>
    /// <returns>New, validated options.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="modalities"/> is below 1 or <paramref name="task"/> is not defined.</exception>
    public static BtwOptions Recommended(int modalities, BtwTask task)
    {
        // Every choice comes from RecommendedSettings, which the unset properties read too: a setting chosen here
        // directly would make the defaults and Recommended drift apart (a test compares them property by property).
        var options = new BtwOptions
        {
            Modalities = modalities,
            Task = task,
            Weighting = RecommendedSettings.Weighting(task),
            UnseenWeights = RecommendedSettings.UnseenWeights(task),
        };
        options.Validate();
        return options;
    }

    /// <summary>
    /// The paper's faithful BTW: <see cref="BtwWeighting.KlMi"/> for classification and <see cref="BtwWeighting.Kl"/> for
    /// regression (the paper's best settings, and this library's default in versions 0.1 and 0.2), at <see cref="Strength"/> 1
    /// with the <see cref="BtwInstanceTerm.Disagreement"/> term, <see cref="Alpha"/> 0.5, examples never trained on
    /// evaluated at weights 1 (<see cref="BtwUnseenWeights.Ones"/>), every other setting at its default. Use it to
    /// reproduce the paper or as a candidate against <see cref="BtwWeighting.Uniform"/> on your validation data; it is not
    /// the default because in this library's demo experiments (real data sets with added noise views, corruption, missing
    /// modalities and small training sets; 5 seeds, paired 95% intervals) it was significantly worse than Uniform on test
    /// in 7 of 18 scenario-mode pairs (<see cref="BtwWeighting.Kl"/> on image segmentation clean, with noise views, with a
    /// small training set and with missing modalities, and on diabetes regression with noise views;
    /// <see cref="BtwWeighting.KlMi"/> on segmentation clean and with noise views), and significantly better in one
    /// (<see cref="BtwWeighting.KlMi"/> on diabetes with a small training set, 5.0 MAE lower, where the fused model was
    /// worse than the best single modality: the case the paper addresses).
    /// </summary>
    /// <param name="modalities">Number of modalities M (at least 1).</param>
    /// <param name="task">The kind of prediction.</param>
    /// <returns>New, validated options.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="modalities"/> is below 1 or <paramref name="task"/> is not defined.</exception>
    public static BtwOptions Paper(int modalities, BtwTask task)
    {
        var options = new BtwOptions
        {
            Modalities = modalities,
            Task = task,
            Weighting = task == BtwTask.Regression ? BtwWeighting.Kl : BtwWeighting.KlMi,
            Strength = 1.0,
            InstanceTerm = BtwInstanceTerm.Disagreement,
            UnseenWeights = BtwUnseenWeights.Ones,
            Alpha = 0.5,
        };
        options.Validate();
        return options;
    }

    /// <summary>Returns a copy of these options with the same values.</summary>
    /// <returns>A new, independent <see cref="BtwOptions"/>.</returns>
    public BtwOptions Clone() => (BtwOptions)MemberwiseClone();

    /// <summary>
    /// Checks every setting and throws if one is out of range (every range is checked whatever the other settings are)
    /// or if a setting that the chosen task or mode ignores has a value other than its default: <see cref="Temperature"/>
    /// and <see cref="AllowProbabilityOutputs"/> under <see cref="BtwTask.Regression"/>; <see cref="RegressionSigma"/>,
    /// <see cref="VarianceEpsilon"/>, <see cref="Neighbors"/> and <see cref="RegressionOutput"/> under
    /// <see cref="BtwTask.Classification"/>; <see cref="InstanceTerm"/> unless <see cref="Weighting"/> is
    /// <see cref="BtwWeighting.Kl"/> or <see cref="BtwWeighting.KlMi"/>; <see cref="Shrinkage"/> unless it is
    /// <see cref="BtwWeighting.Mi"/>, <see cref="BtwWeighting.KlMi"/> or <see cref="BtwWeighting.Correlation"/>;
    /// <see cref="Strength"/> under <see cref="BtwWeighting.Uniform"/>; <see cref="AlphaMin"/> and <see cref="AlphaMax"/> when
    /// <see cref="AlphaStep"/> is 0. The weighter calls it at construction.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range; the message names it, its value and the allowed range.</exception>
    /// <exception cref="ArgumentException">A setting the chosen task or mode ignores is not at its default; the message names the setting, what it applies to and its default (<see cref="ArgumentException.ParamName"/> is the setting).</exception>
    public void Validate()
    {
        Require(Modalities >= 1, nameof(Modalities), Modalities, "at least 1");
        Require(Enum.IsDefined(Task), nameof(Task), Task, "a defined BtwTask");
        Require(Enum.IsDefined(Weighting), nameof(Weighting), Weighting, "a defined BtwWeighting");
        Require(Alpha > 0 && Alpha <= 1, nameof(Alpha), Alpha, "in (0, 1]");
        Require(Neighbors >= 1, nameof(Neighbors), Neighbors, "at least 1");
        Require(Temperature > 0 && double.IsFinite(Temperature), nameof(Temperature), Temperature, "finite and > 0");
        Require(RegressionSigma > 0 && double.IsFinite(RegressionSigma), nameof(RegressionSigma), RegressionSigma, "finite and > 0");
        Require(Enum.IsDefined(RegressionOutput), nameof(RegressionOutput), RegressionOutput, "a defined BtwRegressionOutput");
        Require(Enum.IsDefined(Scale), nameof(Scale), Scale, "a defined BtwScale");
        Require(Enum.IsDefined(UnseenWeights), nameof(UnseenWeights), UnseenWeights, "a defined BtwUnseenWeights");
        Require(Enum.IsDefined(NonFinite), nameof(NonFinite), NonFinite, "a defined BtwNonFinitePolicy");
        Require(MinimumMiPairs >= 2, nameof(MinimumMiPairs), MinimumMiPairs, "at least 2");
        Require(MiEpsilon > 0 && double.IsFinite(MiEpsilon), nameof(MiEpsilon), MiEpsilon, "finite and > 0");
        Require(VarianceEpsilon > 0 && double.IsFinite(VarianceEpsilon), nameof(VarianceEpsilon), VarianceEpsilon, "finite and > 0");
        Require(WarmupEpochs >= 0, nameof(WarmupEpochs), WarmupEpochs, "at least 0");
        Require(Strength >= 0 && Strength <= 1, nameof(Strength), Strength, "in [0, 1]");
        Require(Enum.IsDefined(InstanceTerm), nameof(InstanceTerm), InstanceTerm, "a defined BtwInstanceTerm");
        Require(Enum.IsDefined(Shrinkage), nameof(Shrinkage), Shrinkage, "a defined BtwShrinkage");
        Require(Enum.IsDefined(ModalityStatistics), nameof(ModalityStatistics), ModalityStatistics, "a defined BtwModalityStatistics");
        Require(AlphaStep >= 0 && double.IsFinite(AlphaStep), nameof(AlphaStep), AlphaStep, "finite and >= 0");
        Require(AlphaMin > 0 && AlphaMin <= 1, nameof(AlphaMin), AlphaMin, "in (0, 1]");
        Require(AlphaMax > 0 && AlphaMax <= 1, nameof(AlphaMax), AlphaMax, "in (0, 1]");
        Require(AlphaMin <= AlphaMax, nameof(AlphaMin), AlphaMin, Invariant($"at most AlphaMax = {AlphaMax}"));
        Require(AlphaStep == 0 || AlphaMin <= Alpha, nameof(AlphaMin), AlphaMin, Invariant($"at most Alpha = {Alpha} when AlphaStep > 0"));
        Require(AlphaStep == 0 || AlphaMax >= Alpha, nameof(AlphaMax), AlphaMax, Invariant($"at least Alpha = {Alpha} when AlphaStep > 0"));

        // A setting the chosen task or mode ignores must keep its default: a value the weighter would silently ignore is
        // a mistake in the caller's configuration (the setting is meant for another task or mode), not a choice.
        var regression = Task == BtwTask.Regression;
        var instanceMode = Weighting is BtwWeighting.Kl or BtwWeighting.KlMi;
        var mode = WeightingIsExplicit ? Invariant($"{Weighting}") : Invariant($"{Weighting}, the default when Weighting is not set (set Weighting, or start from BtwOptions.Paper)");
        RequireDefault(!regression || Temperature == DefaultTemperature, nameof(Temperature), Temperature, DefaultTemperature, "classification logits (Task = Classification); the task is Regression");
        RequireDefault(regression || RegressionSigma == DefaultRegressionSigma, nameof(RegressionSigma), RegressionSigma, DefaultRegressionSigma, "mean-only regression outputs (Task = Regression); the task is Classification");
        RequireDefault(regression || VarianceEpsilon == DefaultVarianceEpsilon, nameof(VarianceEpsilon), VarianceEpsilon, DefaultVarianceEpsilon, "(mean, log-variance) regression outputs (Task = Regression); the task is Classification");
        RequireDefault(regression || RegressionOutput == BtwRegressionOutput.Mean, nameof(RegressionOutput), RegressionOutput, BtwRegressionOutput.Mean, "regression outputs (Task = Regression); the task is Classification");
        RequireDefault(!regression || !AllowProbabilityOutputs, nameof(AllowProbabilityOutputs), AllowProbabilityOutputs, false, "classification logits (Task = Classification); the task is Regression");
        RequireDefault(regression || Neighbors == DefaultNeighbors, nameof(Neighbors), Neighbors, DefaultNeighbors, "the KSG estimator of regression (Task = Regression); the task is Classification");
        RequireDefault(instanceMode || InstanceTerm == BtwInstanceTerm.Disagreement, nameof(InstanceTerm), InstanceTerm, BtwInstanceTerm.Disagreement, Invariant($"the instance term of Weighting = Kl or KlMi; the mode is {mode}"));
        RequireDefault(Weighting is BtwWeighting.Mi or BtwWeighting.KlMi or BtwWeighting.Correlation || Shrinkage == BtwShrinkage.None, nameof(Shrinkage), Shrinkage, BtwShrinkage.None, Invariant($"the modality-level term of Weighting = Mi, KlMi or Correlation; the mode is {mode}"));
        RequireDefault(Weighting != BtwWeighting.Uniform || Strength == DefaultStrength, nameof(Strength), Strength, DefaultStrength, Invariant($"how far weights move from uniform; the mode is {mode}, whose weights never move"));
        RequireDefault(AlphaStep > 0 || AlphaMin == DefaultAlphaMin, nameof(AlphaMin), AlphaMin, DefaultAlphaMin, "the moving EMA factor (AlphaStep > 0); AlphaStep is 0");
        RequireDefault(AlphaStep > 0 || AlphaMax == DefaultAlphaMax, nameof(AlphaMax), AlphaMax, DefaultAlphaMax, "the moving EMA factor (AlphaStep > 0); AlphaStep is 0");
    }

    /// <summary>Whether EndEpoch estimates the modality-level MI: the weighting uses it, or <see cref="ModalityStatistics"/> asks for every statistic.</summary>
    internal bool EstimatesMutualInformation => ModalityStatistics == BtwModalityStatistics.All || Weighting is BtwWeighting.Mi or BtwWeighting.KlMi;

    /// <summary>Whether EndEpoch estimates the modality-level correlation: the weighting uses it, or <see cref="ModalityStatistics"/> asks for every statistic.</summary>
    internal bool EstimatesCorrelation => ModalityStatistics == BtwModalityStatistics.All || Weighting == BtwWeighting.Correlation;

    /// <summary>The pairs needed before a modality-level statistic is estimated, taking the KSG neighbours into account.</summary>
    /// <remarks>Saturates instead of overflowing when <see cref="Neighbors"/> is <see cref="int.MaxValue"/>.</remarks>
    internal int EffectiveMinimumPairs => Task == BtwTask.Regression ? (int)Math.Min(Math.Max(MinimumMiPairs, Neighbors + 1L), int.MaxValue) : MinimumMiPairs;

    private const double DefaultTemperature = 1.0;
    private const double DefaultRegressionSigma = 1.0;
    private const double DefaultVarianceEpsilon = 1e-6;
    private const int DefaultNeighbors = 3;
    private const double DefaultStrength = 1.0;
    private const double DefaultAlphaMin = 0.05;
    private const double DefaultAlphaMax = 1.0;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static void Require(bool condition, string name, object value, string expected) =>
        OptionCheck.Require(condition, nameof(BtwOptions), name, value, expected);

    private static void RequireDefault(bool condition, string name, object value, object defaultValue, string appliesTo) =>
        OptionCheck.RequireDefault(condition, nameof(BtwOptions), name, value, defaultValue, appliesTo);
}
