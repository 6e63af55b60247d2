using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using Btw.Demo.Data;
using Btw.Demo.Experiments;
using Btw.Demo.Reporting;
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

        var missing = options.Experiment == "missing";
        var plan = new ExperimentPlan
        {
            Dataset = split.Name,
            Modes = options.Modes ?? (missing ? MissingModes : CompareModes),
            Seeds = Enumerable.Range(options.FirstSeed, options.Seeds).ToArray(),
            DropRates = options.DropRates ?? (missing ? MissingDropRates : new[] { 0.0 }),
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
            },
        };
        plan.Validate();

        var stamp = DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var outDir = Path.GetFullPath(options.Output ?? Path.Combine(paths.DefaultOutputRoot, $"{split.Name}{(missing ? "-missing" : "")}-{stamp}"));
        Directory.CreateDirectory(outDir);
        console.WriteLine($"BTW demo: {split.Name}, {split.Train.Task}, views {string.Join(", ", split.Train.ViewNames)}");
        console.WriteLine(split.Description);
        console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{plan.RunCount} runs: modes {string.Join(", ", plan.Modes)}; seeds {string.Join(", ", plan.Seeds)}; drop rates {string.Join(", ", plan.DropRates)}; {plan.Template.Epochs} epochs; output {outDir}"));

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
        var summary = ExperimentSummary.From(results);
        CsvExport.WriteEpochs(Path.Combine(outDir, "epochs.csv"), results);
        CsvExport.WriteRuns(Path.Combine(outDir, "runs.csv"), results);
        var plots = options.Plots ? PlotWriter.Write(Path.Combine(outDir, "plots"), results) : Array.Empty<string>();
        var diagnostics = split.TrainCorrupted is { } corrupted ? CorruptionDiagnostics.Markdown(results, corrupted) : "";
        File.WriteAllText(Path.Combine(outDir, "report.md"), MarkdownReport.Build(plan, split, summary, commandLine, trainingTime, plots, diagnostics));

        console.WriteLine();
        console.Write(ResultTables.Markdown(summary));
        console.Write(diagnostics);
        console.WriteLine($"Report, CSV, plots and TensorBoard files: {outDir}");
        console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Elapsed: {clock.Elapsed.TotalSeconds:0.0} s in this process ({trainingTime.TotalSeconds:0.0} s training and evaluation; {Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds:0} s CPU)."));
        return 0;
    }
}
