using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Btw.Demo.Data;
using Btw.Demo.Metrics;
using Btw.Demo.Statistics;
using Btw.Demo.Training;

namespace Btw.Demo.Experiments;

/// <summary>
/// The demo as a <see cref="BtwTrial"/> user: the trial's callback trains the demo's model with the options it is handed
/// and returns the validation loss at the epoch selected on validation (1 - macro-F1 for classification, MAE for
/// regression); then the chosen configuration and Uniform are retrained on fresh seeds and compared on test, paired by seed.
/// </summary>
internal static class TrialExperiment
{
    /// <summary>The validation loss the callback returns: 1 - macro-F1 (classification) or MAE (regression) at the selected epoch.</summary>
    public static double ValidationLoss(MetricSet validation, BtwTask task)
    {
        ArgumentNullException.ThrowIfNull(validation);
        return task == BtwTask.Classification ? 1 - validation["macro_f1"] : validation["mae"];
    }

    /// <summary>The run settings of one callback call: the template with the configuration of <paramref name="options"/>, its alpha and the seed.</summary>
    public static RunSettings SettingsFor(RunSettings template, BtwOptions options, int seed)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(options);
        var configuration = BtwConfiguration.FromOptions(options);
        return template with { Mode = configuration.Mode, Configuration = configuration, Seed = seed, Alpha = options.Alpha, DropRate = 0 };
    }

    /// <summary>
    /// Runs the trial on <paramref name="trialSeeds"/> (validation only), then retrains the choice and Uniform on
    /// <paramref name="freshSeeds"/> and compares them on test. When the choice is Uniform the fresh Uniform runs serve as both
    /// sides (every difference is exactly 0).
    /// </summary>
    public static TrialOutcome Run(DataSplit split, RunSettings template, BtwTrialOptions trialOptions, IReadOnlyList<int> freshSeeds, IRunObserver? observer = null)
    {
        ArgumentNullException.ThrowIfNull(split);
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(trialOptions);
        ArgumentNullException.ThrowIfNull(freshSeeds);
        if (freshSeeds.Count < 2 || freshSeeds.Distinct().Count() != freshSeeds.Count)
        {
            throw new ArgumentException($"The test comparison needs at least 2 distinct fresh seeds; got {freshSeeds.Count}.", nameof(freshSeeds));
        }

        var task = split.Train.Task;
        var modalities = split.Train.Views.Count;
        var candidateCount = (trialOptions.Candidates ?? BtwTrial.DefaultCandidates(modalities, task)).Count;
        var total = (candidateCount + 1) * trialOptions.Seeds + 2 * freshSeeds.Count;
        var index = 0;
        var trialRuns = new List<RunResult>();
        RunResult Train(RunSettings settings)
        {
            index++;
            observer?.RunStarted(settings, index, total);
            var result = Trainer.Run(split, settings, (s, e) => observer?.EpochFinished(s, e));
            observer?.RunFinished(result, index, total);
            return result;
        }

        var trial = BtwTrial.Run(modalities, task, (options, seed) =>
        {
            var result = Train(SettingsFor(template, options, seed));
            trialRuns.Add(result);
            return ValidationLoss(result.BestValidation, task);
        }, trialOptions);

        var chosen = trial.Chosen;
        var uniformSettings = trial.Rows[0].Options;
        var freshUniform = new List<RunResult>();
        var freshChosen = new List<RunResult>();
        foreach (var seed in freshSeeds)
        {
            var uniform = Train(SettingsFor(template, uniformSettings, seed));
            freshUniform.Add(uniform);
            freshChosen.Add(trial.ChosenLabel == BtwTrial.UniformLabel ? uniform : Train(SettingsFor(template, chosen, seed)));
        }

        var names = MetricSet.NamesFor(task);
        var differences = names.ToDictionary(
            n => n,
            n => SeedStatistics.Paired(freshChosen.Select(r => r.Test[n]).ToArray(), freshUniform.Select(r => r.Test[n]).ToArray()));
        return new TrialOutcome(trial, trialRuns, freshUniform, freshChosen, differences, task);
    }
}

/// <summary>What <see cref="TrialExperiment.Run"/> found: the trial, every run, and the chosen-minus-Uniform test differences on the fresh seeds.</summary>
/// <param name="Trial">The trial's result (validation only).</param>
/// <param name="TrialRuns">The trial's runs, in the order the trial made them.</param>
/// <param name="FreshUniform">Uniform retrained on each fresh seed.</param>
/// <param name="FreshChosen">The choice retrained on each fresh seed (the same runs as <paramref name="FreshUniform"/> when the choice is Uniform).</param>
/// <param name="TestDifferences">Per test metric, chosen - Uniform paired by fresh seed, with its 95% Student-t interval.</param>
/// <param name="Task">The data set's task.</param>
internal sealed record TrialOutcome(
    BtwTrialResult Trial,
    IReadOnlyList<RunResult> TrialRuns,
    IReadOnlyList<RunResult> FreshUniform,
    IReadOnlyList<RunResult> FreshChosen,
    IReadOnlyDictionary<string, PairedDifference> TestDifferences,
    BtwTask Task)
{
    /// <summary>Every distinct run (trial runs, then the fresh runs), for runs.csv.</summary>
    public IReadOnlyList<RunResult> AllRuns =>
        TrialRuns.Concat(FreshUniform).Concat(FreshChosen.Where(r => !FreshUniform.Contains(r))).ToArray();

    /// <summary>The test comparison as Markdown: per metric, Uniform's and the choice's mean over the fresh seeds and the paired difference with its 95% interval.</summary>
    public string TestMarkdown()
    {
        var inv = CultureInfo.InvariantCulture;
        var seeds = string.Join(", ", FreshUniform.Select(r => r.Settings.Seed.ToString(inv)));
        var text = new StringBuilder();
        text.Append(inv, $"Test, retrained on fresh seeds {seeds} (the trial never saw them nor the test split): chosen **{Trial.ChosenLabel}** - Uniform, paired by seed, 95% Student-t interval.\n\n");
        text.Append("| metric | Uniform | chosen | chosen - Uniform | 95% interval | significant |\n|---|---:|---:|---:|---|---|\n");
        foreach (var (name, d) in TestDifferences)
        {
            var better = MetricSet.HigherIsBetter(name) ? d.Lower > 0 : d.Upper < 0;
            var verdict = Trial.ChosenLabel == BtwTrial.UniformLabel ? "(same runs)" : !d.Excludes0 ? "no" : better ? "yes, better" : "yes, worse";
            text.Append(inv, $"| {name} | {FreshUniform.Average(r => r.Test[name]):0.0000} | {FreshChosen.Average(r => r.Test[name]):0.0000} | {d.Mean:+0.0000;-0.0000;0.0000} | [{d.Lower:+0.0000;-0.0000;0.0000}, {d.Upper:+0.0000;-0.0000;0.0000}] | {verdict} |\n");
        }

        return text.ToString();
    }
}
