using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using Btw.Demo.Data;
using Btw.Demo.Experiments;
using Btw.Demo.Metrics;
using Btw.Demo.Reporting;
using Btw.Demo.Scenarios;
using Btw.Demo.Training;
using TorchSharp;

namespace Btw.Demo.Cli;

/// <summary>Runs one experiment end to end: load, train every run, summarise, write the output folder, print the tables.</summary>
internal static class DemoApp
{
    public static readonly IReadOnlyList<BtwWeighting> CompareModes = new[]
    {
        BtwWeighting.Uniform, BtwWeighting.Kl, BtwWeighting.Mi, BtwWeighting.KlMi, BtwWeighting.Entropy, BtwWeighting.Correlation,
    };

    public static readonly IReadOnlyList<BtwWeighting> MissingModes = new[] { BtwWeighting.Uniform, BtwWeighting.Kl, BtwWeighting.KlMi };

    public static readonly IReadOnlyList<double> MissingDropRates = new[] { 0.0, 0.3, 0.5 };

    /// <summary>A scenario's command-line name.</summary>
    public static string ScenarioName(ScenarioKind kind) => kind switch
    {
        ScenarioKind.NoiseViews => "noise-views",
        ScenarioKind.Corruption => "corruption",
        ScenarioKind.SmallTrain => "small-train",
        ScenarioKind.Missing => "missing",
        _ => "clean",
    };

    /// <summary>Returns the process exit code: 0 on success, 2 when data is missing, 1 on bad arguments.</summary>
    public static int Run(DemoOptions options, TextWriter console, DemoPaths paths, string commandLine)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(paths);
        var clock = Stopwatch.StartNew();
        torch.set_num_threads(Math.Max(1, options.Threads));

        DataSplit split;
        try
        {
            split = DatasetCatalog.Load(options.Dataset, paths, new SyntheticOptions
            {
                Kinds = SyntheticData.ParseKinds(options.SyntheticKinds),
                Corruption = options.SyntheticCorruption,
                Rows = options.SyntheticRows,
            });
        }
        catch (FileNotFoundException e)
        {
            console.WriteLine(e.Message);
            return 2;
        }

        if (options.MaxRows is int maxRows)
        {
            split = ExperimentRunner.Truncate(split, maxRows);
        }

        var scenario = options.ScenarioOptions();
        split = ScenarioBuilder.Apply(split, scenario);
        var missing = options.Experiment == "missing";
        var grid = options.Experiment == "grid";
        var configurations = options.Configurations
            ?? options.Modes?.Select(BtwConfiguration.Faithful).ToArray()
            ?? (grid ? KnobGrid.All : (missing ? MissingModes : CompareModes).Select(BtwConfiguration.Faithful).ToArray());
        var plan = new ExperimentPlan
        {
            Dataset = split.Name,
            Configurations = configurations,
            Seeds = Enumerable.Range(options.FirstSeed, options.Seeds).ToArray(),
            DropRates = options.DropRates ?? (missing ? MissingDropRates : options.Scenario == ScenarioKind.Missing ? new[] { ScenarioBuilder.MissingDropRate } : new[] { 0.0 }),
            Template = new RunSettings
            {
                Dataset = split.Name,
                Mode = BtwWeighting.Uniform,
                Seed = options.FirstSeed,
                Epochs = options.Epochs ?? DatasetDefaults.Epochs(options.Dataset),
                BatchSize = options.BatchSize ?? DatasetDefaults.BatchSize(options.Dataset),
                LearningRate = options.LearningRate ?? DatasetDefaults.LearningRate(options.Dataset),
                EmbeddingDim = options.EmbeddingDim,
                Experts = options.Experts,
                TopK = options.TopK,
                Alpha = options.Alpha,
                UnimodalLossWeight = options.UnimodalLossWeight,
                EvaluationWeights = options.EvaluationWeights,
                Protocol = options.Protocol,
            },
        };
        plan.Validate();

        var stamp = DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var scenarioName = options.Scenario == ScenarioKind.Clean ? "" : "-" + ScenarioName(options.Scenario);
        var outDir = Path.GetFullPath(options.Output ?? Path.Combine(paths.DefaultOutputRoot, $"{split.Name}{scenarioName}{(options.Experiment == "compare" ? "" : "-" + options.Experiment)}-{stamp}"));
        Directory.CreateDirectory(outDir);
        console.WriteLine($"BTW demo: {split.Name}, {split.Train.Task}, views {string.Join(", ", split.Train.ViewNames)}");
        console.WriteLine(split.Description);
        console.WriteLine($"Scenario {ScenarioName(options.Scenario)}: {scenario.Describe()}.");
        if (options.Protocol == TrainingProtocol.TwoStage)
        {
            console.WriteLine("Protocol two-stage: per seed, one unimodal model per view trained alone and frozen, and a baseline MoE (Uniform); the weighters read the frozen unimodal predictions (first fold: beside the baseline's fused ones, then beside the current fused ones); validation and test rows have their own weighters. Uniform is the baseline run; the paper's-case check compares it with the frozen unimodal models.");
        }

