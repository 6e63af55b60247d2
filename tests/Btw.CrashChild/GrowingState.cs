using System;
using Btw.Kernels;
using Btw.Weighting.State;

namespace Btw.CrashChild;

/// <summary>Grows a weighter's state without tensors: writes observation rows straight into its epoch buffers.</summary>
internal static class GrowingState
{
    private const int Classes = 3;

    public static BtwOptions Options() => new() { Modalities = 3, MinimumMiPairs = 10, NonFinite = BtwNonFinitePolicy.SkipRows };

    /// <summary>Records <paramref name="rows"/> observations of random new ids, as Observe would (missing modalities store 0).</summary>
    public static void Grow(BtwWeighter weighter, Random random, int rows)
    {
        var m = weighter.Modalities;
        var epoch = new EpochObservations(m);
        for (var i = 0; i < rows; i++)
        {
            var row = epoch.RowFor(random.NextInt64(0, 1L << 40));
            var label = random.Next(Classes);
            var first = random.Next(m);
            var divergence = epoch.Values(ObservationColumns.Divergence, row);
            var value = epoch.Values(ObservationColumns.Value, row);
            var confidence = epoch.Values(ObservationColumns.Confidence, row);
            var agreement = epoch.Values(ObservationColumns.Agreement, row);
            for (var j = 0; j < m; j++)
            {
                var present = j == first || random.NextDouble() < 0.7;
                epoch.Present(row)[j] = present ? (byte)1 : (byte)0;
                divergence[j] = present ? random.NextDouble() * 2 : 0;
                value[j] = present ? (random.NextDouble() < 0.6 ? label : random.Next(Classes)) : 0;
                confidence[j] = present ? random.NextDouble() : 0;
                agreement[j] = present ? random.NextDouble() : 0;
            }

            value[m] = label;
            agreement[m] = random.NextDouble();
        }

        weighter.MergeObservations(epoch);
    }

    /// <summary>The bytes <see cref="BtwWeighter.Save"/> writes for the weighter's current state.</summary>
    public static byte[] Serialize(BtwWeighter weighter) => weighter.ToBytes();
}
