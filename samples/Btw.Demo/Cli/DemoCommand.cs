using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.Linq;
using Btw.Demo.Data;
using Btw.Demo.Scenarios;
using Btw.Demo.Training;

namespace Btw.Demo.Cli;

/// <summary>The command line (System.CommandLine): options, parsing, and the hand-over to <see cref="DemoApp"/>.</summary>
internal static class DemoCommand
{
    public static RootCommand Build(Func<DemoOptions, int> run)
    {
        var dataset = new Option<string>("--dataset", "-d") { Description = "Data set: " + string.Join(", ", DatasetCatalog.Names) + ".", DefaultValueFactory = _ => "segment" };
        dataset.AcceptOnlyFromAmong(DatasetCatalog.Names.ToArray());
        var experiment = new Option<string>("--experiment", "-x") { Description = "compare: every mode; missing: Uniform, Kl, KlMi with modalities dropped at rates 0, 0.3, 0.5; grid: every mode plus the knob grid, one configuration chosen on validation (test reported for the paper's modes and the chosen one); trial: BtwTrial with the demo's trainer as its callback (validation loss 1 - macro-F1 or MAE), default candidates or --configs, then the choice and Uniform retrained on fresh seeds and compared on test.", DefaultValueFactory = _ => "compare" };
        experiment.AcceptOnlyFromAmong("compare", "missing", "grid", "trial");
        var configs = new Option<string?>("--configs") { Description = "Comma-separated configurations: a mode plus knobs, e.g. KlMi+agree+s0.5+w5+step0.1+fo (agree = Agreement term, s = strength, w = warm-up epochs, step = alpha step, fo/mm/ones/tm = evaluation weights), or Recommended. Overrides --modes." };
        var scenario = new Option<string>("--scenario") { Description = "clean; noise-views (2 pure-noise views); corruption (the first view replaced by noise on half the rows of every split); small-train (120 segment / 60 other training rows, plus 2 noise views); missing (each view missing with probability 0.3).", DefaultValueFactory = _ => "clean" };
        scenario.AcceptOnlyFromAmong("clean", "noise-views", "corruption", "small-train", "missing");
        var protocol = new Option<string>("--protocol") { Description = "joint: the weighter reads the model's own unimodal heads (default); two-stage: the seed's protocol, unimodal models trained alone first and frozen, a baseline MoE's fused predictions for the first fold, then the frozen unimodal predictions beside the current fused ones each epoch; validation and test rows get their own weighters (no labels).", DefaultValueFactory = _ => "joint" };
        protocol.AcceptOnlyFromAmong("joint", "two-stage");
        var noiseViews = new Option<int?>("--noise-views") { Description = "Pure-noise views to add; default: the scenario's." };
        var noiseWidth = new Option<int?>("--noise-width") { Description = "Features per noise view; default: the widest real view's width." };
        var corruptView = new Option<string?>("--corrupt-view") { Description = "The view to corrupt; default: the first view." };
        var corruptFraction = new Option<double?>("--corrupt-fraction") { Description = "Fraction of rows of every split whose corrupt view is replaced by noise; default: the scenario's." };
        var trainRows = new Option<int?>("--train-rows") { Description = "Training rows to keep (stratified); default: the scenario's." };
        var dataSeed = new Option<int>("--data-seed") { Description = "Seed of the scenario's generated data (noise, corrupted rows, training subset).", DefaultValueFactory = _ => 7 };
        var modes = new Option<string?>("--modes", "-m") { Description = "Comma-separated weighting modes (" + string.Join(", ", Enum.GetNames<BtwWeighting>()) + "); default: the experiment's." };
        var seeds = new Option<int>("--seeds", "-s") { Description = "Number of seeds per mode (seeds first-seed .. first-seed + n - 1).", DefaultValueFactory = _ => 5 };
        var firstSeed = new Option<int>("--first-seed") { Description = "The first seed.", DefaultValueFactory = _ => 1 };
        var freshSeeds = new Option<int>("--fresh-seeds") { Description = "trial: number of fresh seeds on which the choice and Uniform are retrained and compared on test.", DefaultValueFactory = _ => 5 };
        var freshFirstSeed = new Option<int>("--fresh-first-seed") { Description = "trial: the first fresh seed (must not overlap the trial's seeds).", DefaultValueFactory = _ => 100 };
        var epochs = new Option<int?>("--epochs", "-e") { Description = "Epochs per run; default: the data set's (segment 30, diabetes 40, mnist 12, synthetic 30)." };
        var drop = new Option<string?>("--drop") { Description = "Comma-separated modality drop rates in [0, 1), e.g. 0,0.3,0.5; default: the experiment's." };
        var output = new Option<string?>("--out", "-o") { Description = "Output folder; default samples/out/<dataset>-<timestamp>." };
        var batch = new Option<int?>("--batch-size") { Description = "Mini-batch size; default: the data set's." };
        var lr = new Option<double?>("--lr") { Description = "Adam learning rate; default 5e-3 (diabetes 3e-3)." };
        var embedding = new Option<int>("--embedding-dim") { Description = "Width of each view's embedding.", DefaultValueFactory = _ => 32 };
        var experts = new Option<int>("--experts") { Description = "Number of experts.", DefaultValueFactory = _ => 8 };
        var topK = new Option<int>("--top-k") { Description = "Experts per token.", DefaultValueFactory = _ => 2 };
        var alpha = new Option<double>("--alpha") { Description = "BTW EMA factor in (0, 1].", DefaultValueFactory = _ => 0.5 };
        var lambda = new Option<double>("--unimodal-loss") { Description = "Weight of the mean unimodal loss.", DefaultValueFactory = _ => 1.0 };
        var threads = new Option<int>("--threads") { Description = "torch.set_num_threads.", DefaultValueFactory = _ => 1 };
        var evalWeights = new Option<string>("--eval-weights") { Description = "Weights of validation/test rows: training-mean (each modality's mean training weight in the epoch), ones, modality-mean (the library's PredictUnseen, ModalityMean) or from-outputs (PredictUnseen's two passes, FromOutputs).", DefaultValueFactory = _ => "training-mean" };
        evalWeights.AcceptOnlyFromAmong("training-mean", "ones", "modality-mean", "from-outputs");
        var maxRows = new Option<int?>("--max-rows") { Description = "Keep at most this many rows per split (a quick smoke run)." };
        var plain = new Option<bool>("--plain") { Description = "Plain progress lines instead of the live display (automatic when output is redirected or CI=true)." };
        var noPlots = new Option<bool>("--no-plots") { Description = "Do not write PNG plots." };
        var noTensorBoard = new Option<bool>("--no-tensorboard") { Description = "Do not write TensorBoard event files." };
        var kinds = new Option<string>("--synthetic-kinds") { Description = "Synthetic modalities: comma-separated informative, weak, noise.", DefaultValueFactory = _ => "informative,informative,weak,noise" };
        var corruption = new Option<double>("--synthetic-corruption") { Description = "Probability that an informative synthetic view of a row is pure noise.", DefaultValueFactory = _ => 0.25 };
        var syntheticRows = new Option<int>("--synthetic-rows") { Description = "Rows of the synthetic data set.", DefaultValueFactory = _ => 3000 };

        var root = new RootCommand("Trains a multimodal mixture of experts with and without BTW weighting on real data and reports what BTW does.")
        {
            dataset, experiment, modes, configs, scenario, protocol, noiseViews, noiseWidth, corruptView, corruptFraction, trainRows, dataSeed, seeds, firstSeed, freshSeeds, freshFirstSeed, epochs, drop, output, batch, lr, embedding, experts, topK, alpha, lambda,
            threads, evalWeights, maxRows, plain, noPlots, noTensorBoard, kinds, corruption, syntheticRows,
        };
        root.SetAction(parse => run(new DemoOptions
        {
            Dataset = parse.GetValue(dataset)!,
            Experiment = parse.GetValue(experiment)!,
            Modes = ParseModes(parse.GetValue(modes)),
            Configurations = string.IsNullOrWhiteSpace(parse.GetValue(configs)) ? null : BtwConfiguration.ParseList(parse.GetValue(configs)!),
            Scenario = ParseScenario(parse.GetValue(scenario)!),
            Protocol = parse.GetValue(protocol) == "two-stage" ? TrainingProtocol.TwoStage : TrainingProtocol.Joint,
            NoiseViews = parse.GetValue(noiseViews),
            NoiseWidth = parse.GetValue(noiseWidth),
            CorruptView = parse.GetValue(corruptView),
            CorruptFraction = parse.GetValue(corruptFraction),
            TrainRows = parse.GetValue(trainRows),
            DataSeed = parse.GetValue(dataSeed),
            Seeds = parse.GetValue(seeds),
            FirstSeed = parse.GetValue(firstSeed),
            FreshSeeds = parse.GetValue(freshSeeds),
            FreshFirstSeed = parse.GetValue(freshFirstSeed),
            Epochs = parse.GetValue(epochs),
            DropRates = ParseDoubles(parse.GetValue(drop)),
            Output = parse.GetValue(output),
            BatchSize = parse.GetValue(batch),
            LearningRate = parse.GetValue(lr),
            EmbeddingDim = parse.GetValue(embedding),
            Experts = parse.GetValue(experts),
            TopK = parse.GetValue(topK),
            Alpha = parse.GetValue(alpha),
            UnimodalLossWeight = parse.GetValue(lambda),
            Threads = parse.GetValue(threads),
            EvaluationWeights = parse.GetValue(evalWeights) switch
            {
                "ones" => EvaluationWeights.Ones,
                "modality-mean" => EvaluationWeights.ModalityMean,
                "from-outputs" => EvaluationWeights.FromOutputs,
                _ => EvaluationWeights.TrainingMean,
            },
            MaxRows = parse.GetValue(maxRows),
            Plain = parse.GetValue(plain),
            Plots = !parse.GetValue(noPlots),
            TensorBoard = !parse.GetValue(noTensorBoard),
            SyntheticKinds = parse.GetValue(kinds)!,
            SyntheticCorruption = parse.GetValue(corruption),
            SyntheticRows = parse.GetValue(syntheticRows),
        }));
        return root;
    }

    public static IReadOnlyList<BtwWeighting>? ParseModes(string? text) =>
        string.IsNullOrWhiteSpace(text) ? null : text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(m => Enum.TryParse<BtwWeighting>(m, ignoreCase: true, out var mode) && Enum.IsDefined(mode)
                ? mode
                : throw new ArgumentException($"Unknown mode '{m}'; expected {string.Join(", ", Enum.GetNames<BtwWeighting>())}."))
            .ToArray();

    /// <summary>A scenario's command-line name (kebab case) as its kind.</summary>
    public static ScenarioKind ParseScenario(string text) => text switch
    {
        "clean" => ScenarioKind.Clean,
        "noise-views" => ScenarioKind.NoiseViews,
        "corruption" => ScenarioKind.Corruption,
        "small-train" => ScenarioKind.SmallTrain,
        "missing" => ScenarioKind.Missing,
        _ => throw new ArgumentException($"Unknown scenario '{text}'; expected clean, noise-views, corruption, small-train or missing."),
    };

    public static IReadOnlyList<double>? ParseDoubles(string? text) =>
        string.IsNullOrWhiteSpace(text) ? null : text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
                ? d
                : throw new ArgumentException($"'{v}' is not a number."))
            .ToArray();
}
