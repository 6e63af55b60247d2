using System;
using Btw.Demo.Metrics;
using Xunit;

namespace Btw.Samples.Tests.Metrics;

public class MetricsTests
{
    // Reference values: scikit-learn 1.2.1 accuracy_score / f1_score(average=..., zero_division=0),
    // and by hand: per-class F1 = 2TP / (2TP + FP + FN): class 0: 4/6, class 1: 2/4, class 2: 6/8, class 3: 0, class 4 (predicted only): 0.
    private static readonly int[] Truth = { 0, 0, 0, 1, 1, 2, 2, 2, 2, 3 };
    private static readonly int[] Predicted = { 0, 1, 0, 1, 2, 2, 2, 0, 2, 4 };

    [Fact]
    public void Classification_metrics_match_the_hand_checked_case()
    {
        Assert.Equal(0.6, ClassificationMetrics.Accuracy(Truth, Predicted), 12);
        Assert.Equal((4.0 / 6 + 0.5 + 0.75) / 5, ClassificationMetrics.MacroF1(Truth, Predicted), 12); // sklearn: 0.38333333333333336
        Assert.Equal((3 * 4.0 / 6 + 2 * 0.5 + 4 * 0.75) / 10, ClassificationMetrics.WeightedF1(Truth, Predicted), 12); // sklearn: 0.6
        var perClass = ClassificationMetrics.PerClassF1(Truth, Predicted);
        Assert.Equal(5, perClass.Count);
        Assert.Equal(0, perClass[4].Support);
    }

    [Fact]
    public void Perfect_predictions_score_one_and_mismatched_lengths_are_rejected()
    {
        Assert.Equal(1.0, ClassificationMetrics.MacroF1(Truth, Truth), 12);
        Assert.Equal(1.0, ClassificationMetrics.WeightedF1(Truth, Truth), 12);
        Assert.Throws<ArgumentException>(() => ClassificationMetrics.Accuracy(Truth, Predicted.AsSpan(1)));
        Assert.Throws<ArgumentException>(() => ClassificationMetrics.Accuracy(ReadOnlySpan<int>.Empty, ReadOnlySpan<int>.Empty));
    }

    [Fact]
    public void Regression_metrics_match_the_hand_checked_case()
    {
        double[] x = { 1.0, 2.5, 3.0, 4.5, 10.0 };
        double[] y = { 1.5, 2.0, 3.5, 5.0, 8.0 };

        Assert.Equal(0.8, RegressionMetrics.MeanAbsoluteError(x, y), 12);      // (0.5 * 4 + 2) / 5
        Assert.Equal(1.0, RegressionMetrics.RootMeanSquaredError(x, y), 12);   // sqrt((0.25 * 4 + 4) / 5)
        Assert.Equal(0.9740661262820076, RegressionMetrics.Pearson(x, y), 12); // scipy.stats.pearsonr
        Assert.Equal(-1.0, RegressionMetrics.Pearson(x, new[] { -1.0, -2.5, -3.0, -4.5, -10.0 }), 12);
        Assert.Equal(0.0, RegressionMetrics.Pearson(x, new[] { 2.0, 2, 2, 2, 2 }));
    }

    [Fact]
    public void The_metric_set_knows_names_directions_and_the_selection_metric()
    {
        var set = MetricSet.Regression(new[] { 1.0, 2.0 }, new[] { 2.0, 2.0 });
        Assert.Equal(0.5, set["mae"]);
        Assert.False(MetricSet.HigherIsBetter("mae"));
        Assert.True(MetricSet.HigherIsBetter("macro_f1"));
        Assert.Equal("macro_f1", MetricSet.SelectionMetric(BtwTask.Classification));
        Assert.Equal("mae", MetricSet.SelectionMetric(BtwTask.Regression));
    }
}
