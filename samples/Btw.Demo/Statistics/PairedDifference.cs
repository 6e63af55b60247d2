namespace Btw.Demo.Statistics;

/// <summary>A paired difference over seeds with its confidence interval.</summary>
internal sealed record PairedDifference(double Mean, double StdDev, double Lower, double Upper, int Count)
{
    /// <summary>True when the interval excludes 0.</summary>
    public bool Excludes0 => !double.IsNaN(Lower) && (Lower > 0 || Upper < 0);
}
