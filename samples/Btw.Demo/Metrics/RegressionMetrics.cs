using System;
using MathNet.Numerics;
using MathNet.Numerics.Statistics;

namespace Btw.Demo.Metrics;

/// <summary>Regression metrics in the target's units: mean absolute error, root mean squared error, Pearson r.</summary>
internal static class RegressionMetrics
{
    /// <summary>Mean absolute error (Math.NET's <see cref="Distance.MAE(double[], double[])"/>).</summary>
    public static double MeanAbsoluteError(ReadOnlySpan<double> truth, ReadOnlySpan<double> predicted)
    {
        Check(truth, predicted);
        return Distance.MAE(truth.ToArray(), predicted.ToArray());
    }

    /// <summary>Root mean squared error (the square root of Math.NET's <see cref="Distance.MSE(double[], double[])"/>).</summary>
    public static double RootMeanSquaredError(ReadOnlySpan<double> truth, ReadOnlySpan<double> predicted)
    {
        Check(truth, predicted);
        return Math.Sqrt(Distance.MSE(truth.ToArray(), predicted.ToArray()));
    }

    /// <summary>Pearson's correlation coefficient (Math.NET's <see cref="Correlation.Pearson"/>); 0 when either side is constant (as a defined fallback, documented).</summary>
    public static double Pearson(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        Check(x, y);
        var r = Correlation.Pearson(x.ToArray(), y.ToArray());
        return double.IsFinite(r) ? r : 0;
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
