using System;
using System.Collections.Immutable;
using System.IO;
using Btw.Internal;
using Btw.Kernels;
using Btw.Persistence;
using Btw.Weighting.State;

namespace Btw.Weighting;

/// <summary>
/// Everything a <see cref="BtwWeighter"/> knows and does, without locks and without tensors: the stored weights, the
/// epoch's observations, the last modality statistics, the epoch count, the alpha schedule and the mean and unseen
/// rows. Each piece of state is declared once in <see cref="Pieces"/> with how it merges and how it is saved; merging,
/// saving and loading iterate the declarations. The facade validates the tensors, computes the batch statistics
/// outside its lock and calls this core under the lock; nothing here is thread-safe on its own.
/// </summary>
/// <remarks>Saved payload (see <see cref="StateFile"/>): the options (<see cref="OptionFields"/>), then each declared piece that is saved, in order. Reading checks every value (options valid, counts bounded by the payload before anything is allocated for them, ids non-negative and distinct, weights finite and non-negative, statistics in range, column values finite and at least their declared minimum, flags 0/1, at least one modality present per observation), so a file that passes the checksum but was not written by this library either loads to a state that folds to finite, non-negative weights or is rejected.</remarks>
internal sealed class WeighterCore
{
    /// <summary>The state, declared once, in the order of the saved format.</summary>
    public static readonly ImmutableArray<StatePiece> Pieces =
    [
        new("completed epochs", StateMerge.KeepOwn, null, (c, w) => w.Write(c.CompletedEpochs), (c, r) =>
        {
            c.CompletedEpochs = r.ReadInt32();
            r.Require(c.CompletedEpochs >= 0, "a negative epoch count");
        }),
        new("alpha", StateMerge.KeepOwn, null, (c, w) => w.Write(c.Alpha), (c, r) =>
        {
            c.Alpha = r.ReadDouble();
            var o = c.Options;
            r.Require(o.AlphaStep > 0 ? c.Alpha >= o.AlphaMin && c.Alpha <= o.AlphaMax : c.Alpha == o.Alpha, "an EMA factor outside its bounds");
        }),
        new("best validation loss", StateMerge.KeepOwn, null, (c, w) => w.Write(c.BestValidationLoss), (c, r) =>
        {
            c.BestValidationLoss = r.ReadDouble();
            r.Require(double.IsFinite(c.BestValidationLoss) || double.IsPositiveInfinity(c.BestValidationLoss), "a best validation loss that is NaN or negative infinity");
        }),
        new("modality statistics", StateMerge.KeepOwn, null, (c, w) => c._statistics.Write(w), (c, r) => c._statistics = ModalityEstimates.Read(r, c.Modalities)),
        new("stored weights", StateMerge.KeepOwn, null, (c, w) => c._store.Write(w), (c, r) => c._store = WeightStore.Read(r, c.Modalities)),
        new("epoch observations", StateMerge.UnionOtherWins, (c, other) => c._epoch.Merge(other._epoch), (c, w) => c._epoch.Write(w),
            (c, r) => c._epoch = EpochObservations.Read(r, c.Modalities)),
        new("mean weights and unseen row", StateMerge.Derived, null, null, null),
    ];

    private WeightStore _store;
    private EpochObservations _epoch;
    private ModalityEstimates _statistics;
    private double[] _meanWeights = [];
    private float[] _unseen = [];

    /// <summary>A fresh state (every weight 1) for validated options, which the core keeps and never hands out.</summary>
    public WeighterCore(BtwOptions options)
    {
        Options = options;
        Kernel = TaskKernel.For(options);
        _store = new WeightStore(options.Modalities);
        _epoch = new EpochObservations(options.Modalities);
        _statistics = ModalityEstimates.Uniform(options.Modalities);
        Alpha = options.Alpha;
        Derive();
    }

    public BtwOptions Options { get; }

    /// <summary>The task's kernel; immutable, so the facade may use it outside its lock.</summary>
    public ITaskKernel Kernel { get; }

    public int Modalities => Options.Modalities;

    public int CompletedEpochs { get; private set; }

    public double Alpha { get; private set; }

    public double BestValidationLoss { get; private set; } = double.PositiveInfinity;

    /// <summary>Whether a fold after the warm-up has happened (the stored weights may differ from 1).</summary>
    public bool WeightingStarted => CompletedEpochs > Options.WarmupEpochs;

    public int Count => _store.Count;

    public int PendingRows => _epoch.Rows;

    /// <summary>The ids with stored weights, in storage order (for checks of a loaded state).</summary>
    public long[] StoredIds
    {
        get
        {
            var ids = new long[_store.Count];
            for (var slot = 0; slot < ids.Length; slot++)
            {
                ids[slot] = _store.IdAt(slot);
            }

            return ids;
        }
    }

    /// <summary>Managed bytes of state per example: its stored weights plus one row of epoch observations.</summary>
    public int BytesPerExample => _store.BytesPerExample + _epoch.BytesPerRow;

