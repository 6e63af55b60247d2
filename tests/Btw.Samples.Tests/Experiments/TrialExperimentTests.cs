using System;
using System.IO;
using System.Linq;
using Btw.Demo.Cli;
using Btw.Demo.Data;
using Btw.Demo.Experiments;
using Btw.Demo.Metrics;
using Btw.Demo.Training;
using Xunit;

namespace Btw.Samples.Tests.Experiments;

[Collection(SerialTorch.Name)]
public class TrialExperimentTests
{
    [Fact]
    public void The_validation_loss_is_one_minus_macro_F1_or_the_MAE()
    {
        Assert.Equal(0.25, TrialExperiment.ValidationLoss(new MetricSet(MetricSet.ClassificationNames, new[] { 0.9, 0.75, 0.8 }), BtwTask.Classification), 12);
        Assert.Equal(12.5, TrialExperiment.ValidationLoss(new MetricSet(MetricSet.RegressionNames, new[] { 12.5, 20.0, 0.3 }), BtwTask.Regression), 12);
    }

    [Fact]
    public void The_callback_trains_the_options_it_is_handed_with_their_alpha_and_seed()
    {
        var template = new RunSettings { Dataset = "toy", Mode = BtwWeighting.Uniform, Seed = 1, Epochs = 3, Alpha = 0.5, DropRate = 0.3 };
        var options = new BtwOptions { Modalities = 3, Task = BtwTask.Classification, Weighting = BtwWeighting.Mi, Alpha = 0.7, UnseenWeights = BtwUnseenWeights.ModalityMean };

        var settings = TrialExperiment.SettingsFor(template, options, 42);

        Assert.Equal(("Mi+mm", BtwWeighting.Mi, 42, 0.7, 0.0, 3), (settings.Label, settings.Mode, settings.Seed, settings.Alpha, settings.DropRate, settings.Epochs));
    }

