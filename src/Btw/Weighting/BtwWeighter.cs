using System;
using System.Collections.Generic;
using System.Threading;
using Btw.Internal;
using Btw.Kernels;
using Btw.Persistence;
using Btw.Weighting;
using Btw.Weighting.State;
using static TorchSharp.torch;

namespace Btw;

/// <summary>
/// Computes BTW weights: per example and modality, from the model's own unimodal and multimodal predictions, with no trainable parameter (BTW: instance-level KL divergence, modality-level
/// mutual information, L1 normalisation, EMA smoothing).
/// </summary>
/// <remarks>
/// <para>Use: once per batch call <see cref="WeightsFor(Tensor, Tensor)"/> (weights for the forward pass) and, after the forward pass, <see cref="Observe"/>; once per epoch call <see cref="EndEpoch()"/>, which folds the epoch's observations into the weights. Weights used during epoch e are those folded at the end of epoch e - 1; before the first <see cref="EndEpoch()"/>
/// every weight is 1.</para>
/// <para>State: the smoothed weights of every example id seen (M floats each), and the epoch's observations (one row per distinct id: the divergences and the statistics needed for the
/// modality-level terms). Nothing of the caller's tensors is kept; computation happens on the outputs' device and a few numbers per example come to the host.</para>
/// <para>Thread safety: every public member is thread-safe; calls are serialised by one internal lock, so batches observed concurrently from several threads give the same state as the same
/// batches observed one after another in the order in which the calls took the lock.</para>
/// </remarks>
public sealed class BtwWeighter : IDisposable
{
    private static long s_lastLockRank;
    private readonly object _gate = new();
    private readonly long _lockRank = Interlocked.Increment(ref s_lastLockRank);
    private readonly WeighterCore _core;   // all state and rules; this class validates, locks and converts tensors
    private bool _disposed;

    /// <summary>Creates a weighter; every weight starts at 1.</summary>
    /// <param name="options">Settings; a validated copy is taken.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range (see <see cref="BtwOptions.Validate"/>).</exception>
    /// <exception cref="ArgumentException">A setting that the chosen task or mode ignores is set to a non-default value (see <see cref="BtwOptions.Validate"/>).</exception>
    public BtwWeighter(BtwOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var copy = options.Clone();
        copy.Validate(); // validate the copy kept, not the caller's object, which another thread may still change
        _core = new WeighterCore(copy);
    }

    private BtwWeighter(WeighterCore core) => _core = core;

    /// <summary>A copy of the settings in use.</summary>
    public BtwOptions Options => _core.Options.Clone();

    /// <summary>Number of modalities M.</summary>
    public int Modalities => _core.Modalities;

    /// <summary>Number of <see cref="EndEpoch()"/> calls so far.</summary>
    public int CompletedEpochs => Read(static c => c.CompletedEpochs);

    /// <summary>The EMA factor the next fold will use: <see cref="BtwOptions.Alpha"/>, moved by <see cref="EndEpoch(double)"/> when <see cref="BtwOptions.AlphaStep"/> is positive.</summary>
    public double Alpha => Read(static c => c.Alpha);

    /// <summary>The lowest validation loss passed to <see cref="EndEpoch(double)"/> so far; positive infinity before the first.</summary>
    public double BestValidationLoss => Read(static c => c.BestValidationLoss);

    /// <summary>
    /// Whether the stored weights have started to move: false during the <see cref="BtwOptions.WarmupEpochs"/> first folds (and before any), true once the fold of epoch
    /// <see cref="BtwOptions.WarmupEpochs"/> + 1 has happened.
    /// </summary>
    public bool IsWeighting => Read(static c => c.WeightingStarted);

    /// <summary>Number of example ids that have stored weights.</summary>
    public int Count => Read(static c => c.Count);

    /// <summary>Number of distinct ids observed since the last <see cref="EndEpoch()"/>.</summary>
    public int PendingObservations => Read(static c => c.PendingRows);

