namespace Btw.Demo.Reporting;

/// <summary>One row of a forest plot: a configuration's paired difference to Uniform and its 95% interval.</summary>
/// <param name="Label">The configuration's label.</param>
/// <param name="Mean">Mean paired difference (configuration - Uniform) over seeds.</param>
/// <param name="Lower">Lower end of the 95% Student-t interval (NaN with one pair).</param>
/// <param name="Upper">Upper end of the interval.</param>
/// <param name="Better">+1 when the interval lies entirely on the better side of 0, -1 on the worse side, 0 when it contains 0.</param>
internal sealed record ForestRow(string Label, double Mean, double Lower, double Upper, int Better);