    public double[] NormalizedMutualInformation => (double[])_statistics.NormalizedMutualInformation.Clone();

    public double[] MeanWeights => (double[])_meanWeights.Clone();

    /// <summary>Copies the weights of <paramref name="id"/>, or the unseen row, into <paramref name="destination"/> (length M).</summary>
    public bool TryGetWeights(long id, Span<float> destination) => _store.CopyTo(id, destination, _unseen);

    /// <summary>Fills <paramref name="values"/> with unseen rows (<paramref name="unseen"/>) or with the ids' weights (<see cref="CopyWeights"/>).</summary>
    public bool CopyRows(ReadOnlySpan<long> ids, bool unseen, Span<float> values)
    {
        if (unseen)
        {
            FillUnseen(values);
        }
        else
        {
            CopyWeights(ids, values);
        }

        return true;
    }

    /// <summary>Copies the stored weights of each id (the unseen row for ids without any) into consecutive rows of M.</summary>
    public void CopyWeights(ReadOnlySpan<long> ids, Span<float> values)
    {
        var m = Modalities;
        for (var i = 0; i < ids.Length; i++)
        {
            _store.CopyTo(ids[i], values.Slice(i * m, m), _unseen);
        }
    }

    /// <summary>Fills every row of M with the unseen row (<see cref="BtwOptions.UnseenWeights"/>: ones, or the mean weights).</summary>
    public void FillUnseen(Span<float> values)
    {
        for (var start = 0; start < values.Length; start += Modalities)
        {
            _unseen.CopyTo(values.Slice(start, Modalities));
        }
    }

    /// <summary>Records the kept rows of a batch and counts the skipped ones; returns the number of pending rows.</summary>
    public int Record(ReadOnlySpan<long> ids, in CheckedBatch batch)
    {
        _epoch.Record(ids, batch.Flags.Span, batch.Keep.Span, batch.Statistics);
        _epoch.Skipped += batch.Skipped;
        return _epoch.Rows;
    }

    /// <summary>Adds observations built elsewhere (as another weighter's; theirs win for shared ids); returns the number of pending rows.</summary>
    public int AddObservations(EpochObservations observations)
    {
        _epoch.Merge(observations);
        return _epoch.Rows;
    }

    /// <summary>
    /// Folds the epoch in (see <see cref="BtwWeighter.EndEpoch()"/>): moves alpha first when a validation loss is
    /// given, estimates the modality statistics, folds every observed row in id order, and starts a new epoch.
    /// </summary>
    /// <exception cref="InvalidOperationException">Nothing was observed (no row recorded or skipped) since the last fold; nothing is changed.</exception>
    public BtwEpochReport EndEpoch(double? validationLoss)
    {
        if (_epoch.Rows == 0 && _epoch.Skipped == 0)
        {
            throw new InvalidOperationException(
                "EndEpoch was called with nothing observed since the last EndEpoch (or since the weighter was built): call BtwWeighter.Observe with the epoch's batches first. An epoch folded over no observation would count with no evidence.");
        }

        if (validationLoss is { } loss)
        {
            Alpha = AlphaSchedule.Next(Alpha, BestValidationLoss, loss, Options);
            BestValidationLoss = Math.Min(BestValidationLoss, loss);
        }

        var order = _epoch.RowsInIdOrder();
        var statistics = ModalityEstimates.Estimate(_epoch, order, Options, Kernel);   // no rows: nothing estimated, every share 1/M
        var weighting = CompletedEpochs >= Options.WarmupEpochs;
        var (mean, sd) = WeightFold.Apply(_epoch, order, statistics, _store, Options, Alpha, weighting);
        CompletedEpochs++;
        var modalities = new BtwModalityReport[Modalities];
        for (var j = 0; j < modalities.Length; j++)
        {
            modalities[j] = statistics.Report(j, mean[j], sd[j], _epoch.Rows, Options.EffectiveMinimumPairs, Options.Weighting);
        }

        var report = new BtwEpochReport(CompletedEpochs, _epoch.Rows, _epoch.Skipped, Alpha, Options, modalities, weighting, validationLoss);
        if (_epoch.Rows > 0)
        {
            _statistics = statistics;
            Derive();
        }

        _epoch.Reset();
        return report;
    }

