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

        if (options.Experiment == "trial")
        {
            return RunTrial(options, split, plan.Template with { Dataset = split.Name }, outDir, console, commandLine, clock, scenario.Describe());
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
            var trials = plan.DropRates.Select(d => (Drop: d, Trial: GridTrialSelection.Choose(results, d, plan.Configurations, plan.Seeds, split.Train.Views.Count, split.Train.Task, plan.Template))).ToArray();
            var chosen = trials.Select(t => (t.Drop, Label: t.Trial.ChosenLabel)).ToArray();
            reported = KnobGrid.Fixed.Select(c => c.Label).Concat(chosen.Select(c => c.Label)).Append(BtwConfiguration.RecommendedLabel).ToHashSet();
            featured.AddRange(chosen.Select(c => c.Label));
            sections.Append(Inv($"Validation of every candidate (the selection reads only these; metric {selection} at each run's selected epoch):\n\n"));
            sections.Append(ResultTables.Markdown(ExperimentSummary.From(results.Select(r => r with { Test = r.BestValidation }).ToArray()), "validation"));
            foreach (var (drop, trial) in trials)
            {
                var bestMean = GridSelection.Choose(ValidationScores.From(results, drop), selection);
                sections.Append(Inv($"BtwTrial over the grid's runs at drop rate {drop:0.##} (validation loss {(split.Train.Task == BtwTask.Classification ? "1 - macro_f1" : "mae")}; Bonferroni over every candidate):\n\n"));
                sections.Append(trial.ToMarkdown()).Append('\n');
                sections.Append(Inv($"Chosen on validation at drop rate {drop:0.##}: **{trial.ChosenLabel}** (BtwTrial's rule; the best mean validation {selection} alone would pick {bestMean}); its test row is reported below beside the paper's modes.\n\n"));
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

    /// <summary>
    /// The trial experiment: <see cref="BtwTrial"/> with the demo's trainer as its callback on seeds first-seed..,
    /// then the choice and Uniform retrained on the fresh seeds and compared on test; writes runs.csv, epochs.csv and report.md.
    /// </summary>
    private static int RunTrial(DemoOptions options, DataSplit split, RunSettings template, string outDir, TextWriter console, string commandLine, Stopwatch clock, string scenario)
    {
        var task = split.Train.Task;
        var modalities = split.Train.Views.Count;
        var freshSeeds = Enumerable.Range(options.FreshFirstSeed, options.FreshSeeds).ToArray();
        if (freshSeeds.Any(s => s >= options.FirstSeed && s < options.FirstSeed + options.Seeds))
        {
            throw new ArgumentException($"The fresh seeds {freshSeeds[0]}..{freshSeeds[^1]} overlap the trial's seeds {options.FirstSeed}..{options.FirstSeed + options.Seeds - 1}; pass --fresh-first-seed beyond them.");
        }

        // --configs: each configuration's library options; one without its own evaluation token is weighted at validation
        // and test as the run default says, the demo's training-mean being the library's ModalityMean.
        var runDefault = template.EvaluationWeights == EvaluationWeights.TrainingMean ? EvaluationWeights.ModalityMean : template.EvaluationWeights;
        var candidates = options.Configurations?
            .Where(c => c.IsRecommended || c.Mode != BtwWeighting.Uniform)
            .Select(c => new BtwTrialCandidate(c.Label, c.ToOptions(modalities, task, template.Alpha, runDefault)))
            .ToArray();
        var trialOptions = new BtwTrialOptions
        {
            Seeds = options.Seeds,
            FirstSeed = options.FirstSeed,
            Candidates = candidates is { Length: > 0 } ? candidates : null,
        };
        var labels = (trialOptions.Candidates ?? BtwTrial.DefaultCandidates(modalities, task)).Select(c => c.Label);
        console.WriteLine(Inv($"BtwTrial: Uniform and {string.Join(", ", labels)} on trial seeds {options.FirstSeed}..{options.FirstSeed + options.Seeds - 1} (validation loss {(task == BtwTask.Classification ? "1 - macro_f1" : "mae")} at the epoch selected on validation); then the choice and Uniform on fresh seeds {freshSeeds[0]}..{freshSeeds[^1]}, compared on test; {template.Epochs} epochs; output {outDir}"));

        var trainingClock = Stopwatch.StartNew();
        var outcome = TrialExperiment.Run(split, template, trialOptions, freshSeeds, new PlainProgress(console, split.Train.ViewNames));
        var trainingTime = trainingClock.Elapsed;
        var runs = outcome.AllRuns;
        CsvExport.WriteEpochs(Path.Combine(outDir, "epochs.csv"), runs);
        CsvExport.WriteRuns(Path.Combine(outDir, "runs.csv"), runs);

        var sections = new StringBuilder();
        sections.Append(Inv($"Trial (validation only; loss = {(task == BtwTask.Classification ? "1 - macro_f1" : "mae")} at each run's selected epoch; BtwTrial.ToMarkdown):\n\n"));
        sections.Append(outcome.Trial.ToMarkdown()).Append('\n');
        sections.Append(outcome.TestMarkdown()).Append('\n');
        var report = new StringBuilder();
        report.Append(Inv($"# BTW demo: BtwTrial on {split.Name}\n\n"));
        report.Append(Inv($"Command (from the repository root): `{commandLine}`  \nFinished {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; {runs.Count} runs in {trainingTime.TotalSeconds:0} s of training and evaluation.\n\n"));
        report.Append(Inv($"- Data: {split.Description}\n- Scenario {ScenarioName(options.Scenario)}: {scenario}.\n- Views: {string.Join(", ", split.Train.ViewNames)}; task: {task}.\n"));
        report.Append(Inv($"- Training: Adam, learning rate {template.LearningRate}, batch {template.BatchSize}, {template.Epochs} epochs; the model and selection of the other experiments (the epoch with the best validation {MetricSet.SelectionMetric(task)}).\n"));
        report.Append(Inv($"- runs.csv: the trial's runs (seeds {options.FirstSeed} to {options.FirstSeed + options.Seeds - 1}; only their validation columns were read by the trial) and the fresh runs (seeds {freshSeeds[0]} to {freshSeeds[^1]}; the test comparison). Mode labels: the configuration each run trained (a knob `+mm`/`+ones`/`+fo` is its UnseenWeights).\n\n"));
        report.Append(sections);
        File.WriteAllText(Path.Combine(outDir, "report.md"), report.ToString());

        console.WriteLine();
        console.Write(sections.ToString());
        console.WriteLine($"Report and CSV: {outDir}");
        console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Elapsed: {clock.Elapsed.TotalSeconds:0.0} s in this process ({trainingTime.TotalSeconds:0.0} s training and evaluation)."));
        return 0;
    }

    private static string Inv(FormattableString text) => FormattableString.Invariant(text);
}
