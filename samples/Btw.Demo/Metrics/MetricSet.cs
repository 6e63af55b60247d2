using System;
using System.Collections.Generic;

namespace Btw.Demo.Metrics;

/// <summary>Named metric values of one evaluation, in a fixed order, with which direction is better.</summary>
internal sealed class MetricSet
{
    public static readonly IReadOnlyList<string> ClassificationNames = new[] { "accuracy", "macro_f1", "weighted_f1" };
    public static readonly IReadOnlyList<string> RegressionNames = new[] { "mae", "rmse", "pearson_r" };

    public MetricSet(IReadOnlyList<string> names, IReadOnlyList<double> values)
    {
        if (names.Count != values.Count)
        {
            throw new ArgumentException($"{names.Count} names but {values.Count} values.", nameof(values));
        }

        Names = names;
        Values = values;
    }

    public IReadOnlyList<string> Names { get; }

    public IReadOnlyList<double> Values { get; }

    public double this[string name]
    {
        get
        {
            for (var i = 0; i < Names.Count; i++)
            {
                if (Names[i] == name)
                {
                    return Values[i];
                }
            }

            throw new KeyNotFoundException($"No metric '{name}'; have {string.Join(", ", Names)}.");
        }
    }

    public static IReadOnlyList<string> NamesFor(BtwTask task) => task == BtwTask.Classification ? ClassificationNames : RegressionNames;

    /// <summary>The metric used to pick the best epoch on validation: macro-F1 (classification) or MAE (regression).</summary>
    public static string SelectionMetric(BtwTask task) => task == BtwTask.Classification ? "macro_f1" : "mae";

    /// <summary>True when a larger value of <paramref name="name"/> is better.</summary>
    public static bool HigherIsBetter(string name) => name != "mae" && name != "rmse";

    public static MetricSet Classification(ReadOnlySpan<int> truth, ReadOnlySpan<int> predicted) => new(ClassificationNames, new[]
    {
        ClassificationMetrics.Accuracy(truth, predicted),
        ClassificationMetrics.MacroF1(truth, predicted),
        ClassificationMetrics.WeightedF1(truth, predicted),
    });

    public static MetricSet Regression(ReadOnlySpan<double> truth, ReadOnlySpan<double> predicted) => new(RegressionNames, new[]
    {
        RegressionMetrics.MeanAbsoluteError(truth, predicted),
        RegressionMetrics.RootMeanSquaredError(truth, predicted),
        RegressionMetrics.Pearson(truth, predicted),
    });
}