    /// <summary>The normalised modality-level mutual information Ibar^m from the last <see cref="EndEpoch()"/> (1/M each before the first), length M, summing to 1; under <see cref="BtwShrinkage.EmpiricalBayes"/> the MI is shrunk before it is normalised. 1/M each when the MI was not estimated (a weighting that does not use it, under the default <see cref="BtwOptions.ModalityStatistics"/>). The correlation shares of <see cref="BtwWeighting.Correlation"/> are in the reports (<see cref="BtwModalityReport"/>), not here.</summary>
    public IReadOnlyList<double> NormalizedMutualInformation => Read(static c => c.NormalizedMutualInformation);

    /// <summary>
    /// Each modality's mean stored weight over the examples folded in so far for which the modality was present, length M (1 for a modality present in none of them, and ones before the first
    /// <see cref="EndEpoch()"/>); updated by each <see cref="EndEpoch()"/>. A missing modality's stored weight is never updated, so it is left out of the mean. Under
    /// <see cref="BtwUnseenWeights.ModalityMean"/> and <see cref="BtwUnseenWeights.FromOutputs"/> these are the weights unseen examples are evaluated with (<see cref="WeightsForUnseen"/>): a model
    /// trained with BTW weights has learned with embeddings at that scale.
    /// </summary>
    public IReadOnlyList<double> MeanWeights => Read(static c => c.MeanWeights);

    /// <summary>Benchmark bookkeeping: managed bytes of state per example: its stored weights plus one row of epoch observations (M = 4: 240 bytes). The buffers grow by doubling.</summary>
    internal int BytesPerExample => Read(static c => c.BytesPerExample);

    /// <summary>
    /// Weights for examples that were never observed (validation, test, inference), which have no weights of their own: every row is the unseen row of <see cref="BtwOptions.UnseenWeights"/>
    /// (ones under <see cref="BtwUnseenWeights.Ones"/>, <see cref="MeanWeights"/> under <see cref="BtwUnseenWeights.ModalityMean"/> and <see cref="BtwUnseenWeights.FromOutputs"/>, whose first
    /// pass this is), with missing modalities set to 0 and rescaled as in <see cref="WeightsFor(Tensor, Tensor)"/>. The same weights as the first pass of
    /// <see cref="BtwEvaluation.PredictUnseen"/>. Float32 [B, M] on the flags' device, without gradient. Uses no label.
    /// </summary>
    /// <param name="present">Presence flags r: bool or 0/1 numbers, [B, M], at least one present modality per row.</param>
    /// <returns>A new tensor [B, M] in the caller's dispose scope.</returns>
    /// <exception cref="ArgumentException">The flags are malformed (the message names the row and modality).</exception>
    /// <exception cref="ObjectDisposedException">The weighter was disposed.</exception>
    public Tensor WeightsForUnseen(Tensor present)
    {
        ArgumentNullException.ThrowIfNull(present);
        return Weights(null, present, present.dim() > 0 ? (int)present.shape[0] : 0);
    }

    /// <summary>
    /// The stored weights of a batch of examples: float32 [B, M] on the ids' device, without gradient; for ids never folded in, the unseen row (1, or each modality's mean weight under
    /// <see cref="BtwUnseenWeights.ModalityMean"/> and <see cref="BtwUnseenWeights.FromOutputs"/>). Weights of modalities that were missing are not zeroed here: pass the presence flags to
    /// <see cref="WeightsFor(Tensor, Tensor)"/> for that.
    /// </summary>
    /// <param name="sampleIds">The examples' ids: int64 [B], non-negative (duplicates allowed).</param>
    /// <returns>A new tensor [B, M] in the caller's dispose scope.</returns>
    /// <exception cref="ArgumentException">The ids are not int64 [B] or one is negative.</exception>
    /// <exception cref="ObjectDisposedException">The weighter was disposed.</exception>
    public Tensor WeightsFor(Tensor sampleIds) => Weights(sampleIds, null);

