using System;
using System.Linq;
using Xunit;

namespace Btw.Tests.Trial;

/// <summary>
/// BtwTrial's statistics against SciPy (Data/reference/paired_intervals.json from tests/reference/make_trial_reference.py):
/// the Student-t quantiles, each candidate's paired mean difference, standard deviation and Bonferroni interval, and the
/// choice.
/// </summary>
public class PairedIntervalReferenceTests
{
    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var c in TrialReference.Cases)
        {
            data.Add(c.Name);
        }

        return data;
    }

    [Fact]
    public void Student_t_quantiles_equal_scipy()
    {
        var quantiles = TrialReference.Quantiles;
        Assert.Equal(30, quantiles.Count);
        foreach (var q in quantiles)
        {
            // PairedInterval.Quantile takes the two-sided level: p = 1 - (1 - level) / 2, so level = 2p - 1. Math.NET's
            // quantiles agree with SciPy's to 2.6e-9 relative at worst (t(0.9, 29)), most to 1e-11 or better; its CDF
            // carries errors of that size, so a Newton step does not improve them.
            var t = PairedInterval.Quantile(2 * q.P - 1, q.Df);
            Assert.True(Math.Abs(t - q.T) <= 1e-8 * q.T, $"t({q.P}, {q.Df}) = {t:R}, SciPy {q.T:R}");
        }
    }

    [Fact]
    public void Textbook_constants_and_closed_forms_are_reproduced()
    {
        // Independent of SciPy: the 97.5% point of Student's t with 4 degrees of freedom, as printed in tables.
        Assert.Equal(2.7764451051977987, PairedInterval.Quantile(0.95, 4), 1e-12);
        // Closed forms: one degree of freedom is the Cauchy distribution, t(p, 1) = tan(pi (p - 1/2)); for two,
        // t(p, 2) = (2p - 1) / sqrt(2 p (1 - p)).
        foreach (var level in new[] { 0.8, 0.95, 0.975, 0.99 })
        {
            var p = 1 - (1 - level) / 2;
            Assert.Equal(1, PairedInterval.Quantile(level, 1) / Math.Tan(Math.PI * (p - 0.5)), 1e-9);
            Assert.Equal(1, PairedInterval.Quantile(level, 2) / ((2 * p - 1) / Math.Sqrt(2 * p * (1 - p))), 1e-8);
        }
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Rows_and_choice_equal_the_hand_computed_paired_intervals(string name)
    {
        var reference = TrialReference.Case(name);
        var table = new LossTable(reference.Uniform, reference.Candidates.Select(c => (c.Label, c.Losses)).ToList());

        var result = BtwTrial.Run(3, BtwTask.Classification, table.Loss, table.Options(reference.Confidence));

        Assert.Equal(reference.CandidateConfidence, result.CandidateConfidence, 1e-15);
        Assert.Equal(reference.Confidence, result.Confidence);
        Assert.Equal(Enumerable.Range(0, reference.Uniform.Length), result.Seeds);
        Assert.Equal(1 + reference.Candidates.Count, result.Rows.Count);

        var uniform = result.Rows[0];
        Assert.True(uniform.IsUniform);
        Assert.Equal(BtwTrial.UniformLabel, uniform.Label);
        Assert.Equal(reference.Uniform, uniform.Losses);
        Assert.Equal(reference.UniformMeanLoss, uniform.MeanLoss, 1e-12);
        Assert.Equal((0.0, 0.0, 0.0, 0.0, false), (uniform.Difference, uniform.DifferenceStdDev, uniform.Lower, uniform.Upper, uniform.Qualifies));

        foreach (var (expected, row) in reference.Candidates.Zip(result.Rows.Skip(1)))
        {
            Assert.Equal(expected.Label, row.Label);
            Assert.False(row.IsUniform);
            Assert.Equal(expected.Losses, row.Losses);
            Assert.Equal(expected.MeanLoss, row.MeanLoss, 1e-12);
            Assert.Equal(expected.Difference, row.Difference, 1e-12);
            Assert.Equal(expected.StdDev, row.DifferenceStdDev, 1e-12);
            Assert.True(Math.Abs(expected.Lower - row.Lower) <= 1e-8 * Math.Max(1, Math.Abs(expected.Lower)), $"{expected.Label}: lower {row.Lower:R}, SciPy {expected.Lower:R}");
            Assert.True(Math.Abs(expected.Upper - row.Upper) <= 1e-8 * Math.Max(1, Math.Abs(expected.Upper)), $"{expected.Label}: upper {row.Upper:R}, SciPy {expected.Upper:R}");
            Assert.Equal(expected.Qualifies, row.Qualifies);
        }

        Assert.Equal(reference.Chosen, result.ChosenLabel);
    }

    [Fact]
    public void The_first_case_by_hand_differences_mean_sd_and_interval()
    {
        // Differences 0.03, 0.02, 0.02, 0.04, 0.01: mean 0.024, sd sqrt(0.00052 / 4) = 0.0114018, t(0.975, 4) = 2.7764451,
        // half width 2.7764451 * 0.0114018 / sqrt(5) = 0.0141571.
        var table = new LossTable([0.30, 0.32, 0.28, 0.31, 0.29], [("A", [0.27, 0.30, 0.26, 0.27, 0.28])]);

        var row = BtwTrial.Run(3, BtwTask.Classification, table.Loss, table.Options()).Rows[1];

        Assert.Equal(0.024, row.Difference, 1e-12);
        Assert.Equal(Math.Sqrt(0.00052 / 4), row.DifferenceStdDev, 1e-12);
        var half = 2.7764451051977987 * Math.Sqrt(0.00052 / 4) / Math.Sqrt(5);   // 0.0141571
        Assert.Equal(0.024 - half, row.Lower, 1e-12);
        Assert.Equal(0.024 + half, row.Upper, 1e-12);
        Assert.Equal(0.276, row.MeanLoss, 1e-12);
    }
}
