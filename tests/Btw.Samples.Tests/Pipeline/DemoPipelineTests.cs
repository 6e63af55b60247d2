using System;
using System.IO;
using System.Linq;
using Btw.Demo.Cli;
using Btw.Demo.Data;
using Btw.Demo.Experiments;
using Btw.Demo.Reporting;
using Btw.Demo.Training;
using Xunit;

namespace Btw.Samples.Tests.Pipeline;

[Collection(SerialTorch.Name)]
public class DemoPipelineTests
{
    [Fact]
    public void The_whole_demo_runs_on_a_tiny_slice_and_writes_report_csv_plots_and_tensorboard()
    {
        var output = Directory.CreateTempSubdirectory("btw-demo-").FullName;
        try
        {
            var console = new StringWriter();
            var options = new DemoOptions
            {
                Dataset = "segment",
                Modes = new[] { BtwWeighting.Uniform, BtwWeighting.KlMi },
                Seeds = 2,
                Epochs = 2,
                DropRates = new[] { 0.0, 0.3 },
                MaxRows = 80,
                Output = output,
                Plain = true,
            };

            var exit = DemoApp.Run(options, console, DemoPaths.Discover(), "test");

            Assert.Equal(0, exit);
            var text = console.ToString();
            Assert.Contains("| Uniform | 2 |", text, StringComparison.Ordinal);
            Assert.Contains("| KlMi | 2 |", text, StringComparison.Ordinal);
            Assert.Contains("Paired difference to Uniform", text, StringComparison.Ordinal);
            Assert.Contains("epoch 2/2 loss", text, StringComparison.Ordinal);

            var epochs = File.ReadAllLines(Path.Combine(output, "epochs.csv"));
            Assert.Equal("dataset,mode,seed,drop_rate,epoch,train_loss,val_accuracy,val_macro_f1,val_weighted_f1,weight_colour,weight_edge-texture,weight_position,mi_colour,mi_edge-texture,mi_position,seconds", epochs[0]);
            Assert.Equal(1 + 2 * 2 * 2 * 2, epochs.Length); // header + modes x seeds x drops x epochs
            Assert.Contains(epochs, l => l.StartsWith("segment,KlMi,2,0.3,2,", StringComparison.Ordinal));
            var runs = File.ReadAllLines(Path.Combine(output, "runs.csv"));
            Assert.Equal(1 + 8, runs.Length);

            var report = File.ReadAllText(Path.Combine(output, "report.md"));
            Assert.Contains("# BTW demo: segment", report, StringComparison.Ordinal);
            Assert.Contains("Modality drop rate 0.3", report, StringComparison.Ordinal);
            Assert.Contains("Truncated to at most 80 rows", report, StringComparison.Ordinal);

            var plots = Directory.GetFiles(Path.Combine(output, "plots"), "*.png");
            Assert.Contains(plots, p => p.EndsWith("validation-macro_f1-drop0.3.png", StringComparison.Ordinal));
            Assert.Contains(plots, p => p.EndsWith("weights-KlMi-drop0.png", StringComparison.Ordinal));
            Assert.All(plots, p => Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, File.ReadAllBytes(p).Take(4)));

            var events = Directory.GetFiles(Path.Combine(output, "tensorboard"), "events.out.tfevents.*", SearchOption.AllDirectories);
            Assert.Equal(8, events.Length);
            Assert.All(events, e => Assert.True(new FileInfo(e).Length > 100));
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    [Fact]
    public void A_run_is_reproducible_from_its_seed_and_uniform_weights_stay_at_one()
    {
        var split = ExperimentRunner.Truncate(DatasetCatalog.Load("segment", DemoPaths.Discover()), 100);
        var settings = new RunSettings { Dataset = "segment", Mode = BtwWeighting.KlMi, Seed = 4, Epochs = 2, DropRate = 0.3 };

        var a = Trainer.Run(split, settings);
        var b = Trainer.Run(split, settings);
        var uniform = Trainer.Run(split, settings with { Mode = BtwWeighting.Uniform });

        Assert.Equal(a.Epochs.Select(e => e.TrainLoss), b.Epochs.Select(e => e.TrainLoss));
        Assert.Equal(a.Test.Values, b.Test.Values);
        Assert.All(uniform.Epochs.SelectMany(e => e.MeanWeights), w => Assert.Equal(1.0, w, 6));
        Assert.Contains(a.Epochs[^1].MeanWeights, w => Math.Abs(w - 1) > 1e-3);
        Assert.InRange(a.BestEpoch, 1, 2);
    }

    [Fact]
    public void Missing_mnist_prints_how_to_fetch_it_and_exits_2()
    {
        var empty = Directory.CreateTempSubdirectory("btw-nomnist-").FullName;
        try
        {
            var paths = new DemoPaths(DemoPaths.Discover().DataDirectory, empty, empty);
            var console = new StringWriter();
            Assert.Equal(2, DemoApp.Run(new DemoOptions { Dataset = "mnist" }, console, paths, "test"));
            Assert.Contains("fetch-mnist.sh", console.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }

    [Fact]
    public void The_command_line_maps_to_options()
    {
        DemoOptions? seen = null;
        var command = DemoCommand.Build(o =>
        {
            seen = o;
            return 0;
        });

        var exit = command.Parse(new[] { "-d", "diabetes", "--modes", "Uniform,kl", "--seeds", "3", "--epochs", "7", "--drop", "0,0.5", "--out", "x", "--plain", "--experiment", "missing" }).Invoke();

        Assert.Equal(0, exit);
        Assert.NotNull(seen);
        Assert.Equal("diabetes", seen!.Dataset);
        Assert.Equal(new[] { BtwWeighting.Uniform, BtwWeighting.Kl }, seen.Modes);
        Assert.Equal(3, seen.Seeds);
        Assert.Equal(7, seen.Epochs);
        Assert.Equal(new[] { 0.0, 0.5 }, seen.DropRates);
        Assert.Equal("missing", seen.Experiment);
        Assert.True(seen.Plain);
        Assert.NotEqual(0, command.Parse(new[] { "--dataset", "iris" }).Invoke());
        Assert.Throws<ArgumentException>(() => DemoCommand.ParseModes("Uniform,Best"));
    }

    [Fact]
    public void No_arguments_give_the_documented_defaults()
    {
        DemoOptions? seen = null;
        var exit = DemoCommand.Build(o =>
        {
            seen = o;
            return 0;
        }).Parse(Array.Empty<string>()).Invoke();

        Assert.Equal(0, exit);
        Assert.Equal(new DemoOptions(), seen);
        Assert.Equal("segment", seen!.Dataset);
        Assert.Equal("compare", seen.Experiment);
        Assert.Null(seen.Modes);
        Assert.Equal(5, seen.Seeds);
        Assert.Equal(8, seen.Experts);
        Assert.Equal(2, seen.TopK);
        Assert.Equal(32, seen.EmbeddingDim);
        Assert.Equal(1, seen.Threads);
        Assert.Equal(0.5, seen.Alpha);
        Assert.Equal(EvaluationWeights.TrainingMean, seen.EvaluationWeights);
        Assert.Equal(30, DatasetDefaults.Epochs("segment"));
        Assert.Equal(6, DemoApp.CompareModes.Count);
    }

    [Fact]
    public void Csv_fields_are_quoted_only_when_needed()
    {
        Assert.Equal("plain", CsvExport.Escape("plain"));
        Assert.Equal("\"a,b\"", CsvExport.Escape("a,b"));
        Assert.Equal("\"say \"\"hi\"\"\"", CsvExport.Escape("say \"hi\""));
    }
}