    /// <summary>
    /// The weights to apply in a forward pass where some modalities may be missing: the stored weights with missing modalities set to 0 and every row rescaled so that its present weights sum to
    /// the number of present modalities (<see cref="BtwScale.PresentCount"/>; rows whose present weights are all 0 become 1) or left unscaled (<see cref="BtwScale.SumToOne"/>, as the authors'
    /// code). Float32 [B, M] on the ids' device, without gradient.
    /// </summary>
    /// <param name="sampleIds">The examples' ids: int64 [B], non-negative.</param>
    /// <param name="present">Presence flags r: bool or 0/1 numbers, [B, M], at least one present modality per row.</param>
    /// <returns>A new tensor [B, M] in the caller's dispose scope.</returns>
    /// <exception cref="ArgumentException">The ids or the flags are malformed (the message names the row and modality).</exception>
    /// <exception cref="ObjectDisposedException">The weighter was disposed.</exception>
    public Tensor WeightsFor(Tensor sampleIds, Tensor present)
    {
        ArgumentNullException.ThrowIfNull(present);
        return Weights(sampleIds, present);
    }

    /// <summary>Copies the stored weights of one example into <paramref name="destination"/> (length M).</summary>
    /// <param name="sampleId">The example's id.</param>
    /// <param name="destination">Receives M weights; for an id with none stored, the unseen weights (see <see cref="BtwOptions.UnseenWeights"/>).</param>
    /// <returns>Whether the id has stored weights.</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than M.</exception>
    /// <exception cref="ObjectDisposedException">The weighter was disposed.</exception>
    public bool TryGetWeights(long sampleId, Span<float> destination)
    {
        ThrowIfDisposed();
        if (destination.Length < Modalities)
        {
            throw new ArgumentException(Shapes.Message($"The destination needs room for {Modalities} weights; it has {destination.Length}."), nameof(destination));
        }

        lock (_gate)
        {
            ThrowIfDisposed();
            return _core.TryGetWeights(sampleId, destination[..Modalities]);
        }
    }

    /// <summary>
    /// Records a batch of predictions for the current epoch: computes, without gradient and on the outputs' device, the divergence of each unimodal prediction from the multimodal one and the
    /// statistics the modality-level terms need. An id observed again in the same epoch replaces its earlier observation. Everything is validated before anything is recorded, so a call that
    /// throws leaves the state as it was.
    /// </summary>
    /// <param name="sampleIds">The examples' ids: int64 [B], non-negative, distinct within the batch.</param>
    /// <param name="unimodal">M unimodal outputs, each of the multimodal output's shape and device (classification: logits [B, C]; regression: [B], [B, 1] or [B, 2] = (mean, log-variance)).</param>
    /// <param name="multimodal">The multimodal output (same conventions).</param>
    /// <param name="present">Optional presence flags r, bool or 0/1 numbers [B, M]; a missing modality's output is ignored and it is excluded from that example's weights and from the modality-level statistics. Null means all present.</param>
    /// <exception cref="ArgumentException">A tensor has the wrong count, type, shape or device, an id is negative or repeated, a row has no modality present, or (under <see cref="BtwNonFinitePolicy.Throw"/>) an output of a present modality is NaN or infinite or gives a non-finite divergence (a float64 overflow); the message names the argument, the modality and the first bad row.</exception>
    /// <exception cref="ObjectDisposedException">The weighter was disposed.</exception>
    public void Observe(Tensor sampleIds, IReadOnlyList<Tensor> unimodal, Tensor multimodal, Tensor? present = null)
    {
        ThrowIfDisposed();
        using var ids = BatchValidator.Ids(sampleIds, requireDistinct: true);
        using var batch = CheckedBatch.Of(unimodal, multimodal, present, ids.Length, _core.Options, _core.Kernel);
        if (ids.Length > 0)
        {
            Locked((ids, batch), static (c, a) => c.Record(a.ids.Span, a.batch));
        }
    }

