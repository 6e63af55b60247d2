using System;
using System.Collections.Generic;
using System.Threading;
using Btw.Internal;
using Btw.Kernels;
using Btw.Persistence;
using Btw.Weighting;
using Btw.Weighting.State;
using TorchSharp;
using static TorchSharp.torch;

namespace Btw;

/// <summary>
/// Computes BTW weights: per example and modality, from the model's own unimodal and multimodal predictions, with no
/// trainable parameter (BTW: instance-level KL divergence, modality-level mutual information, L1
/// normalisation, EMA smoothing).
/// </summary>
/// <remarks>
/// <para>Use: once per batch call <see cref="WeightsFor(Tensor, Tensor)"/> (weights for the forward pass) and, after the
/// forward pass, <see cref="Observe"/>; once per epoch call <see cref="EndEpoch()"/>, which folds the epoch's
/// observations into the weights. Weights used during epoch e are those folded at the end of epoch e - 1; before the
/// first <see cref="EndEpoch()"/> every weight is 1.</para>
/// <para>State: the smoothed weights of every example id seen (M floats each), and the epoch's observations (one row
/// per distinct id: the divergences and the statistics needed for the modality-level terms). Nothing of the caller's
/// tensors is kept; computation happens on the outputs' device and a few numbers per example come to the host.</para>
/// <para>Thread safety: every public member is thread-safe; calls are serialised by one internal lock, so batches
/// observed concurrently from several threads give the same state as the same batches observed one after another in
/// the order in which the calls took the lock.</para>
/// </remarks>
public sealed class BtwWeighter : IDisposable
{
    private static long s_lastLockRank;
    private readonly object _gate = new();
    private readonly long _lockRank = Interlocked.Increment(ref s_lastLockRank);
    private readonly BtwOptions _options;
    private readonly ITaskKernel _kernel;
    private readonly WeightStore _store;
    private readonly EpochObservations _epoch;
    private ModalityStatistics _statistics;
    private double[] _meanWeights;
    private float[] _unseen;
    private double _alpha;
    private double _bestValidationLoss = double.PositiveInfinity;
    private bool _disposed;

    /// <summary>Creates a weighter; every weight starts at 1.</summary>
    /// <param name="options">Settings; a validated copy is taken.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range (see <see cref="BtwOptions.Validate"/>).</exception>
    public BtwWeighter(BtwOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Clone();
        _options.Validate(); // validate the copy kept, not the caller's object, which another thread may still change
        _kernel = TaskKernel.For(_options);
        _store = new WeightStore(_options.Modalities);
        _epoch = new EpochObservations(_options.Modalities);
        _statistics = ModalityStatistics.Uniform(_options.Modalities);
        _meanWeights = _store.ModalityMeans();
        _unseen = UnseenRow(_options, _meanWeights);
        _alpha = _options.Alpha;
    }

    private BtwWeighter(WeighterState state)
    {
        _options = state.Options;
        _kernel = TaskKernel.For(_options);
        _store = state.Store;
        _epoch = state.Epoch;
        _statistics = state.Statistics;
        CompletedEpochs = state.CompletedEpochs;
        _meanWeights = _store.ModalityMeans();
        _unseen = UnseenRow(_options, _meanWeights);
        _alpha = state.Alpha;
        _bestValidationLoss = state.BestValidationLoss;
    }

    /// <summary>A copy of the settings in use.</summary>
    public BtwOptions Options => _options.Clone();

    /// <summary>Number of modalities M.</summary>
    public int Modalities => _options.Modalities;

    /// <summary>Number of <see cref="EndEpoch()"/> calls so far.</summary>
    public int CompletedEpochs { get; private set; }

    /// <summary>
    /// The EMA factor the next fold will use: <see cref="BtwOptions.Alpha"/>, moved by <see cref="EndEpoch(double)"/> when
    /// <see cref="BtwOptions.AlphaStep"/> is positive.
    /// </summary>
    public double Alpha
    {
        get
        {
            lock (_gate)
            {
                return _alpha;
            }
        }
    }

