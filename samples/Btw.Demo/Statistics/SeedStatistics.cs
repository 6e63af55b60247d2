using System;
using System.Collections.Generic;
using System.Linq;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.Statistics;

namespace Btw.Demo.Statistics;

/// <summary>Summaries over seeds with Math.NET: mean, sample standard deviation and a paired comparison (Student-t interval).</summary>
internal static class SeedStatistics
{
    /// <summary>Mean and sample standard deviation (n - 1 denominator; NaN for a single value).</summary>
    public static (double Mean, double StdDev) MeanStd(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            throw new ArgumentException("At least one value is needed.", nameof(values));
        }

        if (values.Count == 1)
        {
            return (values[0], double.NaN);
        }

        return values.MeanStandardDeviation();   // Math.NET: sample standard deviation (n - 1)
    }

    /// <summary>
    /// The paired difference <paramref name="treatment"/> - <paramref name="baseline"/> (same seeds, same
    /// order): its mean, the sample standard deviation of the differences, and the two-sided
    /// <paramref name="level"/> Student-t interval mean +- t(1 - (1 - level)/2, n - 1) sd / sqrt(n)
    /// (NaN bounds for n &lt; 2).
    /// </summary>
    public static PairedDifference Paired(IReadOnlyList<double> treatment, IReadOnlyList<double> baseline, double level = 0.95)
    {
        ArgumentNullException.ThrowIfNull(treatment);
        ArgumentNullException.ThrowIfNull(baseline);
        if (treatment.Count != baseline.Count || treatment.Count == 0)
        {
            throw new ArgumentException($"Paired samples need equal, non-zero lengths ({treatment.Count} vs {baseline.Count}).", nameof(baseline));
        }

        if (level is <= 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(level), level, "The confidence level must be in (0, 1).");
        }

        var differences = treatment.Zip(baseline, (t, b) => t - b).ToArray();
        var (mean, sd) = MeanStd(differences);
        var n = differences.Length;
        if (n < 2)
        {
            return new PairedDifference(mean, sd, double.NaN, double.NaN, n);
        }

        var t = StudentT.InvCDF(0, 1, n - 1, 1 - (1 - level) / 2);
        var half = t * sd / Math.Sqrt(n);
        return new PairedDifference(mean, sd, mean - half, mean + half, n);
    }
}