    /// <summary>
    /// Folds the epoch's observations in: estimates the modality-level statistic the weighting uses (the mutual information under Mi and KlMi, the correlation under Correlation;
    /// both under <see cref="BtwModalityStatistics.All"/>, see <see cref="BtwOptions.ModalityStatistics"/>) over the observed examples, computes the new weights of every observed example for
    /// the configured mode, normalises, scales and shrinks them (<see cref="BtwOptions.Strength"/>), applies the EMA with the current <see cref="Alpha"/>, and starts a new epoch. During the
    /// first <see cref="BtwOptions.WarmupEpochs"/> folds the statistics are measured and reported but the weights stay as they are (1). Examples not observed in the epoch keep their weights.
    /// When every row observed was skipped for non-finite outputs the weights are unchanged and the modality statistics are reported as undefined (0, with a uniform normalised share); the epoch
    /// still counts. The examples are folded in id order, so the result does not depend on the order in which they were observed (batch order, threads, merged workers): the same observations
    /// give bit-identical weights.
    /// </summary>
    /// <returns>What the fold did, per modality.</returns>
    /// <exception cref="InvalidOperationException">Nothing was observed since the last <see cref="EndEpoch()"/> (no <see cref="Observe"/> recorded or skipped a row, and no merge added one); the message names <see cref="Observe"/> and nothing is changed.</exception>
    /// <exception cref="ObjectDisposedException">The weighter was disposed.</exception>
    public BtwEpochReport EndEpoch() => Locked<object?, BtwEpochReport>(null, static (c, _) => c.EndEpoch(null));

    /// <summary>
    /// <see cref="EndEpoch()"/> with a validation loss that steers the EMA factor, as the authors did with a held-out loss: when <paramref name="validationLoss"/> is below the best one passed
    /// so far, <see cref="Alpha"/> moves down by <see cref="BtwOptions.AlphaStep"/> (the weights that helped are kept more); otherwise it moves up (the new weights count more); always within
    /// [<see cref="BtwOptions.AlphaMin"/>, <see cref="BtwOptions.AlphaMax"/>]. The first call only records the loss. The fold then uses the moved alpha, which the report carries. With
    /// <see cref="BtwOptions.AlphaStep"/> = 0 alpha never moves. Pass a loss measured on validation data, never on test data.
    /// </summary>
    /// <param name="validationLoss">The model's loss (or any lower-is-better figure) on validation data after this epoch; finite.</param>
    /// <returns>What the fold did, per modality, with the alpha used.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="validationLoss"/> is NaN or infinite (nothing is changed).</exception>
    /// <exception cref="InvalidOperationException">Nothing was observed since the last fold, as for <see cref="EndEpoch()"/> (nothing is changed).</exception>
    /// <exception cref="ObjectDisposedException">The weighter was disposed.</exception>
    public BtwEpochReport EndEpoch(double validationLoss)
    {
        if (!double.IsFinite(validationLoss))
        {
            throw new ArgumentOutOfRangeException(nameof(validationLoss), validationLoss, "The validation loss must be finite.");
        }

        return Locked(validationLoss, static (c, loss) => c.EndEpoch(loss));
    }

