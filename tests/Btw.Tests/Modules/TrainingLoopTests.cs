using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Btw.Tests.Support;
using MyApp;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Btw.Tests.Modules;

[Collection(TorchGlobalStateGroup.Name)]
public class TrainingLoopTests
{
    private readonly ITestOutputHelper log;

    public TrainingLoopTests(ITestOutputHelper log) => this.log = log;

    [Fact]
    public void The_full_loop_learns_and_holds_the_live_tensor_count_steady()
    {
        manual_seed(50);
        var batches = SyntheticProblem.Create(examples: 320, batchSize: 32, classes: 3, width: 6,
            scales: new[] { 1.5, 1.0, 1.0 }, missing: 0.15, seed: 51);
        try
        {
            var options = new BtwMoEOptions { Modalities = 3, EmbeddingDim = 16, Outputs = 3, Experts = 4, TopK = 2 };
            using var model = new ThreeModalityModel(options, 6, 6, 6);
            using var weighter = new BtwWeighter(new BtwOptions { Modalities = 3, Task = BtwTask.Classification, Weighting = BtwWeighting.KlMi });
            var statistics = DisposeScopeManager.Statistics;
            var liveAfterEpoch = new List<long>();

            // 10 batches per epoch: epoch 1 ends after step 10, epoch 20 after step 200.
            var losses = Training.Run(model, weighter, batches, epochs: 20, learningRate: 1e-2,
                afterEpoch: _ => liveAfterEpoch.Add(statistics.ThreadTotalLiveCount));

            log.WriteLine($"epoch losses: {string.Join(", ", losses.Select(l => l.ToString("F3", System.Globalization.CultureInfo.InvariantCulture)))}");
            log.WriteLine($"live tensors after steps 10, 100, 200: {liveAfterEpoch[0]}, {liveAfterEpoch[9]}, {liveAfterEpoch[19]}");
            Assert.True(losses[^1] < 0.5 * losses[0], $"final epoch loss {losses[^1]} is not below half the first epoch's {losses[0]}");
            Assert.Equal(liveAfterEpoch[0], liveAfterEpoch[19]);
            Assert.Equal(20, weighter.CompletedEpochs);
        }
        finally
        {
            SyntheticProblem.Dispose(batches);
        }
    }

    [Fact]
    public void KlMi_gives_a_pure_noise_modality_the_lowest_mutual_information_and_the_lowest_weight()
    {
        manual_seed(52);
        // Modality 0 informative, 1 weak, 2 pure noise; all present.
        var batches = SyntheticProblem.Create(examples: 512, batchSize: 64, classes: 4, width: 8,
            scales: new[] { 1.5, 0.4, 0.0 }, missing: 0.0, seed: 53);
        try
        {
            var options = new BtwMoEOptions { Modalities = 3, EmbeddingDim = 16, Outputs = 4, Experts = 4, TopK = 2 };
            using var model = new ThreeModalityModel(options, 8, 8, 8);
            using var weighter = new BtwWeighter(new BtwOptions { Modalities = 3, Task = BtwTask.Classification, Weighting = BtwWeighting.KlMi });
            var reports = new List<BtwEpochReport>();

            Training.Run(model, weighter, batches, epochs: 4, learningRate: 1e-2, afterEpoch: reports.Add);

            foreach (var report in reports)
            {
                log.WriteLine(report.ToTable());
            }

            var last = reports[^1].Modalities;
            Assert.True(last[2].MutualInformation < Math.Min(last[0].MutualInformation, last[1].MutualInformation),
                $"MI (nats): informative {last[0].MutualInformation}, weak {last[1].MutualInformation}, noise {last[2].MutualInformation}");
            Assert.True(last[2].MeanWeight < Math.Min(last[0].MeanWeight, last[1].MeanWeight),
                $"mean weights: informative {last[0].MeanWeight}, weak {last[1].MeanWeight}, noise {last[2].MeanWeight}");
            Assert.True(last[0].MutualInformation > 0.5, $"the informative modality's MI {last[0].MutualInformation} nats shows no learning");
        }
        finally
        {
            SyntheticProblem.Dispose(batches);
        }
    }

