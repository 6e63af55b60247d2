using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Btw.Tests.Weighting;

/// <summary>
/// <see cref="BtwShrinkage.EmpiricalBayes"/> against known truth, through the weighter: views of equal information keep
/// weights near 1 at small and large N; a pure-noise view's weight falls as N grows; without shrinkage the same small
/// epochs move the weights on noise alone. One epoch, Alpha = 1 (the weights are the fold's new weights), fixed seeds.
/// </summary>
public class ShrinkageTests(ITestOutputHelper output)
{
    /// <summary>
    /// The band around 1 that views of equal information stay in with shrinkage. In about 95% of epochs their shares are
    /// exactly uniform (the spread of their estimates stays under the noise gate); in the others the weights move partly
    /// (the largest deviation among these 30 folds is 0.117). Without shrinkage the same folds reach 0.000 and 2.997.
    /// </summary>
    private const double EqualBand = 0.15;

    [Theory]
    [InlineData(BtwTask.Regression, BtwWeighting.Mi, 60)]
    [InlineData(BtwTask.Regression, BtwWeighting.Mi, 10_000)]
    [InlineData(BtwTask.Classification, BtwWeighting.Mi, 60)]
    [InlineData(BtwTask.Classification, BtwWeighting.Mi, 10_000)]
    [InlineData(BtwTask.Regression, BtwWeighting.Correlation, 60)]
    [InlineData(BtwTask.Classification, BtwWeighting.Correlation, 10_000)]
    public void Views_of_equal_information_keep_weights_near_one(BtwTask task, BtwWeighting mode, int n)
    {
        for (var seed = 0; seed < 5; seed++)
        {
            var shrunk = MeanWeights(task, mode, BtwShrinkage.EmpiricalBayes, n, seed, [0.5, 0.5, 0.5]);
            var plain = MeanWeights(task, mode, BtwShrinkage.None, n, seed, [0.5, 0.5, 0.5]);
            output.WriteLine($"seed {seed}: shrunk {Format(shrunk)}   none {Format(plain)}");
            Assert.All(shrunk, w => Assert.InRange(w, 1 - EqualBand, 1 + EqualBand));
        }
    }

    [Theory]
    [InlineData(BtwTask.Regression, BtwWeighting.Mi)]
    [InlineData(BtwTask.Classification, BtwWeighting.Mi)]
    [InlineData(BtwTask.Regression, BtwWeighting.Correlation)]
    public void A_pure_noise_view_loses_weight_as_n_grows(BtwTask task, BtwWeighting mode)
    {
        int[] sizes = [30, 300, 3000, 30_000];
        var noise = new double[sizes.Length];
        for (var s = 0; s < sizes.Length; s++)
        {
            // The mean over five seeds of the noise view's weight (view 2: it carries nothing about the fused output).
            noise[s] = Enumerable.Range(0, 5).Average(seed => MeanWeights(task, mode, BtwShrinkage.EmpiricalBayes, sizes[s], seed, [0.5, 0.5, 0.0])[2]);
        }

        output.WriteLine(string.Join("  ", sizes.Select((n, i) => $"N {n}: {noise[i]:0.000}")));
        for (var s = 1; s < sizes.Length; s++)
        {
            Assert.True(noise[s] < noise[s - 1], $"the noise view's weight did not fall from N = {sizes[s - 1]} ({noise[s - 1]}) to N = {sizes[s]} ({noise[s]})");
        }

        Assert.InRange(noise[0], 0.7, 1.0);
        Assert.InRange(noise[^1], 0.0, 0.3);
    }

    [Fact]
    public void Without_shrinkage_sixty_rows_of_equal_views_move_the_weights_further_than_with_it()
    {
        double Spread(BtwShrinkage shrinkage) => Enumerable.Range(0, 5)
            .Average(seed => MeanWeights(BtwTask.Regression, BtwWeighting.Mi, shrinkage, 60, seed, [0.5, 0.5, 0.5]).Max(w => Math.Abs(w - 1)));
        var none = Spread(BtwShrinkage.None);
        var shrunk = Spread(BtwShrinkage.EmpiricalBayes);
        output.WriteLine($"mean largest |w - 1|: none {none:0.000}, shrunk {shrunk:0.000}");
        Assert.True(none > 2 * shrunk && none > EqualBand, $"none {none}, shrunk {shrunk}");
    }

