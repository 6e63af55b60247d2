using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Btw.Demo.Training;

/// <summary>
/// One weighting configuration: a mode plus the knobs of issue 10 (warm-up, strength, instance term, alpha step)
/// and the evaluation-weight rule. Its <see cref="Label"/> is canonical and parseable: the mode, then
/// <c>+agree</c> (Agreement term), <c>+s0.5</c> (strength), <c>+w5</c> (warm-up epochs), <c>+step0.1</c>
/// (alpha step), <c>+shrink</c> (empirical-Bayes shrinkage of the modality shares, issue 18), <c>+fo</c> / <c>+mm</c> / <c>+ones</c> (evaluation weights FromOutputs / ModalityMean / Ones; the
/// run's default otherwise). <c>Recommended</c> is <c>BtwOptions.Recommended(modalities, task)</c> as the library ships it.
/// A mode's label alone (e.g. <c>KlMi</c>) is the paper's faithful configuration.
/// </summary>
internal sealed record BtwConfiguration
{
    /// <summary>The label of <c>BtwOptions.Recommended</c>.</summary>
    public const string RecommendedLabel = "Recommended";

    public required BtwWeighting Mode { get; init; }

    /// <summary>EndEpoch calls before weighting starts (library default 0).</summary>
    public int WarmupEpochs { get; init; }

    /// <summary>Shrinkage toward uniform weights in [0, 1] (library default 1 = the paper).</summary>
    public double Strength { get; init; } = 1;

    /// <summary>The instance-level term: Disagreement (the paper) or Agreement.</summary>
    public BtwInstanceTerm InstanceTerm { get; init; } = BtwInstanceTerm.Disagreement;

    /// <summary>Validation-driven alpha step (0 = fixed alpha, the library default).</summary>
    public double AlphaStep { get; init; }

    /// <summary>The library's <see cref="BtwOptions.Shrinkage"/> (token <c>+shrink</c> = EmpiricalBayes; default None).</summary>
    public BtwShrinkage Shrinkage { get; init; }

    /// <summary>The evaluation-weight rule; null = the run's <see cref="RunSettings.EvaluationWeights"/>.</summary>
    public EvaluationWeights? Evaluation { get; init; }

    /// <summary>True for <c>BtwOptions.Recommended</c> (then the other knobs are ignored: the library's options are used).</summary>
    public bool IsRecommended { get; init; }

    /// <summary>True when every knob is at the library's default (the paper's configuration of <see cref="Mode"/>).</summary>
    public bool IsFaithful => !IsRecommended && WarmupEpochs == 0 && Strength == 1 && InstanceTerm == BtwInstanceTerm.Disagreement && AlphaStep == 0 && Shrinkage == BtwShrinkage.None && Evaluation is null;

    public string Label
    {
        get
        {
            if (IsRecommended)
            {
                return RecommendedLabel;
            }

            var inv = CultureInfo.InvariantCulture;
            var label = Mode.ToString();
            if (InstanceTerm == BtwInstanceTerm.Agreement)
            {
                label += "+agree";
            }

            if (Strength != 1)
            {
                label += "+s" + Strength.ToString("0.###", inv);
            }

            if (WarmupEpochs != 0)
            {
                label += "+w" + WarmupEpochs.ToString(inv);
            }

            if (AlphaStep != 0)
            {
                label += "+step" + AlphaStep.ToString("0.###", inv);
            }

            if (Shrinkage == BtwShrinkage.EmpiricalBayes)
            {
                label += "+shrink";
            }

            return label + Evaluation switch
            {
                EvaluationWeights.FromOutputs => "+fo",
                EvaluationWeights.ModalityMean => "+mm",
                EvaluationWeights.Ones => "+ones",
                EvaluationWeights.TrainingMean => "+tm",
                _ => "",
            };
        }
    }

    /// <summary>The paper's configuration of a mode (every knob at its default).</summary>
    public static BtwConfiguration Faithful(BtwWeighting mode) => new() { Mode = mode };

    /// <summary>The library's <c>BtwOptions.Recommended</c>.</summary>
    public static BtwConfiguration Recommended() => new() { Mode = BtwWeighting.Uniform, IsRecommended = true };

    /// <summary>Parses a <see cref="Label"/> (case-insensitive tokens).</summary>
    /// <exception cref="ArgumentException">The text is not a label; the message says what was expected.</exception>
    public static BtwConfiguration Parse(string label)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(label);
        var tokens = label.Split('+', StringSplitOptions.TrimEntries);
        if (tokens[0].Equals(RecommendedLabel, StringComparison.OrdinalIgnoreCase))
        {
            return tokens.Length == 1 ? Recommended() : throw new ArgumentException($"'{label}': Recommended takes no knobs.", nameof(label));
        }

        if (!Enum.TryParse<BtwWeighting>(tokens[0], ignoreCase: true, out var mode) || !Enum.IsDefined(mode))
        {
            throw new ArgumentException($"'{label}': unknown mode '{tokens[0]}'; expected {string.Join(", ", Enum.GetNames<BtwWeighting>())} or {RecommendedLabel}.", nameof(label));
        }

