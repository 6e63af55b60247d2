using System;
using System.Globalization;

namespace Btw.Demo.Training;

/// <summary>Everything that defines one training run.</summary>
internal sealed record RunSettings
{
    public required string Dataset { get; init; }

    public required BtwWeighting Mode { get; init; }

    /// <summary>The weighting configuration (knobs, evaluation rule); null = the paper's configuration of <see cref="Mode"/>.</summary>
    public BtwConfiguration? Configuration { get; init; }

    /// <summary>The configuration in force: <see cref="Configuration"/>, or the faithful one of <see cref="Mode"/>.</summary>
    public BtwConfiguration EffectiveConfiguration => Configuration ?? BtwConfiguration.Faithful(Mode);

    /// <summary>The configuration's label (the mode's name for a faithful configuration).</summary>
    public string Label => EffectiveConfiguration.Label;

    public required int Seed { get; init; }

    /// <summary>Probability that each modality of a row is missing, at train and test time (0 = complete data).</summary>
    public double DropRate { get; init; }

    public int Epochs { get; init; } = 30;

    public int BatchSize { get; init; } = 64;

    public double LearningRate { get; init; } = 3e-3;

    public double WeightDecay { get; init; }

    public int EmbeddingDim { get; init; } = 32;

    public int Experts { get; init; } = 8;

    public int TopK { get; init; } = 2;

    public int ExpertHidden { get; init; } = 64;

    /// <summary>Weight of the mean unimodal loss (the unimodal heads must learn for BTW to have signal).</summary>
    public double UnimodalLossWeight { get; init; } = 1.0;

    /// <summary>Weight of the mixture-of-experts load-balancing loss.</summary>
    public double AuxiliaryLossWeight { get; init; } = 0.01;

    /// <summary>The weights of unseen (validation and test) rows.</summary>
    public EvaluationWeights EvaluationWeights { get; init; } = EvaluationWeights.TrainingMean;

    /// <summary>Where the weighter's unimodal predictions come from (default: the model's own heads, trained jointly).</summary>
    public TrainingProtocol Protocol { get; init; } = TrainingProtocol.Joint;

    /// <summary>BTW's EMA factor alpha.</summary>
    public double Alpha { get; init; } = 0.5;

    /// <summary>A short unique name, e.g. "KlMi-drop0.3-seed2".</summary>
    public string Key => string.Create(CultureInfo.InvariantCulture, $"{Label}-drop{DropRate:0.##}-seed{Seed}");

    public void Validate()
    {
        if (Epochs < 1 || BatchSize < 1 || EmbeddingDim < 1 || Experts < 1 || TopK < 1 || TopK > Experts)
        {
            throw new ArgumentException($"Invalid run settings: epochs {Epochs}, batch {BatchSize}, embedding {EmbeddingDim}, experts {Experts}, top-k {TopK}.");
        }

        if (DropRate is < 0 or >= 1)
        {
            throw new ArgumentException($"Drop rate must be in [0, 1), was {DropRate}.");
        }
    }
}
