using System;
using System.Collections.Generic;

namespace Btw.Demo.Metrics;

/// <summary>
/// Accuracy and F1 scores with scikit-learn's semantics: per class c, precision = TP / (TP + FP),
/// recall = TP / (TP + FN), F1 = 2 TP / (2 TP + FP + FN), and 0 where the denominator is 0
/// (<c>zero_division=0</c>). Macro-F1 averages over the classes that occur in the true or the
/// predicted labels; weighted-F1 weights each class by its number of true rows.
/// </summary>
internal static class ClassificationMetrics
{
    public static double Accuracy(ReadOnlySpan<int> truth, ReadOnlySpan<int> predicted)
    {
        Check(truth, predicted);
        var correct = 0;
        for (var i = 0; i < truth.Length; i++)
        {
            if (truth[i] == predicted[i])
            {
                correct++;
            }
        }

        return (double)correct / truth.Length;
    }

    /// <summary>Per class F1 and support (true count), for the classes in the true or predicted labels.</summary>
    public static IReadOnlyDictionary<int, (double F1, int Support)> PerClassF1(ReadOnlySpan<int> truth, ReadOnlySpan<int> predicted)
    {
        Check(truth, predicted);
        var tp = new Dictionary<int, int>();
        var fp = new Dictionary<int, int>();
        var fn = new Dictionary<int, int>();
        for (var i = 0; i < truth.Length; i++)
        {
            foreach (var c in new[] { truth[i], predicted[i] })
            {
                tp.TryAdd(c, 0);
                fp.TryAdd(c, 0);
                fn.TryAdd(c, 0);
            }

            if (truth[i] == predicted[i])
            {
                tp[truth[i]]++;
            }
            else
            {
                fp[predicted[i]]++;
                fn[truth[i]]++;
            }
        }

        var result = new SortedDictionary<int, (double, int)>();
        foreach (var c in tp.Keys)
        {
            var denominator = 2 * tp[c] + fp[c] + fn[c];
            result[c] = (denominator == 0 ? 0 : 2.0 * tp[c] / denominator, tp[c] + fn[c]);
        }

        return result;
    }

    public static double MacroF1(ReadOnlySpan<int> truth, ReadOnlySpan<int> predicted)
    {
        var perClass = PerClassF1(truth, predicted);
        double sum = 0;
        foreach (var (f1, _) in perClass.Values)
        {
            sum += f1;
        }

        return sum / perClass.Count;
    }

    public static double WeightedF1(ReadOnlySpan<int> truth, ReadOnlySpan<int> predicted)
    {
        var perClass = PerClassF1(truth, predicted);
        double sum = 0;
        foreach (var (f1, support) in perClass.Values)
        {
            sum += f1 * support;
        }

        return sum / truth.Length;
    }

    private static void Check(ReadOnlySpan<int> truth, ReadOnlySpan<int> predicted)
    {
        if (truth.Length == 0)
        {
            throw new ArgumentException("At least one label is needed.", nameof(truth));
        }

        if (truth.Length != predicted.Length)
        {
            throw new ArgumentException($"{truth.Length} true labels but {predicted.Length} predictions.", nameof(predicted));
        }
    }
}