        console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{plan.RunCount} runs: configurations {string.Join(", ", plan.Configurations.Select(c => c.Label))}; seeds {string.Join(", ", plan.Seeds)}; drop rates {string.Join(", ", plan.DropRates)}; {plan.Template.Epochs} epochs; output {outDir}"));

        var views = split.Train.ViewNames;
        var observers = new List<IRunObserver>();
        if (options.TensorBoard)
        {
            observers.Add(new TensorBoardObserver(Path.Combine(outDir, "tensorboard"), views));
        }

        var trainingClock = Stopwatch.StartNew();
        IReadOnlyList<RunResult> results;
        if (LiveProgress.Supported(options.Plain) && ReferenceEquals(console, Console.Out))
        {
            results = LiveProgress.Run(plan.RunCount * plan.Template.Epochs, views, live =>
                ExperimentRunner.Run(plan, split, new CompositeObserver(observers.Append(live).ToArray())));
        }
        else
        {
            observers.Add(new PlainProgress(console, views));
            results = ExperimentRunner.Run(plan, split, new CompositeObserver(observers.ToArray()));
        }

        var trainingTime = trainingClock.Elapsed;
        var sections = new StringBuilder();
        sections.Append(ScenarioCheck.Markdown(results));
        IReadOnlyCollection<string>? reported = null;
        var featured = new List<string> { ExperimentSummary.UniformLabel, nameof(BtwWeighting.Kl), nameof(BtwWeighting.Mi), nameof(BtwWeighting.KlMi), BtwConfiguration.RecommendedLabel };
        if (grid)
        {
            var selection = MetricSet.SelectionMetric(split.Train.Task);
            var chosen = plan.DropRates.Select(d => (Drop: d, Label: GridSelection.Choose(ValidationScores.From(results, d), selection))).ToArray();
            reported = KnobGrid.Fixed.Select(c => c.Label).Concat(chosen.Select(c => c.Label)).Append(BtwConfiguration.RecommendedLabel).ToHashSet();
            featured.AddRange(chosen.Select(c => c.Label));
            sections.Append(Inv($"Validation of every candidate (the selection reads only these; metric {selection} at each run's selected epoch):\n\n"));
            sections.Append(ResultTables.Markdown(ExperimentSummary.From(results.Select(r => r with { Test = r.BestValidation }).ToArray()), "validation"));
            foreach (var (drop, label) in chosen)
            {
                sections.Append(Inv($"Chosen on validation at drop rate {drop:0.##}: **{label}** (best mean validation {selection}); its test row is reported below beside the paper's modes.\n\n"));
            }
        }

        var testResults = reported is null ? results : results.Where(r => reported.Contains(r.Settings.Label)).ToArray();
        var summary = ExperimentSummary.From(testResults);
        CsvExport.WriteEpochs(Path.Combine(outDir, "epochs.csv"), results);
        CsvExport.WriteRuns(Path.Combine(outDir, "runs.csv"), results, reported);
        var plots = options.Plots ? PlotWriter.Write(Path.Combine(outDir, "plots"), testResults, summary, featured) : Array.Empty<string>();
        var diagnostics = split.TrainCorrupted is { } corrupted ? CorruptionDiagnostics.Markdown(testResults, corrupted) : "";
        sections.Append(Inv($"Test (the paper's modes{(grid ? " and the configuration chosen on validation" : "")}):\n\n"));
        File.WriteAllText(Path.Combine(outDir, "report.md"), MarkdownReport.Build(plan, split, summary, commandLine, trainingTime, plots, diagnostics, sections.ToString(), scenario.Describe()));

        console.WriteLine();
        console.Write(sections.ToString());
        console.Write(ResultTables.Markdown(summary));
        console.Write(diagnostics);
        console.WriteLine($"Report, CSV, plots and TensorBoard files: {outDir}");
        console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Elapsed: {clock.Elapsed.TotalSeconds:0.0} s in this process ({trainingTime.TotalSeconds:0.0} s training and evaluation; {Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds:0} s CPU)."));
        return 0;
    }

    private static string Inv(FormattableString text) => FormattableString.Invariant(text);
}
