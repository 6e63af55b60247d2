using System.Collections.Generic;
using Btw.Demo.Scenarios;
using Btw.Demo.Training;

namespace Btw.Demo.Cli;

/// <summary>What the command line asked for; null means "the data set's, the scenario's or the experiment's default".</summary>
internal sealed record DemoOptions
{
    public string Dataset { get; init; } = "segment";

    /// <summary>"compare" (every mode, complete data), "missing" (Uniform, Kl, KlMi at drop rates 0, 0.3, 0.5) "grid" (the knob grid, chosen on validation) or "trial" (BtwTrial with the demo's trainer as its callback).</summary>
    public string Experiment { get; init; } = "compare";

    public IReadOnlyList<BtwWeighting>? Modes { get; init; }

    /// <summary>Configuration labels (see <see cref="BtwConfiguration.Parse"/>); override <see cref="Modes"/> and the experiment's list.</summary>
    public IReadOnlyList<BtwConfiguration>? Configurations { get; init; }

    public ScenarioKind Scenario { get; init; } = ScenarioKind.Clean;

    public int? NoiseViews { get; init; }

    public int? NoiseWidth { get; init; }

    public string? CorruptView { get; init; }

    public double? CorruptFraction { get; init; }

    public int? TrainRows { get; init; }

    public int DataSeed { get; init; } = 7;

    /// <summary>joint (the model's own unimodal heads feed the weighter) or two-stage (frozen, separately trained unimodal models; see <see cref="TrainingProtocol.TwoStage"/>).</summary>
    public TrainingProtocol Protocol { get; init; } = TrainingProtocol.Joint;

    public int Seeds { get; init; } = 5;

    public int FirstSeed { get; init; } = 1;

    /// <summary>trial: the number of fresh seeds on which the choice and Uniform are retrained and compared on test.</summary>
    public int FreshSeeds { get; init; } = 5;

    /// <summary>trial: the first fresh seed (fresh seeds must not overlap the trial's seeds).</summary>
    public int FreshFirstSeed { get; init; } = 100;

    public int? Epochs { get; init; }

    public IReadOnlyList<double>? DropRates { get; init; }

    public string? Output { get; init; }

    public int? BatchSize { get; init; }

    public double? LearningRate { get; init; }

    public int EmbeddingDim { get; init; } = 32;

    public int Experts { get; init; } = 8;

    public int TopK { get; init; } = 2;

    public double Alpha { get; init; } = 0.5;

    public double UnimodalLossWeight { get; init; } = 1.0;

    public int Threads { get; init; } = 1;

    public EvaluationWeights EvaluationWeights { get; init; } = EvaluationWeights.TrainingMean;

    public int? MaxRows { get; init; }

    public bool Plain { get; init; }

    public bool Plots { get; init; } = true;

    public bool TensorBoard { get; init; } = true;

    public string SyntheticKinds { get; init; } = "informative,informative,weak,noise";

    public double SyntheticCorruption { get; init; } = 0.25;

    public int SyntheticRows { get; init; } = 3000;

    /// <summary>The scenario's preset with every explicit scenario option applied over it.</summary>
    public ScenarioOptions ScenarioOptions()
    {
        var preset = ScenarioBuilder.Preset(Scenario, Dataset);
        return preset with
        {
            DataSeed = DataSeed,
            NoiseViews = NoiseViews ?? preset.NoiseViews,
            NoiseWidth = NoiseWidth ?? preset.NoiseWidth,
            CorruptView = CorruptView ?? preset.CorruptView,
            CorruptFraction = CorruptFraction ?? preset.CorruptFraction,
            TrainRows = TrainRows ?? preset.TrainRows,
        };
    }
}