    [Fact]
    public void A_tiny_trial_reads_validation_only_then_compares_the_choice_with_Uniform_on_fresh_seeds()
    {
        var split = ExperimentRunner.Truncate(DatasetCatalog.Load("segment", DemoPaths.Discover()), 80);
        var template = new RunSettings { Dataset = "segment", Mode = BtwWeighting.Uniform, Seed = 1, Epochs = 2, BatchSize = 32 };

        var outcome = TrialExperiment.Run(split, template, new BtwTrialOptions { Seeds = 2, FirstSeed = 1 }, new[] { 100, 101 });

        var trial = outcome.Trial;
        Assert.Equal(new[] { "Uniform", "Correlation+shrink", "Mi" }, trial.Rows.Select(r => r.Label));
        Assert.Equal(6, outcome.TrialRuns.Count);
        Assert.Equal(new[] { "Correlation+shrink+mm", "Mi+mm", "Uniform" }, outcome.TrialRuns.Select(r => r.Settings.Label).Distinct().Order(StringComparer.Ordinal));
        Assert.All(outcome.TrialRuns, r => Assert.Contains(r.Settings.Seed, new[] { 1, 2 }));

        // Every trial loss is 1 - the validation macro-F1 of the run of that configuration and seed.
        var labels = new[] { "Uniform", "Correlation+shrink+mm", "Mi+mm" };
        for (var c = 0; c < 3; c++)
        {
            var expected = new[] { 1, 2 }.Select(s => 1 - outcome.TrialRuns.Single(r => r.Settings.Label == labels[c] && r.Settings.Seed == s).BestValidation["macro_f1"]);
            Assert.Equal(expected, trial.Rows[c].Losses);
        }

        Assert.Equal(new[] { 100, 101 }, outcome.FreshUniform.Select(r => r.Settings.Seed));
        Assert.All(outcome.FreshUniform, r => Assert.Equal("Uniform", r.Settings.Label));
        Assert.Equal(new[] { 100, 101 }, outcome.FreshChosen.Select(r => r.Settings.Seed));
        Assert.Equal(BtwConfiguration.FromOptions(trial.Chosen).Label, outcome.FreshChosen[0].Settings.Label);
        var perSeed = outcome.FreshChosen.Zip(outcome.FreshUniform, (a, b) => a.Test["macro_f1"] - b.Test["macro_f1"]).ToArray();
        Assert.Equal(perSeed.Average(), outcome.TestDifferences["macro_f1"].Mean, 12);
        Assert.Equal(2, outcome.TestDifferences["macro_f1"].Count);
        Assert.Equal(outcome.TrialRuns.Count + outcome.FreshUniform.Count + (trial.ChosenLabel == "Uniform" ? 0 : 2), outcome.AllRuns.Count);
        Assert.Contains("chosen - Uniform", outcome.TestMarkdown(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_trial_mode_writes_the_trial_table_the_test_comparison_and_runs_csv()
    {
        var output = Directory.CreateTempSubdirectory("btw-trial-").FullName;
        try
        {
            var console = new StringWriter();
            var options = new DemoOptions
            {
                Dataset = "diabetes", Experiment = "trial", Seeds = 2, FreshSeeds = 2, Epochs = 2, MaxRows = 60, Output = output, Plain = true,
                Configurations = BtwConfiguration.ParseList("Uniform,Mi+s0.5"),
            };

            Assert.Equal(0, DemoApp.Run(options, console, DemoPaths.Discover(), "test"));

            var text = console.ToString();
            Assert.Contains("| Mi+s0.5 |", text, StringComparison.Ordinal);
            Assert.Contains("Chosen: **", text, StringComparison.Ordinal);
            Assert.Contains("| mae |", text, StringComparison.Ordinal);
            var runs = File.ReadAllLines(Path.Combine(output, "runs.csv"));
            Assert.StartsWith("dataset,mode,seed,", runs[0], StringComparison.Ordinal);
            Assert.Contains(runs, l => l.StartsWith("diabetes,Mi+s0.5+mm,2,", StringComparison.Ordinal));
            Assert.Contains(runs, l => l.StartsWith("diabetes,Uniform,101,", StringComparison.Ordinal));
            Assert.InRange(runs.Length, 1 + 4 + 2, 1 + 4 + 4);
            Assert.Contains("BtwTrial on diabetes", File.ReadAllText(Path.Combine(output, "report.md")), StringComparison.Ordinal);

            var overlapping = options with { FreshFirstSeed = 2 };
            Assert.Throws<ArgumentException>(() => DemoApp.Run(overlapping, new StringWriter(), DemoPaths.Discover(), "test"));
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    [Fact]
    public void The_command_line_selects_the_trial_and_its_fresh_seeds()
    {
        DemoOptions? seen = null;
        var command = DemoCommand.Build(o =>
        {
            seen = o;
            return 0;
        });

        Assert.Equal(0, command.Parse(new[] { "-x", "trial", "-d", "digits", "--fresh-seeds", "3", "--fresh-first-seed", "50" }).Invoke());
        Assert.Equal(("trial", "digits", 3, 50), (seen!.Experiment, seen.Dataset, seen.FreshSeeds, seen.FreshFirstSeed));
    }

    [Fact]
    public void The_grid_chooses_through_BtwTrial_and_prints_its_table()
    {
        var output = Directory.CreateTempSubdirectory("btw-grid-").FullName;
        try
        {
            var console = new StringWriter();
            var options = new DemoOptions
            {
                Dataset = "segment", Experiment = "grid", Seeds = 2, Epochs = 1, MaxRows = 60, Output = output, Plain = true, Plots = false, TensorBoard = false,
                Configurations = BtwConfiguration.ParseList("Uniform,Mi,KlMi"),
            };

            Assert.Equal(0, DemoApp.Run(options, console, DemoPaths.Discover(), "test"));

            var text = console.ToString();
            Assert.Contains("BtwTrial over the grid's runs at drop rate 0", text, StringComparison.Ordinal);
            Assert.Contains("| KlMi |", text, StringComparison.Ordinal);
            Assert.Contains("Chosen on validation at drop rate 0: **", text, StringComparison.Ordinal);
            Assert.Contains("BtwTrial over the grid's runs", File.ReadAllText(Path.Combine(output, "report.md")), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }
}
