using System.Collections.Generic;
using System.Linq;
using Xunit;
using Xunit.Abstractions;

namespace Btw.Tests.Trial;

/// <summary>The choice rule: Uniform unless a candidate's Bonferroni-corrected paired interval lies above 0.</summary>
public class TrialChoiceTests(ITestOutputHelper log)
{
    [Fact]
    public void A_candidate_better_by_noise_alone_is_not_chosen()
    {
        // The candidate's losses are Uniform's plus zero-mean noise (sd 0.02): with this noise seed it even has the lower
        // mean loss, but its interval includes 0.
        var uniform = LossTable.Baseline(5, 0.3, seed: 1);
        var table = new LossTable(uniform, [("noise", LossTable.Shifted(uniform, 0, 0.02, noiseSeed: 14))]);

        var result = BtwTrial.Run(3, BtwTask.Classification, table.Loss, table.Options());

        var row = result.Rows[1];
        Assert.True(row.Difference > 0, $"the noise seed should make the candidate look better on average; difference {row.Difference}");
        Assert.True(row.Lower < 0 && row.Upper > 0, $"interval [{row.Lower}, {row.Upper}]");
        Assert.False(row.Qualifies);
        Assert.Equal(BtwTrial.UniformLabel, result.ChosenLabel);
        Assert.Equal(BtwWeighting.Uniform, result.Chosen.Weighting);
    }

    [Fact]
    public void A_candidate_consistently_better_by_a_clear_margin_is_chosen()
    {
        // 0.05 lower loss on every seed, noise sd 0.01, on top of a seed-to-seed spread of 0.05 shared by both.
        var uniform = LossTable.Baseline(5, 0.3, seed: 2);
        var table = new LossTable(uniform, [("better", LossTable.Shifted(uniform, -0.05, 0.01, noiseSeed: 8))]);

        var result = BtwTrial.Run(3, BtwTask.Classification, table.Loss, table.Options());

        Assert.True(result.Rows[1].Lower > 0, $"lower end {result.Rows[1].Lower}");
        Assert.True(result.Rows[1].Qualifies);
        Assert.Equal("better", result.ChosenLabel);
        Assert.Equal(BtwWeighting.Kl, result.Chosen.Weighting);   // the table's first candidate weighting
    }

    [Fact]
    public void Bonferroni_makes_a_borderline_candidate_that_passes_alone_fail_beside_a_second_one()
    {
        // Differences 0.01, 0.03, 0.00, 0.04, 0.02: t statistic 2.83, between t(0.975, 4) = 2.776 and t(0.9875, 4) = 3.495.
        double[] uniform = [0.50, 0.52, 0.47, 0.55, 0.51];
        double[] borderline = [0.49, 0.49, 0.47, 0.51, 0.49];
        var alone = new LossTable(uniform, [("A", borderline)]);
        var withNoise = new LossTable(uniform, [("A", borderline), ("B", [0.51, 0.50, 0.48, 0.56, 0.50])]);

        var one = BtwTrial.Run(3, BtwTask.Classification, alone.Loss, alone.Options());
        var two = BtwTrial.Run(3, BtwTask.Classification, withNoise.Loss, withNoise.Options());

        Assert.Equal(0.95, one.CandidateConfidence, 1e-15);
        Assert.Equal(0.975, two.CandidateConfidence, 1e-15);
        Assert.True(one.Rows[1].Qualifies, $"alone: lower end {one.Rows[1].Lower}");
        Assert.Equal("A", one.ChosenLabel);
        Assert.Equal(one.Rows[1].Difference, two.Rows[1].Difference, 15);   // same differences, wider interval
        Assert.True(two.Rows[1].Lower < 0, $"with two candidates: lower end {two.Rows[1].Lower}");
        Assert.False(two.Rows[1].Qualifies);
        Assert.Equal(BtwTrial.UniformLabel, two.ChosenLabel);
    }

    [Fact]
    public void Under_pure_noise_the_false_choice_rate_matches_the_interval_level()
    {
        // 2,000 trials of one candidate whose losses are Uniform's plus N(0, 0.02^2) noise: the two-sided 95% interval lies
        // above 0 with probability 2.5% (expected 50, binomial sd 7). With three such candidates, Bonferroni keeps the rate
        // of choosing any of them at most 2.5% (at most 50 of 2,000; about 49 expected as the candidates are independent).
        var single = 0;
        var family = 0;
        for (var trial = 0; trial < 2000; trial++)
        {
            var uniform = LossTable.Baseline(5, 0.3, seed: 10_000 + trial);
            var one = new LossTable(uniform, [("noise", LossTable.Shifted(uniform, 0, 0.02, noiseSeed: 20_000 + trial))]);
            var three = new LossTable(uniform,
            [
                ("n1", LossTable.Shifted(uniform, 0, 0.02, noiseSeed: 30_000 + trial)),
                ("n2", LossTable.Shifted(uniform, 0, 0.02, noiseSeed: 40_000 + trial)),
                ("n3", LossTable.Shifted(uniform, 0, 0.02, noiseSeed: 50_000 + trial)),
            ]);
            single += BtwTrial.Run(3, BtwTask.Classification, one.Loss, one.Options()).ChosenLabel == BtwTrial.UniformLabel ? 0 : 1;
            family += BtwTrial.Run(3, BtwTask.Classification, three.Loss, three.Options()).ChosenLabel == BtwTrial.UniformLabel ? 0 : 1;
        }

        log.WriteLine($"chosen under pure noise, of 2,000 trials: one candidate {single}, any of three {family}");
        Assert.InRange(single, 30, 72);   // 2.5% of 2,000 = 50, +- 3 binomial sd
        Assert.InRange(family, 27, 72);
    }

