using System;
using System.Linq;
using Btw.Information;
using Btw.Tests.Support;
using Xunit;

namespace Btw.Tests.Information;

/// <summary>MutualInformation.Ksg against scikit-learn 1.2.1 (values in Data/reference/mutual_information.json).</summary>
public class KsgReferenceTests
{
    public static TheoryData<string> ContinuousCases() =>
        new(MutualInformationReference.KsgCases.Where(c => !c.Ties).Select(c => c.Name));

    public static TheoryData<string> AllCases() =>
        new(MutualInformationReference.KsgCases.Select(c => c.Name));

    [Fact]
    public void The_reference_file_covers_every_generator_and_size()
    {
        var cases = MutualInformationReference.KsgCases;
        foreach (string g in new[] { "independent", "linear", "sine", "heavy" })
        {
            foreach (int n in new[] { 50, 1000, 20000 })
            {
                Assert.Contains(cases, c => c.Generator == g && c.N == n && c.K == 3);
            }
        }

        Assert.Contains(cases, c => c.Ties);
        Assert.Contains(cases, c => c.K != 3);
    }

    [Theory]
    [MemberData(nameof(ContinuousCases))]
    public void Matches_mutual_info_regression_within_1e_6(string name)
    {
        KsgReferenceCase c = MutualInformationReference.Ksg(name);
        (double[] x, double[] y) = ReferenceDatasets.Continuous(c.Generator, c.Seed, c.N);
        double mi = MutualInformation.Ksg(x, y, c.K);
        Assert.True(Math.Abs(mi - c.Sklearn) <= 1e-6, $"{name}: C# {mi:R}, sklearn {c.Sklearn:R}");
    }

    [Theory]
    [MemberData(nameof(AllCases))]
    public void Matches_sklearn_compute_mi_cc_without_jitter_to_1e_12_ties_included(string name)
    {
        KsgReferenceCase c = MutualInformationReference.Ksg(name);
        (double[] x, double[] y) = ReferenceDatasets.Continuous(c.Generator, c.Seed, c.N);
        double unclipped = KsgEstimator.EstimateUnclipped(x, y, c.K);
        Assert.True(Math.Abs(unclipped - c.ExactUnclipped) <= 1e-12, $"{name}: C# {unclipped:R}, sklearn {c.ExactUnclipped:R}");
        double mi = MutualInformation.Ksg(x, y, c.K);
        Assert.True(Math.Abs(mi - c.Exact) <= 1e-12, $"{name}: C# {mi:R}, sklearn {c.Exact:R}");
        Assert.True(mi >= 0);
    }

    [Theory]
    [MemberData(nameof(AllCases))]
    public void Standard_deviation_used_for_scaling_is_numpys_bit_for_bit(string name)
    {
        KsgReferenceCase c = MutualInformationReference.Ksg(name);
        (double[] x, double[] y) = ReferenceDatasets.Continuous(c.Generator, c.Seed, c.N);
        Assert.Equal(c.XStd, NumpySum.StandardDeviation(x));
        Assert.Equal(c.YStd, NumpySum.StandardDeviation(y));
    }

    [Fact]
    public void Some_reference_cases_are_negative_before_clipping_and_come_out_as_zero()
    {
        KsgReferenceCase c = MutualInformationReference.KsgCases.First(r => r.ExactUnclipped < 0 && !r.Ties);
        (double[] x, double[] y) = ReferenceDatasets.Continuous(c.Generator, c.Seed, c.N);
        Assert.Equal(0.0, MutualInformation.Ksg(x, y, c.K));
        Assert.True(KsgEstimator.EstimateUnclipped(x, y, c.K) < 0);
    }
}
