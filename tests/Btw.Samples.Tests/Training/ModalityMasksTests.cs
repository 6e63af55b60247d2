using System;
using System.Linq;
using Btw.Demo.Training;
using Xunit;

namespace Btw.Samples.Tests.Training;

public class ModalityMasksTests
{
    [Fact]
    public void No_row_loses_every_modality_and_the_rate_is_the_conditional_one()
    {
        const int rows = 20000;
        var mask = ModalityMasks.Draw(rows, 3, 0.5, new Random(1));

        for (var r = 0; r < rows; r++)
        {
            Assert.True(mask[r * 3] || mask[r * 3 + 1] || mask[r * 3 + 2]);
        }

        // P(missing | not all missing) = (0.5 - 0.125) / (1 - 0.125) = 0.428571...
        var missing = mask.Count(p => !p) / (double)mask.Length;
        Assert.InRange(missing, 0.4286 - 0.01, 0.4286 + 0.01);
    }

    [Fact]
    public void Rate_zero_keeps_everything_and_the_draw_is_seeded()
    {
        Assert.All(ModalityMasks.Draw(100, 4, 0, new Random(3)), Assert.True);
        Assert.Equal(ModalityMasks.Draw(50, 3, 0.3, new Random(7)), ModalityMasks.Draw(50, 3, 0.3, new Random(7)));
        Assert.Throws<ArgumentOutOfRangeException>(() => ModalityMasks.Draw(5, 3, 1.0, new Random(1)));
    }

    [Fact]
    public void Derived_seeds_are_stable_and_distinct_per_stream()
    {
        Assert.Equal(Trainer.DerivedSeed(3, 1), Trainer.DerivedSeed(3, 1));
        var seeds = Enumerable.Range(0, 100).Select(s => Trainer.DerivedSeed(1, s)).ToArray();
        Assert.Equal(100, seeds.Distinct().Count());
        Assert.All(seeds, s => Assert.True(s >= 0));
    }
}

[Collection(SerialTorch.Name)]
public class EvaluationWeightTests
{
    [Fact]
    public void Row_weights_are_the_modality_weights_on_present_modalities_rescaled_to_the_present_count()
    {
        using var present = TorchSharp.torch.tensor(new[] { true, true, true, true, false, true, false, false, true }, new long[] { 3, 3 });

        using var w = Trainer.RowWeights(present, new[] { 0.5, 1.0, 1.5 });
        using var ones = Trainer.RowWeights(present, null);

        var v = w.data<float>().ToArray();
        // row 0: all present, sum 3 already -> unchanged; row 1: (0.5, 0, 1.5) * 2 / 2; row 2: only modality 2 -> 1
        Assert.Equal(new[] { 0.5f, 1f, 1.5f, 0.5f, 0f, 1.5f, 0f, 0f, 1f }, v);
        Assert.Equal(new[] { 1f, 1f, 1f, 1f, 0f, 1f, 0f, 0f, 1f }, ones.data<float>().ToArray());
        using var w2 = Trainer.RowWeights(present, new[] { 1.0, 1.0, 2.0 });
        var v2 = w2.data<float>().ToArray();
        Assert.Equal(0.75f, v2[0], 5); // 1 * 3 / 4
        Assert.Equal(1.5f, v2[2], 5);
        Assert.Equal(2f / 3, v2[3], 5); // row 1: (1, 0, 2) * 2 / 3
        Assert.Equal(4f / 3, v2[5], 5);
    }
}