    /// <summary>
    /// Label-free weights for examples with no stored weights (validation, test, inference) from the model's current outputs on them; nothing is stored. Under
    /// <see cref="BtwUnseenWeights.Ones"/> and <see cref="BtwUnseenWeights.ModalityMean"/> they are what <see cref="WeightsForUnseen"/> gives (the outputs are validated but not used). Under
    /// <see cref="BtwUnseenWeights.FromOutputs"/>, once weighting has started, each row is alpha * w_new + (1 - alpha) * u: u is the row <see cref="WeightsForUnseen"/> gives, w_new the mode's
    /// formula on these outputs with the last epoch's modality statistics and <see cref="BtwOptions.Strength"/>, alpha is <see cref="Alpha"/> (the per-row fold of <see cref="EndEpoch()"/>);
    /// before that, u itself. Missing modalities get 0 and, under <see cref="BtwScale.PresentCount"/>, rows sum to the number present. Rows with non-finite outputs get u under
    /// <see cref="BtwNonFinitePolicy.SkipRows"/> and throw under <see cref="BtwNonFinitePolicy.Throw"/>. <see cref="BtwEvaluation.PredictUnseen"/> runs both passes.
    /// </summary>
    /// <param name="unimodal">M unimodal outputs, as in <see cref="Observe"/>.</param>
    /// <param name="multimodal">The multimodal output [B, ...], as in <see cref="Observe"/>.</param>
    /// <param name="present">Optional presence flags [B, M], bool or 0/1 numbers; null means all present.</param>
    /// <returns>A new float32 tensor [B, M] on the multimodal output's device, without gradient, in the caller's dispose scope.</returns>
    /// <exception cref="ArgumentException">A tensor has the wrong count, type, shape or device, a row has no modality present, or (under <see cref="BtwNonFinitePolicy.Throw"/>) an output is not finite; the message names the argument, the modality and the row.</exception>
    /// <exception cref="ObjectDisposedException">The weighter was disposed.</exception>
    public Tensor WeightsFromOutputs(IReadOnlyList<Tensor> unimodal, Tensor multimodal, Tensor? present = null)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(multimodal);
        var rows = multimodal.dim() > 0 ? (int)multimodal.shape[0] : 0;
        using var batch = CheckedBatch.Of(unimodal, multimodal, present, rows, _core.Options, _core.Kernel);
        using var values = PooledArray<float>.Rent(rows * Modalities);
        Locked((batch, values), static (c, a) => c.WeightsFromOutputs(a.batch, a.values.Span));
        return HostCopy.ToTensor(values.Span, rows, Modalities, multimodal.device);
    }

    /// <summary>
    /// Adds another weighter's pending (not yet folded) observations to this one's, as when several workers each observe part of an epoch; for an id observed by both, the other's observation
    /// wins. The other is not changed.
    /// </summary>
    /// <param name="other">A weighter with the same number of modalities, task and statistics settings.</param>
    /// <exception cref="ArgumentException">The weighters are not compatible: their number of modalities, task or a setting that changes the observations or how they are folded differ (every setting but <see cref="BtwOptions.UnseenWeights"/> and <see cref="BtwOptions.NonFinite"/>); the message names the setting and both values.</exception>
    /// <exception cref="ObjectDisposedException">Either weighter was disposed.</exception>
    public void MergeObservations(BtwWeighter other)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(other);
        WeighterCore.RequireMergeable(_core, other._core, nameof(other));

        // Lock in a fixed global order (a unique rank per weighter) so that a.Merge(b) and b.Merge(a) cannot deadlock.
        var first = _lockRank < other._lockRank ? this : other;
        var second = ReferenceEquals(first, this) ? other : this;
        lock (first._gate)
        {
            lock (second._gate)
            {
                ThrowIfDisposed();
                other.ThrowIfDisposed();
                _core.MergeObservations(other._core);
            }
        }
    }

    /// <summary>
    /// Writes the whole state (options, stored weights, pending observations, last modality statistics) to <paramref name="path"/> atomically: to a temporary file in the same folder, flushed to
    /// disk, then renamed over the target, and the folder flushed, so a crash mid-write leaves any previous file intact. Temporary files of earlier saves killed mid-write are deleted. The
    /// format is versioned and checksummed.
    /// </summary>
    /// <param name="path">The file to write.</param>
    /// <exception cref="ObjectDisposedException">The weighter was disposed.</exception>
    /// <exception cref="System.IO.IOException">The file could not be written; the previous file, if any, is unchanged.</exception>
    public void Save(string path)
    {
        ThrowIfDisposed();
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.Write(path, ToBytes());
    }

    /// <summary>
    /// Reads a weighter saved by <see cref="Save"/>, verifying magic, version, length, checksum and every value. First deletes the temporary files a <see cref="Save"/> of <paramref
    /// name="path"/> killed mid-write left behind (as the next <see cref="Save"/> does); a process still running keeps its own.
    /// </summary>
    /// <param name="path">The file to read.</param>
    /// <returns>A weighter whose state equals the saved one.</returns>
    /// <exception cref="System.IO.InvalidDataException">The file is truncated, corrupted, of another version or not a Btw weighter state, or holds settings this version refuses.</exception>
    /// <exception cref="System.IO.IOException">The file could not be read.</exception>
    public static BtwWeighter Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.RemoveStaleTemporaries(path);
        return FromBytes(System.IO.File.ReadAllBytes(path));
    }

    /// <summary>
    /// <see cref="Load(string)"/>, then sets <see cref="BtwOptions.ModalityStatistics"/> of the loaded weighter to
    /// <paramref name="modalityStatistics"/> (the one setting that may change: it decides which statistics later
    /// <see cref="EndEpoch()"/> calls estimate and report, never the weights). A state saved by Btw 0.3 loads with
    /// <see cref="BtwModalityStatistics.All"/>, what 0.3 estimated; load it with <see cref="BtwModalityStatistics.Used"/>
    /// to stop paying for statistics the weighting does not use.
    /// </summary>
    /// <param name="path">The file to read.</param>
    /// <param name="modalityStatistics">Which modality-level statistics the loaded weighter estimates from its next <see cref="EndEpoch()"/> on.</param>
    /// <returns>A weighter whose state equals the saved one, but for the setting.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="modalityStatistics"/> is not a defined value (nothing is read).</exception>
    /// <exception cref="System.IO.InvalidDataException">As <see cref="Load(string)"/>.</exception>
    /// <exception cref="System.IO.IOException">The file could not be read.</exception>
    public static BtwWeighter Load(string path, BtwModalityStatistics modalityStatistics)
    {
        if (!Enum.IsDefined(modalityStatistics))
        {
            throw new ArgumentOutOfRangeException(nameof(modalityStatistics), modalityStatistics, "Expected a defined BtwModalityStatistics (Used or All).");
        }

        var weighter = Load(path);
        weighter._core.Options.ModalityStatistics = modalityStatistics;
        return weighter;
    }

    /// <summary>Marks the weighter disposed; later calls throw <see cref="ObjectDisposedException"/>. It holds no native resources.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
        }
    }

    /// <summary>The bytes <see cref="Save"/> writes for the current state.</summary>
    internal byte[] ToBytes() => Locked<object?, byte[]>(null, static (c, _) => c.ToBytes());

    /// <summary>A weighter from the bytes of a saved state (see <see cref="Load(string)"/>).</summary>
    internal static BtwWeighter FromBytes(byte[] file) => new(WeighterCore.FromBytes(file));

    /// <summary>Adds pending observations built elsewhere (as another weighter's), under the lock; theirs win for shared ids.</summary>
    internal void MergeObservations(EpochObservations observations) => Locked(observations, static (c, o) => c.AddObservations(o));

    // The stored rows of the ids (without ids: unseen rows), with the presence flags applied when given.
    private Tensor Weights(Tensor? sampleIds, Tensor? present, int unseenRows = 0)
    {
        ThrowIfDisposed();
        using var ids = sampleIds is null ? PooledArray<long>.Rent(0) : BatchValidator.Ids(sampleIds, requireDistinct: false);
        var rows = sampleIds is null ? unseenRows : ids.Length;
        using var flags = present is null ? PooledArray<byte>.Rent(0) : BatchValidator.Present(present, rows, Modalities);   // checks [rows, M]
        using var values = PooledArray<float>.Rent(rows * Modalities);
        Locked((ids, values, unseen: sampleIds is null), static (c, a) => c.CopyRows(a.ids.Span, a.unseen, a.values.Span));

        if (present is not null)
        {
            WeighterCore.ApplyPresence(values.Span, flags.Span, Modalities, _core.Options.Scale);
        }

        return HostCopy.ToTensor(values.Span, rows, Modalities, (sampleIds ?? present)!.device);
    }

    private T Read<T>(Func<WeighterCore, T> read)
    {
        lock (_gate)
        {
            return read(_core);
        }
    }

    private TResult Locked<TArgument, TResult>(TArgument argument, Func<WeighterCore, TArgument, TResult> action)
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            return action(_core, argument);
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}