    [Fact]
    public void The_report_carries_the_standard_error_its_interval_and_the_shrinkage_factor()
    {
        var report = Fold(BtwTask.Regression, BtwWeighting.Mi, BtwShrinkage.EmpiricalBayes, 200, 1, [0.9, 0.5, 0.0]).Report;
        foreach (var m in report.Modalities)
        {
            Assert.True(m.MutualInformationStandardError > 0);
            Assert.Equal(Math.Max(0, m.MutualInformation - (2.262157162798205 * m.MutualInformationStandardError)), m.MutualInformationLower, 12);
            Assert.Equal(m.MutualInformation + (2.262157162798205 * m.MutualInformationStandardError), m.MutualInformationUpper, 12);
            Assert.False(m.CorrelationEstimated);
            Assert.Equal(0, m.CorrelationStandardError);
            Assert.InRange(m.MutualInformationShrinkage, 0, 1);
            Assert.Equal(0, m.CorrelationShrinkage);      // the Mi mode does not use the correlation: not estimated (ModalityStatistics = Used)
        }

        // The informative views (signal 0.9 and 0.5) stand apart from the noise view at N = 200: partial shrinkage only.
        Assert.InRange(report.Modalities[0].MutualInformationShrinkage, 1e-6, 0.5);

        Assert.Contains("MI se", report.ToTable(), StringComparison.Ordinal);
        var none = Fold(BtwTask.Regression, BtwWeighting.Mi, BtwShrinkage.None, 200, 1, [0.9, 0.5, 0.0]).Report;
        Assert.All(none.Modalities, m => Assert.Equal((0.0, 0.0), (m.MutualInformationShrinkage, m.CorrelationShrinkage)));
        Assert.Equal(report.Modalities.Select(m => m.MutualInformationStandardError), none.Modalities.Select(m => m.MutualInformationStandardError));
    }

    private static string Format(double[] w) => string.Join(" ", w.Select(v => v.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture)));

    private static double[] MeanWeights(BtwTask task, BtwWeighting mode, BtwShrinkage shrinkage, int n, int seed, double[] signal) =>
        Fold(task, mode, shrinkage, n, seed, signal).Report.Modalities.Select(m => m.MeanWeight).ToArray();

    /// <summary>
    /// One epoch of n examples: a fused output y and, per view, an output carrying y with signal share s (0 = pure noise):
    /// regression u = s y + sqrt(1 - s^2) e; classification (4 classes) the fused label with probability s, else a random
    /// one, as one-hot logits of a random height in [3, 4) (so the agreement behind the correlation varies).
    /// </summary>
    private static (BtwWeighter Weighter, BtwEpochReport Report) Fold(BtwTask task, BtwWeighting mode, BtwShrinkage shrinkage, int n, int seed, double[] signal)
    {
        var m = signal.Length;
        var random = new Random(1000 + seed);
        var weighter = new BtwWeighter(new BtwOptions { Modalities = m, Task = task, Weighting = mode, Alpha = 1.0, Shrinkage = shrinkage });
        const int classes = 4;
        var width = task == BtwTask.Regression ? 1 : classes;
        var multi = new float[n * width];
        var uni = Enumerable.Range(0, m).Select(_ => new float[n * width]).ToArray();
        for (var i = 0; i < n; i++)
        {
            if (task == BtwTask.Regression)
            {
                var y = Normal(random);
                multi[i] = (float)y;
                for (var j = 0; j < m; j++)
                {
                    uni[j][i] = (float)((signal[j] * y) + (Math.Sqrt(1 - (signal[j] * signal[j])) * Normal(random)));
                }
            }
            else
            {
                var label = random.Next(classes);
                multi[(i * classes) + label] = 3f + (float)random.NextDouble();
                for (var j = 0; j < m; j++)
                {
                    var own = random.NextDouble() < signal[j] ? label : random.Next(classes);
                    uni[j][(i * classes) + own] = 3f + (float)random.NextDouble();
                }
            }
        }

        using (NewDisposeScope())
        {
            long[] shape = task == BtwTask.Regression ? [n] : [n, classes];
            var ids = tensor(Enumerable.Range(0, n).Select(i => (long)i).ToArray());
            weighter.Observe(ids, uni.Select(u => tensor(u, shape)).ToList(), tensor(multi, shape));
        }

        var report = weighter.EndEpoch();
        weighter.Dispose();
        return (weighter, report);
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble())) * Math.Cos(2.0 * Math.PI * random.NextDouble());
}
