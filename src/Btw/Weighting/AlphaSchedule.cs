using System;

namespace Btw.Weighting;

/// <summary>
/// The validation-driven EMA factor of <see cref="BtwWeighter.EndEpoch(double)"/>, as a pure function (as in the
/// authors' code): while no validation loss has been seen, or when <see cref="BtwOptions.AlphaStep"/> is 0, alpha stays;
/// a loss below the best so far moves it down by the step (never below <see cref="BtwOptions.AlphaMin"/>), any other
/// loss moves it up (never above <see cref="BtwOptions.AlphaMax"/>).
/// </summary>
internal static class AlphaSchedule
{
    /// <summary>The EMA factor after a validation loss of <paramref name="loss"/>, given the current factor and the best loss so far (positive infinity before the first).</summary>
    public static double Next(double alpha, double best, double loss, BtwOptions options)
    {
        if (!double.IsFinite(best) || options.AlphaStep == 0)
        {
            return alpha;
        }

        return loss < best
            ? Math.Max(options.AlphaMin, alpha - options.AlphaStep)
            : Math.Min(options.AlphaMax, alpha + options.AlphaStep);
    }
}