    /// <summary>The lowest validation loss passed to <see cref="EndEpoch(double)"/> so far; positive infinity before the first.</summary>
    public double BestValidationLoss
    {
        get
        {
            lock (_gate)
            {
                return _bestValidationLoss;
            }
        }
    }

    /// <summary>
    /// Whether the stored weights have started to move: false during the <see cref="BtwOptions.WarmupEpochs"/> first folds
    /// (and before any), true once the fold of epoch <see cref="BtwOptions.WarmupEpochs"/> + 1 has happened.
    /// </summary>
    public bool IsWeighting
    {
        get
        {
            lock (_gate)
            {
                return WeightingStarted;
            }
        }
    }

    /// <summary>Number of example ids that have stored weights.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _store.Count;
            }
        }
    }

    /// <summary>Number of distinct ids observed since the last <see cref="EndEpoch()"/>.</summary>
    public int PendingObservations
    {
        get
        {
            lock (_gate)
            {
                return _epoch.Rows;
            }
        }
    }

    /// <summary>
    /// Benchmark bookkeeping: managed bytes of state per example: its stored weights plus one row of epoch observations (M = 4: 240 bytes).
    /// The buffers grow by doubling, so the footprint lies between N times this and about twice that (measured with
    /// GC.GetTotalMemory, M = 4: 1.07 times at N = 65,536, 1.37 times at N = 100,000).
    /// </summary>
    internal int BytesPerExample => _store.BytesPerExample + _epoch.BytesPerRow;

    /// <summary>
    /// The normalised modality-level mutual information Ibar^m from the last <see cref="EndEpoch()"/> (1/M each before
    /// the first), length M, summing to 1.
    /// </summary>
    public IReadOnlyList<double> NormalizedMutualInformation
    {
        get
        {
            lock (_gate)
            {
                return (double[])_statistics.NormalizedMutualInformation.Clone();
            }
        }
    }

    /// <summary>
    /// Each modality's mean stored weight over the examples folded in so far for which the modality was present, length
    /// M (1 for a modality present in none of them, and ones before the first <see cref="EndEpoch()"/>); updated by each
    /// <see cref="EndEpoch()"/>. A missing modality's stored weight is never updated, so it is left out of the mean. These are the weights to evaluate unseen
    /// examples with (see <see cref="WeightsForUnseen"/>): a model trained with BTW weights has learned with embeddings
    /// at that scale.
    /// </summary>
    public IReadOnlyList<double> MeanWeights
    {
        get
        {
            lock (_gate)
            {
                return (double[])_meanWeights.Clone();
            }
        }
    }

    /// <summary>
    /// Weights for examples that were never observed (validation, test, inference), which have no weights of their
    /// own: every row is <see cref="MeanWeights"/> with missing modalities set to 0 and rescaled as in
    /// <see cref="WeightsFor(Tensor, Tensor)"/>. Float32 [B, M] on the flags' device, without gradient. Uses no label.
    /// </summary>
    /// <param name="present">Presence flags r: bool or 0/1 numbers, [B, M], at least one present modality per row.</param>
    /// <returns>A new tensor [B, M] in the caller's dispose scope.</returns>
    /// <exception cref="ArgumentException">The flags are malformed (the message names the row and modality).</exception>
    /// <exception cref="ObjectDisposedException">The weighter was disposed.</exception>
    public Tensor WeightsForUnseen(Tensor present)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(present);
        var m = _options.Modalities;
        var rows = present.dim() > 0 ? (int)present.shape[0] : 0;
        using var flags = BatchValidator.Present(present, rows, m);   // checks the shape [rows, M] too

        using var values = PooledArray<float>.Rent(rows * m);
        lock (_gate)
        {
            ThrowIfDisposed();
            for (var i = 0; i < rows; i++)
            {
                for (var j = 0; j < m; j++)
                {
                    values[(i * m) + j] = (float)_meanWeights[j];
                }
            }
        }

        ApplyPresenceToRows(values.Span, flags.Span);

        return HostCopy.ToTensor(values.Span, rows, m, present.device);
    }

    /// <summary>
    /// The stored weights of a batch of examples: float32 [B, M] on the ids' device, without gradient; for ids never
    /// folded in, 1 (or each modality's mean weight under <see cref="BtwUnseenWeights.ModalityMean"/>). Weights of modalities that were missing are not zeroed here: pass the presence flags to
    /// <see cref="WeightsFor(Tensor, Tensor)"/> for that.
    /// </summary>
    /// <param name="sampleIds">The examples' ids: int64 [B], non-negative (duplicates allowed).</param>
    /// <returns>A new tensor [B, M] in the caller's dispose scope.</returns>
    /// <exception cref="ArgumentException">The ids are not int64 [B] or one is negative.</exception>
    /// <exception cref="ObjectDisposedException">The weighter was disposed.</exception>
    public Tensor WeightsFor(Tensor sampleIds)
    {
        ThrowIfDisposed();
        using var ids = BatchValidator.Ids(sampleIds, requireDistinct: false);
        var m = _options.Modalities;
        using var values = PooledArray<float>.Rent(ids.Length * m);
        CopyStoredWeights(ids.Span, values.Span);

        return HostCopy.ToTensor(values.Span, ids.Length, m, sampleIds.device);
    }

    /// <summary>
    /// The weights to apply in a forward pass where some modalities may be missing: the stored weights with missing
    /// modalities set to 0 and every row rescaled so that its present weights sum to the number of present modalities
    /// (<see cref="BtwScale.PresentCount"/>; rows whose present weights are all 0 become 1) or left unscaled
    /// (<see cref="BtwScale.SumToOne"/>, as the authors' code). Float32 [B, M] on the ids' device, without gradient.
    /// </summary>
    /// <param name="sampleIds">The examples' ids: int64 [B], non-negative.</param>
    /// <param name="present">Presence flags r: bool or 0/1 numbers, [B, M], at least one present modality per row.</param>
    /// <returns>A new tensor [B, M] in the caller's dispose scope.</returns>
    /// <exception cref="ArgumentException">The ids or the flags are malformed (the message names the row and modality).</exception>
    /// <exception cref="ObjectDisposedException">The weighter was disposed.</exception>
    public Tensor WeightsFor(Tensor sampleIds, Tensor present)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(present);
        using var ids = BatchValidator.Ids(sampleIds, requireDistinct: false);
        var m = _options.Modalities;
        using var flags = BatchValidator.Present(present, ids.Length, m);
        using var values = PooledArray<float>.Rent(ids.Length * m);
        CopyStoredWeights(ids.Span, values.Span);

        ApplyPresenceToRows(values.Span, flags.Span);

        return HostCopy.ToTensor(values.Span, ids.Length, m, sampleIds.device);
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
        if (destination.Length < _options.Modalities)
        {
            throw new ArgumentException(Shapes.Message($"The destination needs room for {_options.Modalities} weights; it has {destination.Length}."), nameof(destination));
        }

        lock (_gate)
        {
            ThrowIfDisposed();
            return _store.CopyTo(sampleId, destination[.._options.Modalities], _unseen);
        }
    }

    /// <summary>
    /// Records a batch of predictions for the current epoch: computes, without gradient and on the outputs' device, the
    /// divergence of each unimodal prediction from the multimodal one and the statistics the modality-level terms need.
    /// An id observed again in the same epoch replaces its earlier observation. Everything is validated before anything
    /// is recorded, so a call that throws leaves the state as it was.
    /// </summary>
    /// <param name="sampleIds">The examples' ids: int64 [B], non-negative, distinct within the batch.</param>
    /// <param name="unimodal">M unimodal outputs, each of the multimodal output's shape and device (classification: logits [B, C]; regression: [B], [B, 1] or [B, 2] = (mean, log-variance)).</param>
    /// <param name="multimodal">The multimodal output (same conventions).</param>
    /// <param name="present">Optional presence flags r, bool or 0/1 numbers [B, M]; a missing modality's output is ignored and it is excluded from that example's weights and from the modality-level statistics. Null means all present.</param>
    /// <exception cref="ArgumentException">A tensor has the wrong count, type, shape or device, an id is negative or repeated, a row has no modality present, or (under <see cref="BtwNonFinitePolicy.Throw"/>) an output of a present modality is NaN or infinite or gives a non-finite divergence (a float64 overflow); the message names the argument, the modality and the first bad row.</exception>
    /// <exception cref="ObjectDisposedException">The weighter was disposed.</exception>
    public void Observe(Tensor sampleIds, IReadOnlyList<Tensor> unimodal, Tensor multimodal, Tensor? present = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var ids = BatchValidator.Ids(sampleIds, requireDistinct: true);
        BatchValidator.Outputs(unimodal, multimodal, ids.Length, _options, _kernel);
        var m = _options.Modalities;
        using var flags = BatchValidator.Present(present, ids.Length, m);
        if (ids.Length == 0)
        {
            return;
        }

        using var stats = BatchStatistics.Compute(unimodal, multimodal, _kernel);
        using var keep = PooledArray<bool>.Rent(ids.Length);
        var skipped = stats.KeepFiniteRows(flags.Span, keep.Span, _options.NonFinite);
        lock (_gate)
        {
            ThrowIfDisposed();
            _epoch.Record(ids.Span, flags.Span, keep.Span, stats);
            _epoch.Skipped += skipped;
        }
    }

    /// <summary>
    /// Folds the epoch's observations in: estimates the modality-level mutual information (and correlation) over the
    /// observed examples, computes the new weights of every observed example for the configured mode, normalises,
    /// scales and shrinks them (<see cref="BtwOptions.Strength"/>), applies the EMA with the current
    /// <see cref="Alpha"/>, and starts a new epoch. During the first <see cref="BtwOptions.WarmupEpochs"/> folds the
    /// statistics are measured and reported but the weights stay as they are (1). Examples not observed in the epoch
    /// keep their weights. With no observations the weights are unchanged and the modality statistics are reported as
    /// undefined (0, with a uniform normalised share); the epoch still counts. The examples are folded in id order, so
    /// the result does not depend on the order in which they were observed (batch order, threads, merged workers): the
    /// same observations give bit-identical weights.
    /// </summary>
    /// <returns>What the fold did, per modality.</returns>
    /// <exception cref="ObjectDisposedException">The weighter was disposed.</exception>
    public BtwEpochReport EndEpoch()
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            return Fold(null);
        }
    }

    /// <summary>
    /// <see cref="EndEpoch()"/> with a validation loss that steers the EMA factor, as the authors did with a held-out loss:
    /// when <paramref name="validationLoss"/> is below the best one passed so far, <see cref="Alpha"/> moves down by
    /// <see cref="BtwOptions.AlphaStep"/> (the weights that helped are kept more); otherwise it moves up (the new weights
    /// count more); always within [<see cref="BtwOptions.AlphaMin"/>, <see cref="BtwOptions.AlphaMax"/>]. The first call
    /// only records the loss. The fold then uses the moved alpha, which the report carries. With
    /// <see cref="BtwOptions.AlphaStep"/> = 0 alpha never moves. Pass a loss measured on validation data, never on test data.
    /// </summary>
    /// <param name="validationLoss">The model's loss (or any lower-is-better figure) on validation data after this epoch; finite.</param>
    /// <returns>What the fold did, per modality, with the alpha used.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="validationLoss"/> is NaN or infinite (nothing is changed).</exception>
    /// <exception cref="ObjectDisposedException">The weighter was disposed.</exception>
    public BtwEpochReport EndEpoch(double validationLoss)
    {
        if (!double.IsFinite(validationLoss))
        {
            throw new ArgumentOutOfRangeException(nameof(validationLoss), validationLoss, "The validation loss must be finite.");
        }

        lock (_gate)
        {
            ThrowIfDisposed();
            if (double.IsFinite(_bestValidationLoss) && _options.AlphaStep > 0)
            {
                _alpha = validationLoss < _bestValidationLoss
                    ? Math.Max(_options.AlphaMin, _alpha - _options.AlphaStep)
                    : Math.Min(_options.AlphaMax, _alpha + _options.AlphaStep);
            }

            _bestValidationLoss = Math.Min(_bestValidationLoss, validationLoss);
            return Fold(validationLoss);
        }
    }

    private BtwEpochReport Fold(double? validationLoss)
    {
        var order = _epoch.RowsInIdOrder();
        var statistics = _epoch.Rows == 0
            ? ModalityStatistics.Uniform(_options.Modalities)
            : ModalityStatistics.Estimate(_epoch, order, _options, _kernel);
        var weighting = CompletedEpochs >= _options.WarmupEpochs;
        var (mean, sd) = WeightFold.Apply(_epoch, order, statistics, _store, _options, _alpha, weighting);
        CompletedEpochs++;
        var modalities = new BtwModalityReport[_options.Modalities];
        for (var j = 0; j < modalities.Length; j++)
        {
            modalities[j] = statistics.Report(j, mean[j], sd[j], _epoch.Rows);
        }

        var report = new BtwEpochReport(CompletedEpochs, _epoch.Rows, _epoch.Skipped, _alpha, _options.Weighting, modalities, weighting, validationLoss);
        if (_epoch.Rows > 0)
        {
            _statistics = statistics;
            _meanWeights = _store.ModalityMeans();
            _unseen = UnseenRow(_options, _meanWeights);
        }

        _epoch.Reset();
        return report;
    }

    /// <summary>
    /// Label-free weights for examples that have no stored weights (validation, test, inference), computed from the
    /// model's current outputs on them; nothing is stored. What they are follows <see cref="BtwOptions.UnseenWeights"/>:
    /// <see cref="BtwUnseenWeights.Ones"/> gives ones and <see cref="BtwUnseenWeights.ModalityMean"/> gives
    /// <see cref="MeanWeights"/> (the outputs are validated but not used); <see cref="BtwUnseenWeights.FromOutputs"/> gives
    /// the weights each example would get had it been observed in the last epoch with these outputs, starting from the
    /// mean weights: alpha * w_new + (1 - alpha) * u, where u is the row <see cref="WeightsForUnseen"/> gives (the
    /// <see cref="MeanWeights"/>, 0 where missing, rescaled to sum to the number present), w_new is the mode's formula on
    /// these outputs with the last epoch's modality statistics (and <see cref="BtwOptions.Strength"/>) and alpha is
    /// <see cref="Alpha"/>; before weighting has started (no fold yet, or warm-up) u itself. In every case missing
    /// modalities get 0 and, under <see cref="BtwScale.PresentCount"/>, rows sum to the number present. Rows whose outputs are not
    /// finite get the mean weights under <see cref="BtwNonFinitePolicy.SkipRows"/> and throw under
    /// <see cref="BtwNonFinitePolicy.Throw"/>. The usual procedure is two passes: predict with
    /// <see cref="WeightsForUnseen"/>, then with these weights computed from that prediction
    /// (<see cref="BtwMixtureOfExperts.PredictUnseen"/> does both).
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
        BatchValidator.Outputs(unimodal, multimodal, rows, _options, _kernel);
        var m = _options.Modalities;
        using var flags = BatchValidator.Present(present, rows, m);
        using var values = PooledArray<float>.Rent(rows * m);
        if (rows > 0)
        {
            using var stats = BatchStatistics.Compute(unimodal, multimodal, _kernel);
            using var keep = PooledArray<bool>.Rent(rows);
            stats.KeepFiniteRows(flags.Span, keep.Span, _options.NonFinite);
            var fresh = new double[m];
            var divergence = new double[m];
            var confidence = new double[m];
            bool fromOutputs;
            lock (_gate)
            {
                ThrowIfDisposed();
                fromOutputs = _options.UnseenWeights == BtwUnseenWeights.FromOutputs && WeightingStarted;
                for (var i = 0; i < rows; i++)
                {
                    _unseen.CopyTo(values.Span.Slice(i * m, m));
                }

                // The starting point: the unseen weights as WeightsForUnseen applies them (missing 0, rows summing to the
                // number present); alpha * fresh + (1 - alpha) * start then sums to the number present as well.
                ApplyPresenceToRows(values.Span, flags.Span);
                for (var i = 0; fromOutputs && i < rows; i++)
                {
                    if (!keep[i])
                    {
                        continue;
                    }

                    var row = values.Span.Slice(i * m, m);
                    for (var j = 0; j < m; j++)
                    {
                        divergence[j] = stats.Divergence(i, j);
                        confidence[j] = stats.Confidence(i, j);
                    }

                    WeightFold.NewWeights(_options, flags.Span.Slice(i * m, m), divergence, confidence, _statistics, fresh);
                    for (var j = 0; j < m; j++)
                    {
                        row[j] = WeightFold.Smooth(_alpha, fresh[j], row[j]);
                    }
                }
            }
        }

        return HostCopy.ToTensor(values.Span, rows, m, multimodal.device);
    }

    /// <summary>
    /// Adds another weighter's pending (not yet folded) observations to this one's, as when several workers each
    /// observe part of an epoch; for an id observed by both, the other's observation wins. The other is not changed.
    /// </summary>
    /// <param name="other">A weighter with the same number of modalities, task and statistics settings.</param>
    /// <exception cref="ArgumentException">The weighters are not compatible: their number of modalities or task differ,
    /// or a setting that changes the observations or how they are folded (<see cref="BtwOptions.Temperature"/>,
    /// <see cref="BtwOptions.RegressionSigma"/>, <see cref="BtwOptions.VarianceEpsilon"/>, <see cref="BtwOptions.Weighting"/>,
    /// <see cref="BtwOptions.Neighbors"/>, <see cref="BtwOptions.MinimumMiPairs"/>, <see cref="BtwOptions.MiEpsilon"/>,
    /// <see cref="BtwOptions.Scale"/>, <see cref="BtwOptions.Alpha"/>, <see cref="BtwOptions.WarmupEpochs"/>,
    /// <see cref="BtwOptions.Strength"/>, <see cref="BtwOptions.InstanceTerm"/>, <see cref="BtwOptions.AlphaStep"/>,
    /// <see cref="BtwOptions.AlphaMin"/>, <see cref="BtwOptions.AlphaMax"/>); the message names the setting and both values.
    /// <see cref="BtwOptions.UnseenWeights"/> and <see cref="BtwOptions.NonFinite"/> may differ.</exception>
    /// <exception cref="ObjectDisposedException">Either weighter was disposed.</exception>
    public void MergeObservations(BtwWeighter other)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(other);
        if (ReferenceEquals(other, this))
        {
            throw new ArgumentException("A weighter cannot merge its own observations.", nameof(other));
        }

        if (other._options.Modalities != _options.Modalities || other._options.Task != _options.Task)
        {
            throw new ArgumentException(Shapes.Message($"Expected a weighter with {_options.Modalities} modalities for {_options.Task}; got {other._options.Modalities} for {other._options.Task}."), nameof(other));
        }

        if (OptionFields.FirstFoldSettingThatDiffers(_options, other._options) is { } setting)
        {
            throw new ArgumentException(Shapes.Message($"Cannot merge observations made with a different BtwOptions.{setting.Name}: this weighter has {setting.Mine}, the other {setting.Theirs}; every setting that changes the observations or how they are folded must be equal."), nameof(other));
        }

        // Lock in a fixed global order (a unique rank per weighter) so that a.Merge(b) and b.Merge(a) cannot deadlock.
        var first = _lockRank < other._lockRank ? this : other;
        var second = ReferenceEquals(first, this) ? other : this;
        lock (first._gate)
        {
            lock (second._gate)
            {
                ThrowIfDisposed();
                other.ThrowIfDisposed();
                _epoch.Merge(other._epoch);
            }
        }
    }

    /// <summary>
    /// Writes the whole state (options, stored weights, pending observations, last modality statistics) to
    /// <paramref name="path"/> atomically: to a temporary file in the same folder, flushed to disk, then renamed over
    /// the target, and the folder flushed, so a crash mid-write leaves any previous file intact. Temporary files of
    /// earlier saves killed mid-write are deleted. The format is versioned and checksummed.
    /// </summary>
    /// <param name="path">The file to write.</param>
    /// <exception cref="ObjectDisposedException">The weighter was disposed.</exception>
    /// <exception cref="System.IO.IOException">The file could not be written; the previous file, if any, is unchanged.</exception>
    public void Save(string path)
    {
        ThrowIfDisposed();
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] bytes;
        lock (_gate)
        {
            ThrowIfDisposed();
            bytes = State.ToBytes();
        }

        AtomicFile.Write(path, bytes);
    }

    /// <summary>
    /// Reads a weighter saved by <see cref="Save"/>, verifying magic, version, length, checksum and every value. First
    /// deletes the temporary files a <see cref="Save"/> of <paramref name="path"/> killed mid-write left behind (as the
    /// next <see cref="Save"/> does); a process still running keeps its own.
    /// </summary>
    /// <param name="path">The file to read.</param>
    /// <returns>A weighter whose state equals the saved one.</returns>
    /// <exception cref="System.IO.InvalidDataException">The file is truncated, corrupted, of another version or not a Btw weighter state.</exception>
    /// <exception cref="System.IO.IOException">The file could not be read.</exception>
    public static BtwWeighter Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.RemoveStaleTemporaries(path);
        return FromBytes(System.IO.File.ReadAllBytes(path));
    }

    /// <summary>The bytes <see cref="Save"/> writes for the current state.</summary>
    internal byte[] ToBytes()
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            return State.ToBytes();
        }
    }

    /// <summary>A weighter from the bytes of a saved state (see <see cref="Load"/>).</summary>
    internal static BtwWeighter FromBytes(byte[] file) => new(WeighterState.FromBytes(file));

    /// <summary>Adds pending observations built elsewhere (as another weighter's), under the lock; theirs win for shared ids.</summary>
    internal void MergeObservations(EpochObservations observations)
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            _epoch.Merge(observations);
        }
    }

    /// <summary>Marks the weighter disposed; later calls throw <see cref="ObjectDisposedException"/>. It holds no native resources.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
        }
    }

    /// <summary>Copies the stored weights of each id (the unseen row for ids without any) into consecutive rows of M.</summary>
    private void CopyStoredWeights(ReadOnlySpan<long> ids, Span<float> values)
    {
        var m = _options.Modalities;
        lock (_gate)
        {
            ThrowIfDisposed();
            for (var i = 0; i < ids.Length; i++)
            {
                _store.CopyTo(ids[i], values.Slice(i * m, m), _unseen);
            }
        }
    }

    /// <summary>Applies <see cref="ApplyPresence"/> to every row of M weights with the matching row of flags.</summary>
    private void ApplyPresenceToRows(Span<float> values, ReadOnlySpan<byte> flags)
    {
        var m = _options.Modalities;
        for (var start = 0; start < values.Length; start += m)
        {
            ApplyPresence(values.Slice(start, m), flags.Slice(start, m), _options.Scale);
        }
    }

    internal static void ApplyPresence(Span<float> weights, ReadOnlySpan<byte> present, BtwScale scale)
    {
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

        if (scale != BtwScale.PresentCount)
        {
            return;
        }

        for (var j = 0; j < weights.Length; j++)
        {
            if (present[j] != 0)
            {
                weights[j] = total > 0 ? (float)(weights[j] * count / total) : 1f;
            }
        }
    }

    private static float[] UnseenRow(BtwOptions options, double[] means)
    {
        var row = new float[options.Modalities];
        for (var j = 0; j < row.Length; j++)
        {
            row[j] = options.UnseenWeights == BtwUnseenWeights.Ones ? 1f : (float)means[j];
        }

        return row;
    }

    // The state as it is now (the caller holds the lock); shares the buffers, so only for writing out.
    private WeighterState State => new(_options, _store, _epoch, _statistics, CompletedEpochs, _alpha, _bestValidationLoss);

    /// <summary>Whether a fold after the warm-up has happened (the stored weights may differ from 1); callers hold the lock.</summary>
    private bool WeightingStarted => CompletedEpochs > _options.WarmupEpochs;

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}
