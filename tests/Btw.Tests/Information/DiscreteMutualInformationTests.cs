using System;
using System.Collections.Generic;
using System.Linq;
using Btw.Tests.Support;
using Xunit;

namespace Btw.Tests.Information;

/// <summary>MutualInformation.Discrete against scikit-learn's mutual_info_score, closed forms and invariances.</summary>
public class DiscreteMutualInformationTests
{
    public static TheoryData<string> Cases() => new(MutualInformationReference.DiscreteCases.Select(c => c.Name));

    private static double Entropy(int[] labels)
    {
        double n = labels.Length;
        return -labels.GroupBy(l => l).Sum(g => g.Count() / n * Math.Log(g.Count() / n));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Matches_mutual_info_score_to_1e_12(string name)
    {
        DiscreteReferenceCase c = MutualInformationReference.Discrete(name);
        (int[] a, int[] b) = ReferenceDatasets.Labels(c.Generator, c.Seed, c.N);
        double mi = MutualInformation.Discrete(a, b);
        Assert.True(Math.Abs(mi - c.Value) <= 1e-12, $"{name}: C# {mi:R}, sklearn {c.Value:R}");
    }

    [Fact]
    public void The_reference_file_covers_the_special_cases()
    {
        var names = MutualInformationReference.DiscreteCases.Select(c => c.Generator).ToHashSet();
        Assert.Superset(new HashSet<string> { "uniform", "dependent", "extreme", "single", "many", "identical" }, names);
        Assert.Contains(MutualInformationReference.DiscreteCases, c => c.Value == 0.0);
    }

    [Fact]
    public void Two_by_two_table_matches_the_closed_form()
    {
        // Counts n_00 = 3, n_01 = 1, n_10 = 2, n_11 = 4 (N = 10).
        int[] a = [0, 0, 0, 0, 1, 1, 1, 1, 1, 1];
        int[] b = [0, 0, 0, 1, 0, 0, 1, 1, 1, 1];
        double[,] n = { { 3, 1 }, { 2, 4 } };
        double[] rows = [4, 6];
        double[] cols = [5, 5];
        double expected = 0;
        for (int i = 0; i < 2; i++)
        {
            for (int j = 0; j < 2; j++)
            {
                expected += n[i, j] / 10 * Math.Log(10 * n[i, j] / (rows[i] * cols[j]));
            }
        }

        Assert.Equal(expected, MutualInformation.Discrete(a, b), 1e-15);
    }

    [Fact]
    public void Identical_labels_give_the_entropy()
    {
        (int[] a, _) = ReferenceDatasets.Labels("uniform", 11, 5000);
        Assert.Equal(Entropy(a), MutualInformation.Discrete(a, a), 1e-12);
    }

    [Fact]
    public void Exactly_independent_product_table_gives_zero()
    {
        int[] a = Enumerable.Range(0, 1200).Select(i => i % 4).ToArray();
        int[] b = Enumerable.Range(0, 1200).Select(i => (i / 4) % 6).ToArray();
        Assert.Equal(0.0, MutualInformation.Discrete(a, b));
    }

    [Fact]
    public void Is_invariant_to_relabelling()
    {
        (int[] a, int[] b) = ReferenceDatasets.Labels("dependent", 12, 20_000);
        double mi = MutualInformation.Discrete(a, b);

        // Order-preserving relabelling (to a sparse, huge range): identical cell order, bit-identical result.
        int[] spread = a.Select(v => (v * 200_000_000) - 1_000_000_000).ToArray();
        Assert.Equal(mi, MutualInformation.Discrete(spread, b));

        // A permutation of the classes reorders the cells: equal up to rounding.
        int[] permutation = [7, 3, 9, 0, 1, 8, 2, 6, 5, 4];
        int[] permuted = b.Select(v => permutation[v]).ToArray();
        Assert.Equal(mi, MutualInformation.Discrete(a, permuted), 1e-13);
    }

    [Fact]
    public void Is_symmetric()
    {
        (int[] a, int[] b) = ReferenceDatasets.Labels("many", 13, 5000);
        Assert.Equal(MutualInformation.Discrete(a, b), MutualInformation.Discrete(b, a), 1e-13);
    }

    [Fact]
    public void Sparse_and_dense_contingency_paths_agree_exactly()
    {
        // 300 x 400 classes over 3000 samples takes the sorted-pairs path; the same table with the
        // classes of b folded into fewer labels is not comparable, so compare against a direct computation.
        (int[] a, int[] b) = ReferenceDatasets.Labels("many", 14, 3000);
        double mi = MutualInformation.Discrete(a, b);
        var cells = new Dictionary<(int, int), int>();
        for (int i = 0; i < a.Length; i++)
        {
            cells[(a[i], b[i])] = cells.GetValueOrDefault((a[i], b[i])) + 1;
        }

        var rows = a.GroupBy(v => v).ToDictionary(g => g.Key, g => (double)g.Count());
        var cols = b.GroupBy(v => v).ToDictionary(g => g.Key, g => (double)g.Count());
        double expected = cells.Sum(kv => kv.Value / 3000.0 * Math.Log(3000.0 * kv.Value / (rows[kv.Key.Item1] * cols[kv.Key.Item2])));
        Assert.Equal(expected, mi, 1e-12);
    }

    [Fact]
    public void Single_class_or_empty_input_gives_zero()
    {
        int[] single = Enumerable.Repeat(-7, 100).ToArray();
        int[] other = Enumerable.Range(0, 100).Select(i => i % 3).ToArray();
        Assert.Equal(0.0, MutualInformation.Discrete(single, other));
        Assert.Equal(0.0, MutualInformation.Discrete(other, single));
        Assert.Equal(0.0, MutualInformation.Discrete([], []));
        Assert.Equal(0.0, MutualInformation.Discrete([int.MaxValue], [int.MinValue]));
    }

    [Fact]
    public void Extreme_label_values_do_not_allocate_by_range()
    {
        int[] a = [int.MinValue, int.MaxValue, int.MinValue, int.MaxValue, 0, 0];
        int[] b = [1, 2, 1, 2, 3, 3];
        // a and b define the same partition: MI = H = ln 3.
        Assert.Equal(Math.Log(3), MutualInformation.Discrete(a, b), 1e-15);
    }

    [Fact]
    public void Length_mismatch_throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => MutualInformation.Discrete([1, 2, 3], [1, 2]));
        Assert.Equal("b", ex.ParamName);
    }
}