        var config = Faithful(mode);
        foreach (var token in tokens.Skip(1))
        {
            var t = token.ToUpperInvariant();
            config = t switch
            {
                "AGREE" => config with { InstanceTerm = BtwInstanceTerm.Agreement },
                "SHRINK" => config with { Shrinkage = BtwShrinkage.EmpiricalBayes },
                "FO" => config with { Evaluation = EvaluationWeights.FromOutputs },
                "MM" => config with { Evaluation = EvaluationWeights.ModalityMean },
                "ONES" => config with { Evaluation = EvaluationWeights.Ones },
                "TM" => config with { Evaluation = EvaluationWeights.TrainingMean },
                _ when t.StartsWith("STEP", StringComparison.Ordinal) => config with { AlphaStep = Number(label, token[4..]) },
                _ when t.StartsWith('S') => config with { Strength = Number(label, token[1..]) },
                _ when t.StartsWith('W') => config with { WarmupEpochs = (int)Number(label, token[1..]) },
                _ => throw new ArgumentException($"'{label}': unknown knob '{token}'; expected agree, shrink, s<strength>, w<epochs>, step<alpha step>, fo, mm, ones or tm.", nameof(label)),
            };
        }

        return config;
    }

    /// <summary>Parses a comma-separated list of labels.</summary>
    public static IReadOnlyList<BtwConfiguration> ParseList(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Parse).ToArray();
    }

    /// <summary>The library options of this configuration for a run with <paramref name="modalities"/> views and <paramref name="task"/>.</summary>
    public BtwOptions ToOptions(int modalities, BtwTask task, double alpha, EvaluationWeights runDefault)
    {
        if (IsRecommended)
        {
            var recommended = BtwOptions.Recommended(modalities, task);
            recommended.Modalities = modalities;
            recommended.Task = task;
            recommended.ModalityStatistics = BtwModalityStatistics.All;   // the demo reports every statistic (the weights are the same)
            return recommended;
        }

        return new BtwOptions
        {
            Modalities = modalities,
            Task = task,
            Weighting = Mode,
            Alpha = alpha,
            WarmupEpochs = WarmupEpochs,
            Strength = Strength,
            InstanceTerm = InstanceTerm,
            AlphaStep = AlphaStep,
            Shrinkage = Shrinkage,
            ModalityStatistics = BtwModalityStatistics.All,
            UnseenWeights = (Evaluation ?? runDefault) switch
            {
                EvaluationWeights.FromOutputs => BtwUnseenWeights.FromOutputs,
                EvaluationWeights.ModalityMean => BtwUnseenWeights.ModalityMean,
                _ => BtwUnseenWeights.Ones,
            },
        };
    }

    /// <summary>
    /// The configuration of library options (the inverse of <see cref="ToOptions"/>, used to train what <c>BtwTrial</c> hands
    /// its callback): the weighting and the knobs become the configuration's, and <see cref="BtwOptions.UnseenWeights"/>
    /// becomes its explicit evaluation rule (<c>+ones</c>, <c>+mm</c> or <c>+fo</c>), so validation and test rows are weighted
    /// as the options say whatever the run's default. <see cref="BtwWeighting.Uniform"/> maps to the faithful <c>Uniform</c>
    /// (its weights are 1 on every row, so the evaluation rule has no effect). <see cref="BtwOptions.Alpha"/> is not part of a
    /// configuration: the run's <see cref="RunSettings.Alpha"/> must be set to it.
    /// </summary>
    /// <param name="options">Validated library options.</param>
    /// <returns>A configuration whose <see cref="ToOptions"/> (with <c>alpha = options.Alpha</c>) reproduces every setting of <paramref name="options"/>.</returns>
    /// <exception cref="ArgumentException">A setting of <paramref name="options"/> that no configuration carries differs from the value <see cref="ToOptions"/> would give (the message names it).</exception>
    public static BtwConfiguration FromOptions(BtwOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var configuration = options.Weighting == BtwWeighting.Uniform
            ? Faithful(BtwWeighting.Uniform)
            : new BtwConfiguration
            {
                Mode = options.Weighting,
                WarmupEpochs = options.WarmupEpochs,
                Strength = options.Strength,
                InstanceTerm = options.InstanceTerm,
                AlphaStep = options.AlphaStep,
                Shrinkage = options.Shrinkage,
                Evaluation = EvaluationOf(options.UnseenWeights),
            };

        var back = configuration.ToOptions(options.Modalities, options.Task, options.Alpha, EvaluationWeights.Ones);
        foreach (var property in typeof(BtwOptions).GetProperties())
        {
            if (!property.CanRead || property.GetIndexParameters().Length > 0
                || (options.Weighting == BtwWeighting.Uniform && property.Name == nameof(BtwOptions.UnseenWeights))
                || property.Name == nameof(BtwOptions.ModalityStatistics))   // reports only: the demo always reports every statistic
            {
                continue;
            }

            var wanted = property.GetValue(options);
            var got = property.GetValue(back);
            if (!Equals(wanted, got))
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"BtwOptions.{property.Name} = {wanted} has no demo configuration (a configuration carries the weighting, warm-up, strength, instance term, alpha step, shrinkage and unseen weights; every other setting stays at {got})."),
                    nameof(options));
            }
        }

        return configuration;
    }

    /// <summary>The evaluation rule of a run: the configuration's own, Recommended's from its options, else the run default.</summary>
    public EvaluationWeights EvaluationFor(BtwOptions options, EvaluationWeights runDefault)
    {
        ArgumentNullException.ThrowIfNull(options);
        return IsRecommended ? EvaluationOf(options.UnseenWeights) : Evaluation ?? runDefault;
    }

    private static EvaluationWeights EvaluationOf(BtwUnseenWeights unseen) => unseen switch
    {
        BtwUnseenWeights.FromOutputs => EvaluationWeights.FromOutputs,
        BtwUnseenWeights.ModalityMean => EvaluationWeights.ModalityMean,
        _ => EvaluationWeights.Ones,
    };

    private static double Number(string label, string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ArgumentException($"'{label}': '{text}' is not a number.", nameof(label));
}