    [Fact]
    public void Of_several_qualifying_candidates_the_one_with_the_greatest_mean_improvement_is_chosen()
    {
        var uniform = LossTable.Baseline(8, 0.4, seed: 3);
        var table = new LossTable(uniform,
        [
            ("good", LossTable.Shifted(uniform, -0.05, 0.005, noiseSeed: 11)),
            ("best", LossTable.Shifted(uniform, -0.08, 0.005, noiseSeed: 12)),
            ("worse", LossTable.Shifted(uniform, +0.05, 0.005, noiseSeed: 13)),
        ]);

        var result = BtwTrial.Run(3, BtwTask.Classification, table.Loss, table.Options());

        Assert.Equal([false, true, true, false], result.Rows.Select(r => r.Qualifies));
        Assert.True(result.Rows[3].Upper < 0, "the worse candidate's interval lies below 0");
        Assert.Equal("best", result.ChosenLabel);
        Assert.Equal(BtwWeighting.Mi, result.Chosen.Weighting);
    }

    [Fact]
    public void A_candidate_identical_to_Uniform_never_qualifies()
    {
        // Every difference exactly 0: sd 0, interval [0, 0], and the rule needs the lower end strictly above 0.
        var uniform = LossTable.Baseline(5, 0.3, seed: 4);
        var table = new LossTable(uniform, [("same", (double[])uniform.Clone())]);

        var row = BtwTrial.Run(3, BtwTask.Classification, table.Loss, table.Options()).Rows[1];

        Assert.Equal((0.0, 0.0, 0.0, 0.0, false), (row.Difference, row.DifferenceStdDev, row.Lower, row.Upper, row.Qualifies));
    }

    [Fact]
    public void The_chosen_options_are_the_candidates_own_settings_and_a_new_copy_on_each_read()
    {
        var uniform = LossTable.Baseline(5, 0.3, seed: 5);
        var candidate = new BtwOptions { Modalities = 2, Task = BtwTask.Regression, Weighting = BtwWeighting.Mi, Strength = 0.25, Alpha = 0.7 };
        var result = BtwTrial.Run(2, BtwTask.Regression, (o, s) => o.Weighting == BtwWeighting.Uniform ? uniform[s] : uniform[s] - 0.1,
            new BtwTrialOptions { Candidates = [new BtwTrialCandidate("mine", candidate)] });

        var chosen = result.Chosen;
        Assert.Equal("mine", result.ChosenLabel);
        Assert.Equal((2, BtwTask.Regression, BtwWeighting.Mi, 0.25, 0.7), (chosen.Modalities, chosen.Task, chosen.Weighting, chosen.Strength, chosen.Alpha));
        chosen.Strength = 1;
        Assert.Equal(0.25, result.Chosen.Strength);
        Assert.NotSame(result.Chosen, result.Chosen);
        candidate.Strength = 0.5;   // the trial took its own copy at the start
        Assert.Equal(0.25, result.Rows[1].Options.Strength);
    }

    [Fact]
    public void When_nothing_qualifies_the_choice_is_plain_Uniform_for_the_trials_modalities_and_task()
    {
        var result = BtwTrial.Run(4, BtwTask.Regression, (o, s) => 1.0 + s, new BtwTrialOptions { Seeds = 3 });

        var chosen = result.Chosen;
        Assert.Equal(BtwTrial.UniformLabel, result.ChosenLabel);
        Assert.Equal((4, BtwTask.Regression, BtwWeighting.Uniform), (chosen.Modalities, chosen.Task, chosen.Weighting));
        Assert.Equal(new BtwOptions().Strength, chosen.Strength);
    }

    [Theory]
    [InlineData(BtwTask.Classification)]
    [InlineData(BtwTask.Regression)]
    public void The_default_candidates_are_Correlation_with_shrinkage_and_Mi(BtwTask task)
    {
        var defaults = BtwTrial.DefaultCandidates(3, task);
        var recommended = BtwOptions.Recommended(3, task);
        // Recommended comes first only where it is not Uniform itself (today it is Uniform for both tasks).
        var recommendedIsUniform = recommended.Weighting == BtwWeighting.Uniform || recommended.Strength == 0;
        string[] expected = recommendedIsUniform ? ["Correlation+shrink", "Mi"] : ["Recommended", "Correlation+shrink", "Mi"];

        Assert.Equal(expected, defaults.Select(c => c.Label));
        foreach (var candidate in defaults)
        {
            var options = candidate.Options;
            Assert.Equal((3, task), (options.Modalities, options.Task));
            var want = candidate.Label switch
            {
                "Recommended" => (recommended.Weighting, recommended.Strength, recommended.UnseenWeights, recommended.Shrinkage),
                "Correlation+shrink" => (BtwWeighting.Correlation, 1.0, BtwUnseenWeights.ModalityMean, BtwShrinkage.EmpiricalBayes),
                _ => (BtwWeighting.Mi, 1.0, BtwUnseenWeights.ModalityMean, BtwShrinkage.None),
            };
            Assert.Equal(want, (options.Weighting, options.Strength, options.UnseenWeights, options.Shrinkage));
        }

        // A trial without candidates runs exactly these after Uniform, seed by seed.
        var seen = new List<BtwWeighting>();
        var result = BtwTrial.Run(3, task, (o, s) => { seen.Add(o.Weighting); return 1; }, new BtwTrialOptions { Seeds = 2 });
        Assert.Equal(expected.Prepend(BtwTrial.UniformLabel), result.Rows.Select(r => r.Label));
        var perSeed = defaults.Select(c => c.Options.Weighting).Prepend(BtwWeighting.Uniform).ToList();
        Assert.Equal(perSeed.Concat(perSeed), seen);
    }
}