    [Fact]
    public void Weights_from_the_weighter_are_constants_for_the_model()
    {
        using var scope = NewDisposeScope();
        manual_seed(54);
        var batches = SyntheticProblem.Create(examples: 16, batchSize: 16, classes: 3, width: 4,
            scales: new[] { 1.0, 1.0, 1.0 }, missing: 0.2, seed: 55);
        try
        {
            using var model = new ThreeModalityModel(new BtwMoEOptions { Modalities = 3, EmbeddingDim = 8, Outputs = 3 }, 4, 4, 4);
            using var weighter = new BtwWeighter(new BtwOptions { Modalities = 3, Weighting = BtwWeighting.KlMi });
            var batch = batches[0];
            var weights = weighter.WeightsFor(batch.Ids, batch.Present);

            using var output = model.call(new BtwInput(batch.Inputs, weights, batch.Present));
            BtwLoss.Compute(output, batch.Labels).backward();

            Assert.False(weights.requires_grad);
            Assert.Null(weights.grad);
            // Missing modalities get weight 0 from the weighter and are not routed either way.
            Assert.Equal(0f, weights.masked_select(batch.Present.logical_not()).abs().sum().item<float>());
        }
        finally
        {
            SyntheticProblem.Dispose(batches);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Regression_with_mean_or_mean_and_log_variance_outputs_trains_with_the_weighter(int outputs)
    {
        manual_seed(56);
        var random = new Random(57);
        const int Examples = 256, Batch = 32, Width = 4;
        var x = Enumerable.Range(0, 2).Select(_ => Enumerable.Range(0, Examples * Width).Select(_ => (float)TestData.Gaussian(random)).ToArray()).ToArray();
        // y depends on modality 0 only; modality 1 is noise.
        var y = Enumerable.Range(0, Examples).Select(i => (float)(2.0 * x[0][i * Width] - x[0][i * Width + 1] + 0.1 * TestData.Gaussian(random))).ToArray();
        var options = new BtwMoEOptions { Modalities = 2, EmbeddingDim = 16, Outputs = outputs, Experts = 4, TopK = 2 };
        using var model = new LinearEncoderModel(options, Width, Width);
        var declared = outputs == 2 ? BtwRegressionOutput.MeanAndLogVariance : BtwRegressionOutput.Mean;
        using var weighter = new BtwWeighter(new BtwOptions { Modalities = 2, Task = BtwTask.Regression, Weighting = BtwWeighting.Kl, RegressionOutput = declared });
        using var optimizer = optim.Adam(model.parameters(), 1e-2);
        var lossOptions = new BtwLossOptions { Task = BtwTask.Regression, RegressionOutput = declared };
        Tensor[] Slice(int start, int count) => x.Select(v => tensor(v.AsSpan(start * Width, count * Width).ToArray(), new long[] { count, Width })).ToArray();
        double[] meanWeights = { 1.0, 1.0 };

        // Multimodal MAE in evaluation mode with weights 0: each example's stored weights, 1: none (all ones),
        // 2: each modality's mean weight of the last epoch.
        double MultimodalMae(int mode = 0)
        {
            using var scope = NewDisposeScope();
            model.eval();
            var weights = mode == 0 ? weighter.WeightsFor(arange(0, Examples, ScalarType.Int64))
                : mode == 1 ? null
                : tensor(meanWeights.Select(v => (float)v).ToArray()).unsqueeze(0).expand(Examples, 2);
            using var output = model.call(new BtwInput(Slice(0, Examples), weights));
            model.train();
            return (output.Multimodal.select(1, 0) - tensor(y)).abs().mean().item<float>();
        }

        var before = MultimodalMae();
        for (var epoch = 0; epoch < 8; epoch++)
        {
            for (var start = 0; start < Examples; start += Batch)
            {
                using var scope = NewDisposeScope();
                var ids = arange(start, start + Batch, ScalarType.Int64);
                using var output = model.call(new BtwInput(Slice(start, Batch), weighter.WeightsFor(ids)));
                var loss = BtwLoss.Compute(output, tensor(y.AsSpan(start, Batch).ToArray()), lossOptions);
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
                weighter.Observe(ids, output.Unimodal, output.Multimodal);
            }

            var report = weighter.EndEpoch();
            Assert.All(report.Modalities, r => Assert.True(double.IsFinite(r.MeanWeight) && r.MeanWeight > 0));
            meanWeights = report.Modalities.Select(r => r.MeanWeight).ToArray();
        }

        // Measured with the training weights: the model learned with them. With all-ones weights the same model was
        // much worse (the weights had moved far from 1), see the log line and README.md.
        var after = MultimodalMae();
        log.WriteLine($"outputs {outputs}: multimodal MAE {before:F3} -> {after:F3}; with unit weights {MultimodalMae(1):F3}, mean weights {MultimodalMae(2):F3} ({meanWeights[0]:F2}, {meanWeights[1]:F2})");
        Assert.True(after < 0.5 * before, $"multimodal MAE {before} -> {after}");
    }

    [Fact]
    public void Readme_example_code_is_the_code_that_is_tested()
    {
        var root = RepositoryFiles.Root();
        var source = File.ReadAllText(Path.Combine(root, "tests", "Btw.Tests", "Modules", "ReadmeExample.cs"));
        var match = Regex.Match(source, @"// <readme-example>\r?\n(.*?)// </readme-example>", RegexOptions.Singleline);
        Assert.True(match.Success, "the readme-example markers are missing");
        var readme = RepositoryFiles.Normalize(File.ReadAllText(Path.Combine(root, "README.md")));
        Assert.Contains(RepositoryFiles.Normalize(match.Groups[1].Value), readme, StringComparison.Ordinal);
    }
}
