using System;
using System.IO;
using Btw.Persistence;

namespace Btw.Weighting.State;

/// <summary>How a piece of a weighter's state combines with another worker's in <see cref="WeighterCore.MergeObservations"/>.</summary>
internal enum StateMerge
{
    /// <summary>This weighter's own value is kept (the other's is ignored).</summary>
    KeepOwn,

    /// <summary>The union of both, the other's entry winning for a key both hold.</summary>
    UnionOtherWins,

    /// <summary>Derived from other pieces and recomputed after any change to them; never merged or saved.</summary>
    Derived,
}

/// <summary>
/// One piece of a <see cref="WeighterCore"/>'s state, declared once beside the others (as torchmetrics'
/// <c>add_state(name, default, dist_reduce_fx, persistent)</c>): its name, how it merges, and how it is written to and
/// read from the saved payload (null for a derived piece, which is not saved). Merging, saving and loading iterate the
/// declarations (<see cref="WeighterCore.Pieces"/>), in the order of the saved format.
/// </summary>
internal sealed record StatePiece(string Name, StateMerge Merge, Action<WeighterCore, WeighterCore>? MergeFrom,
    Action<WeighterCore, BinaryWriter>? Write, Action<WeighterCore, StateReader>? Read);
