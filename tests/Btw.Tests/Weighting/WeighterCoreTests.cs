using System;
using System.Linq;
using Btw.Tests.Support;
using Btw.Weighting;
using Btw.Weighting.State;
using Xunit;

namespace Btw.Tests.Weighting;

/// <summary>
/// The weighter core declares each piece of state once, with its merge rule and persistence, and save, load and merge
/// follow the declarations: only the epoch's observations merge, the derived rows are recomputed rather than saved, and
/// a saved and reloaded core writes the same bytes.
/// </summary>
public class WeighterCoreTests
{
    [Fact]
    public void Every_piece_is_declared_once_with_a_merge_rule_and_a_persistence()
    {
        var names = WeighterCore.Pieces.Select(p => p.Name).ToArray();
        Assert.Equal(names.Distinct().Count(), names.Length);
        Assert.Equal(
            ["completed epochs", "alpha", "best validation loss", "modality statistics", "stored weights", "epoch observations", "mean weights and unseen row"],
            names);

        // Exactly the epoch's observations merge; a piece merges iff it declares a merge action.
        Assert.Equal(["epoch observations"], WeighterCore.Pieces.Where(p => p.Merge == StateMerge.UnionOtherWins).Select(p => p.Name));
        Assert.All(WeighterCore.Pieces, p => Assert.Equal(p.Merge == StateMerge.UnionOtherWins, p.MergeFrom is not null));

        // Derived pieces are neither saved nor read; every other piece is both.
        Assert.All(WeighterCore.Pieces, p => Assert.Equal(p.Merge != StateMerge.Derived, p.Write is not null && p.Read is not null));
        Assert.All(WeighterCore.Pieces.Where(p => p.Merge == StateMerge.Derived), p => Assert.True(p.Write is null && p.Read is null));
    }

    [Fact]
    public void A_reloaded_core_saves_the_same_bytes_and_recomputes_the_derived_rows()
    {
        using var weighter = new BtwWeighter(new BtwOptions { Modalities = 3, Weighting = BtwWeighting.KlMi, UnseenWeights = BtwUnseenWeights.ModalityMean, MinimumMiPairs = 4 });
        var ids = Enumerable.Range(0, 20).Select(i => (long)i).ToArray();
        SyntheticBatch.Classification(new Random(1), ids, 3, 4, 0.2).ObserveInto(weighter);
        weighter.EndEpoch();
        SyntheticBatch.Classification(new Random(2), ids.Take(10).ToArray(), 3, 4, 0.2).ObserveInto(weighter);

        var bytes = weighter.ToBytes();
        var core = WeighterCore.FromBytes(bytes);
        Assert.Equal(bytes, core.ToBytes());
        Assert.Equal(weighter.MeanWeights, core.MeanWeights);
        Assert.Contains(core.MeanWeights, w => Math.Abs(w - 1.0) > 1e-6);   // recomputed from the stored weights, not left at ones
        Assert.Equal(10, core.PendingRows);
        Assert.Equal(ids, core.StoredIds);
    }
}
