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
