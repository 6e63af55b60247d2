using System;
using System.Linq;
using Btw.Tests.Support;
using Btw.Weighting;
using Xunit;

namespace Btw.Tests.Weighting;

/// <summary>
/// Every branch and clamp of the validation-driven EMA factor (<see cref="AlphaSchedule"/>, used by
/// <see cref="BtwWeighter.EndEpoch(double)"/>) pinned with numbers worked out by hand: each test fails if its branch or
/// clamp is removed.
/// </summary>
public class AlphaScheduleTests
{
    private static BtwOptions Moving(double alpha = 0.5, double step = 0.1, double min = 0.05, double max = 1.0) =>
        new() { Modalities = 2, Alpha = alpha, AlphaStep = step, AlphaMin = min, AlphaMax = max };

    [Fact]
    public void The_first_loss_only_records_it()
    {
        // Without the "no best loss yet" branch, 0.9 < infinity would move alpha down to 0.4.
        Assert.Equal(0.5, AlphaSchedule.Next(0.5, double.PositiveInfinity, 0.9, Moving()));
    }

    [Fact]
    public void A_zero_step_never_moves_alpha_even_below_the_default_lower_bound()
    {
        // Alpha 0.01 lies below the default AlphaMin 0.05: without the "step is 0" branch the clamp would lift it to 0.05.
        var fixedAlpha = new BtwOptions { Modalities = 2, Alpha = 0.01 };
        Assert.Equal(0.01, AlphaSchedule.Next(0.01, 1.0, 0.5, fixedAlpha));
        Assert.Equal(0.01, AlphaSchedule.Next(0.01, 1.0, 2.0, fixedAlpha));
    }

    [Fact]
    public void A_better_loss_moves_alpha_down_by_the_step_and_any_other_up()
    {
        Assert.Equal(0.4, AlphaSchedule.Next(0.5, 1.0, 0.9, Moving()), 15);
        Assert.Equal(0.6, AlphaSchedule.Next(0.5, 1.0, 1.1, Moving()), 15);
        Assert.Equal(0.6, AlphaSchedule.Next(0.5, 1.0, 1.0, Moving()), 15);   // equal is not better
    }

    [Fact]
    public void The_lower_clamp_holds_alpha_at_AlphaMin()
    {
        // 0.5 - 0.3 = 0.2 < AlphaMin 0.3.
        Assert.Equal(0.3, AlphaSchedule.Next(0.5, 1.0, 0.5, Moving(step: 0.3, min: 0.3)));
    }

    [Fact]
    public void The_upper_clamp_holds_alpha_at_AlphaMax()
    {
        // 0.5 + 0.3 = 0.8 > AlphaMax 0.7.
        Assert.Equal(0.7, AlphaSchedule.Next(0.5, 1.0, 2.0, Moving(step: 0.3, max: 0.7)));
    }

    [Fact]
    public void EndEpoch_with_losses_walks_the_schedule_and_keeps_the_best_loss()
    {
        using var weighter = new BtwWeighter(Moving(step: 0.2, min: 0.2, max: 0.8));
        var ids = Enumerable.Range(0, 12).Select(i => (long)i).ToArray();
        double[] losses = [1.0, 0.8, 0.9, 0.7, 0.6, 0.5, 2.0, 2.0, 2.0];
        double[] alphas = [0.5, 0.3, 0.5, 0.3, 0.2, 0.2, 0.4, 0.6, 0.8];   // record; down; up; down; clamp 0.2; clamp; up; up; up
        for (var e = 0; e < losses.Length; e++)
        {
            SyntheticBatch.Classification(new Random(e), ids, 2, 3).ObserveInto(weighter);
            var report = weighter.EndEpoch(losses[e]);
            Assert.Equal(alphas[e], report.Alpha, 12);
            Assert.Equal(alphas[e], weighter.Alpha, 12);
        }

        Assert.Equal(0.5, weighter.BestValidationLoss);
        SyntheticBatch.Classification(new Random(99), ids, 2, 3).ObserveInto(weighter);
        Assert.Equal(0.8, weighter.EndEpoch(3.0).Alpha, 12);   // the upper clamp
    }
}
