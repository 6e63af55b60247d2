using System;

namespace Btw.Demo.Metrics;

/// <summary>Regression metrics in the target's units: mean absolute error, root mean squared error, Pearson r.</summary>
internal static class RegressionMetrics
{
    public static double MeanAbsoluteError(ReadOnlySpan<double> truth, ReadOnlySpan<double> predicted)
    {
        Check(truth, predicted);
        double sum = 0;
        for (var i = 0; i < truth.Length; i++)
        {
            sum += Math.Abs(truth[i] - predicted[i]);
        }

        return sum / truth.Length;
    }

    public static double RootMeanSquaredError(ReadOnlySpan<double> truth, ReadOnlySpan<double> predicted)
    {
        Check(truth, predicted);
        double sum = 0;
        for (var i = 0; i < truth.Length; i++)
        {
            var d = truth[i] - predicted[i];
            sum += d * d;
        }

        return Math.Sqrt(sum / truth.Length);
    }

    /// <summary>Pearson's correlation coefficient; 0 when either side is constant (as a defined fallback, documented).</summary>
    public static double Pearson(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        Check(x, y);
        double mx = 0, my = 0;
        for (var i = 0; i < x.Length; i++)
        {
            mx += x[i];
            my += y[i];
        }

        mx /= x.Length;
        my /= y.Length;
        double sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < x.Length; i++)
        {
            var dx = x[i] - mx;
            var dy = y[i] - my;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }

        return sxx <= 0 || syy <= 0 ? 0 : sxy / Math.Sqrt(sxx * syy);
    }

    private static void Check(ReadOnlySpan<double> truth, ReadOnlySpan<double> predicted)
    {
        if (truth.Length == 0)
        {
            throw new ArgumentException("At least one value is needed.", nameof(truth));
        }

        if (truth.Length != predicted.Length)
        {
            throw new ArgumentException($"{truth.Length} true values but {predicted.Length} predictions.", nameof(predicted));
        }
    }
}
