using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.Linq;
using Btw.Demo.Data;
using Btw.Demo.Training;

namespace Btw.Demo.Cli;

/// <summary>The command line (System.CommandLine): options, parsing, and the hand-over to <see cref="DemoApp"/>.</summary>
internal static class DemoCommand
{
    public static RootCommand Build(Func<DemoOptions, int> run)
    {
        var dataset = new Option<string>("--dataset", "-d") { Description = "Data set: " + string.Join(", ", DatasetCatalog.Names) + ".", DefaultValueFactory = _ => "segment" };
        dataset.AcceptOnlyFromAmong(DatasetCatalog.Names.ToArray());
        var experiment = new Option<string>("--experiment", "-x") { Description = "compare: every mode on complete data; missing: Uniform, Kl, KlMi with modalities dropped at rates 0, 0.3, 0.5.", DefaultValueFactory = _ => "compare" };
        experiment.AcceptOnlyFromAmong("compare", "missing");
        var modes = new Option<string?>("--modes", "-m") { Description = "Comma-separated weighting modes (" + string.Join(", ", Enum.GetNames<BtwWeighting>()) + "); default: the experiment's." };
        var seeds = new Option<int>("--seeds", "-s") { Description = "Number of seeds per mode (seeds first-seed .. first-seed + n - 1).", DefaultValueFactory = _ => 5 };
        var firstSeed = new Option<int>("--first-seed") { Description = "The first seed.", DefaultValueFactory = _ => 1 };
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
        var evalWeights = new Option<string>("--eval-weights") { Description = "Weights of validation/test rows: training-mean (each modality's mean training weight, the library's advice) or ones.", DefaultValueFactory = _ => "training-mean" };
        evalWeights.AcceptOnlyFromAmong("training-mean", "ones");
        var maxRows = new Option<int?>("--max-rows") { Description = "Keep at most this many rows per split (a quick smoke run)." };
        var plain = new Option<bool>("--plain") { Description = "Plain progress lines instead of the live display (automatic when output is redirected or CI=true)." };
        var noPlots = new Option<bool>("--no-plots") { Description = "Do not write PNG plots." };
        var noTensorBoard = new Option<bool>("--no-tensorboard") { Description = "Do not write TensorBoard event files." };
        var kinds = new Option<string>("--synthetic-kinds") { Description = "Synthetic modalities: comma-separated informative, weak, noise.", DefaultValueFactory = _ => "informative,informative,weak,noise" };
        var corruption = new Option<double>("--synthetic-corruption") { Description = "Probability that an informative synthetic view of a row is pure noise.", DefaultValueFactory = _ => 0.25 };
        var syntheticRows = new Option<int>("--synthetic-rows") { Description = "Rows of the synthetic data set.", DefaultValueFactory = _ => 3000 };

        var root = new RootCommand("Trains a multimodal mixture of experts with and without BTW weighting on real data and reports what BTW does.")
        {
            dataset, experiment, modes, seeds, firstSeed, epochs, drop, output, batch, lr, embedding, experts, topK, alpha, lambda,
            threads, evalWeights, maxRows, plain, noPlots, noTensorBoard, kinds, corruption, syntheticRows,
        };
        root.SetAction(parse => run(new DemoOptions
        {
            Dataset = parse.GetValue(dataset)!,
            Experiment = parse.GetValue(experiment)!,
            Modes = ParseModes(parse.GetValue(modes)),
            Seeds = parse.GetValue(seeds),
            FirstSeed = parse.GetValue(firstSeed),
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
            EvaluationWeights = parse.GetValue(evalWeights) == "ones" ? EvaluationWeights.Ones : EvaluationWeights.TrainingMean,
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

    public static IReadOnlyList<double>? ParseDoubles(string? text) =>
        string.IsNullOrWhiteSpace(text) ? null : text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
                ? d
                : throw new ArgumentException($"'{v}' is not a number."))
            .ToArray();
}