    /// <summary>
    /// The weights of <see cref="BtwWeighter.WeightsFromOutputs"/> for rows of a batch: the unseen row with presence
    /// applied, then (under <see cref="BtwUnseenWeights.FromOutputs"/> once weighting has started) the same per-row fold
    /// as <see cref="EndEpoch"/> for every kept row. Returns whether the rows were computed from the outputs.
    /// </summary>
    public bool WeightsFromOutputs(in CheckedBatch batch, Span<float> values)
    {
        var m = Modalities;
        var flags = batch.Flags.Span;
        var keep = batch.Keep.Span;
        var stats = batch.Statistics;
        FillUnseen(values);
        ApplyPresence(values, flags, m, Options.Scale);
        if (Options.UnseenWeights != BtwUnseenWeights.FromOutputs || !WeightingStarted)
        {
            return false;
        }

        var fresh = new double[m];
        var divergence = new double[m];
        var confidence = new double[m];
        for (var i = 0; i < keep.Length; i++)
        {
            if (!keep[i])
            {
                continue;
            }

            for (var j = 0; j < m; j++)
            {
                divergence[j] = stats.Divergence(i, j);
                confidence[j] = stats.Confidence(i, j);
            }

            WeightFold.FoldRow(Options, flags.Slice(i * m, m), divergence, confidence, _statistics, Alpha, fresh, values.Slice(i * m, m));
        }

        return true;
    }

    /// <summary>Merges another core's state into this one, piece by piece as declared (only the epoch observations merge; theirs win for shared ids).</summary>
    public void MergeObservations(WeighterCore other)
    {
        foreach (var piece in Pieces)
        {
            piece.MergeFrom?.Invoke(this, other);
        }
    }

    /// <summary>Refuses to merge a core into itself, or the observations of one whose modality count, task or a setting that changes the observations or the fold differs (names the setting and both values).</summary>
    public static void RequireMergeable(WeighterCore core, WeighterCore other, string paramName)
    {
        if (ReferenceEquals(core, other))
        {
            throw new ArgumentException("A weighter cannot merge its own observations.", paramName);
        }

        var (mine, theirs) = (core.Options, other.Options);
        if (theirs.Modalities != mine.Modalities || theirs.Task != mine.Task)
        {
            throw new ArgumentException(Shapes.Message($"Expected a weighter with {mine.Modalities} modalities for {mine.Task}; got {theirs.Modalities} for {theirs.Task}."), paramName);
        }

        if (OptionFields.FirstFoldSettingThatDiffers(mine, theirs) is { } setting)
        {
            throw new ArgumentException(Shapes.Message($"Cannot merge observations made with a different BtwOptions.{setting.Name}: this weighter has {setting.Mine}, the other {setting.Theirs}; every setting that changes the observations or how they are folded must be equal."), paramName);
        }
    }

    /// <summary>
    /// Each row of M weights with missing modalities set to 0 and, under <see cref="BtwScale.PresentCount"/>, the present
    /// ones rescaled to sum to the number present (rows whose present weights are all 0 become 1).
    /// </summary>
    public static void ApplyPresence(Span<float> values, ReadOnlySpan<byte> flags, int modalities, BtwScale scale)
    {
        for (var start = 0; start < values.Length; start += modalities)
        {
            var weights = values.Slice(start, modalities);
            var present = flags.Slice(start, modalities);
            double total = 0;
            var count = 0;
            for (var j = 0; j < weights.Length; j++)
            {
                if (present[j] == 0)
                {
                    weights[j] = 0f;
                }
                else
                {
                    total += weights[j];
                    count++;
                }
            }

            for (var j = 0; scale == BtwScale.PresentCount && j < weights.Length; j++)
            {
                if (present[j] != 0)
                {
                    weights[j] = total > 0 ? (float)(weights[j] * count / total) : 1f;
                }
            }
        }
    }

    /// <summary>The saved file's bytes (<see cref="StateFile"/> envelope).</summary>
    public byte[] ToBytes() => StateFile.Create(w =>
    {
        OptionFields.Write(w, Options);
        foreach (var piece in Pieces)
        {
            piece.Write?.Invoke(this, w);
        }
    });

    /// <summary>Parses and checks a saved file.</summary>
    /// <exception cref="InvalidDataException">The file is truncated, corrupted, of another version or holds an invalid value.</exception>
    public static WeighterCore FromBytes(byte[] file) => StateFile.Open(file, r =>
    {
        var options = OptionFields.Read(r);

        // Bound the modality count by what the payload can hold before allocating anything per modality: a file whose
        // checksum is valid (foreign or hand-made) must not make the loader allocate for a count it cannot contain.
        var m = options.Modalities;
        r.Require(m <= 1 << 16 && (long)m * ModalityEstimates.SavedBytesPerModality <= r.Remaining,
            $"{m} modalities, more than its {r.Remaining} remaining bytes can describe");
        var core = new WeighterCore(options);
        foreach (var piece in Pieces)
        {
            piece.Read?.Invoke(core, r);
        }

        core.Derive();
        return core;
    });

    /// <summary>Recomputes the derived pieces (the mean weights and the unseen row) from the stored weights.</summary>
    private void Derive()
    {
        _meanWeights = _store.ModalityMeans();
        _unseen = new float[Modalities];
        for (var j = 0; j < _unseen.Length; j++)
        {
            _unseen[j] = Options.UnseenWeights == BtwUnseenWeights.Ones ? 1f : (float)_meanWeights[j];
        }
    }
}
