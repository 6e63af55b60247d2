using System.Collections.Generic;
using Btw.Demo.Data;

namespace Btw.Demo.Scenarios;

/// <summary>A split with one view replaced by noise on some rows, and which rows of each part were hit.</summary>
/// <param name="Split">The corrupted split (its <see cref="DataSplit.TrainCorrupted"/> flags the training rows).</param>
/// <param name="View">The index of the corrupted view.</param>
/// <param name="TrainRows">The corrupted training rows, ascending.</param>
/// <param name="ValidationRows">The corrupted validation rows, ascending.</param>
/// <param name="TestRows">The corrupted test rows, ascending.</param>
internal sealed record CorruptedSplit(DataSplit Split, int View, IReadOnlyList<int> TrainRows, IReadOnlyList<int> ValidationRows, IReadOnlyList<int> TestRows);
