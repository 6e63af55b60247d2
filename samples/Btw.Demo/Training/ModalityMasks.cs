using System;

namespace Btw.Demo.Training;

/// <summary>
/// Missing-modality masks: each modality of each row is dropped independently with probability p; a row
/// that would lose every modality is re-drawn (so the kept pattern is conditioned on "at least one
/// present"; with M = 3 and p = 0.5 that changes the per-modality rate from 0.5 to 0.43).
/// </summary>
internal static class ModalityMasks
{
    /// <summary>Row-major <c>[rows * modalities]</c>, true = present.</summary>
    public static bool[] Draw(int rows, int modalities, double dropRate, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfLessThan(modalities, 1);
        if (dropRate is < 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(dropRate), dropRate, "Must be in [0, 1).");
        }

        var mask = new bool[rows * modalities];
        for (var r = 0; r < rows; r++)
        {
            var any = false;
            while (!any)
            {
                for (var m = 0; m < modalities; m++)
                {
                    var present = dropRate == 0 || random.NextDouble() >= dropRate;
                    mask[r * modalities + m] = present;
                    any |= present;
                }
            }
        }

        return mask;
    }
}
