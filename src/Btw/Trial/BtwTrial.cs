using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;

namespace Btw;

/// <summary>
/// Answers "does BTW help my model?" on the user's own validation data: trains <see cref="BtwWeighting.Uniform"/> (the
/// plain mixture of experts) and each candidate configuration on the same seeds, compares their validation losses
/// paired by seed, and keeps Uniform unless a candidate is better with a Bonferroni-corrected Student-t interval above 0.
/// </summary>
public static class BtwTrial
{
    /// <summary>The label of the baseline's row and of <see cref="BtwTrialResult.ChosenLabel"/> when nothing beats it: "Uniform".</summary>
    public const string UniformLabel = "Uniform";


    /// <summary>
    /// Runs the trial. For every seed s of <see cref="BtwTrialOptions.Seeds"/> (s = FirstSeed, FirstSeed + 1, ...) the
    /// callback trains a fresh model with Uniform settings (a <see cref="BtwOptions"/> with the given modalities and task
    /// and <see cref="BtwOptions.Weighting"/> = <see cref="BtwWeighting.Uniform"/>, every other setting at its default)
    /// and with each candidate's settings, and returns that model's validation loss. For each candidate the per-seed
    /// differences d_s = loss(Uniform, s) - loss(candidate, s) give a mean, a sample standard deviation sd and the
    /// two-sided interval mean +- t * sd / sqrt(n) with t the Student-t quantile (n - 1 degrees of freedom) at
    /// 1 - (1 - c) / 2, where c = 1 - (1 - <see cref="BtwTrialOptions.Confidence"/>) / K for K candidates (Bonferroni).
    /// A candidate qualifies when the lower end is above 0; <see cref="BtwTrialResult.Chosen"/> is the qualifying candidate
    /// with the greatest mean difference, or Uniform when none qualifies. The trial never sees test data: evaluate the
    /// chosen settings on your test set afterwards, with fresh seeds.
    /// </summary>
    /// <param name="modalities">Number of modalities M (at least 1); every candidate's <see cref="BtwOptions.Modalities"/> must equal it.</param>
    /// <param name="task">The kind of prediction; every candidate's <see cref="BtwOptions.Task"/> must equal it.</param>
    /// <param name="validationLoss">
    /// Trains a fresh model (new parameters, new <see cref="BtwWeighter"/>) with the given weighter settings (a copy the
    /// callback may keep or change) and seed, and returns its loss on validation data: finite, lower is better, in any
    /// unit (cross-entropy in nats, 1 - accuracy, MAE, ...) as long as every run uses the same one. Seed everything the
    /// run draws from it (initialisation, shuffling, gate noise) so that configurations differ only in their settings.
    /// </param>
    /// <param name="options">Seeds, confidence, candidates, progress, cancellation and parallelism; null for the defaults.</param>
    /// <returns>The rows of every configuration and the choice.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="modalities"/> is below 1, <paramref name="task"/> is not defined, or a number in <paramref name="options"/> is out of range.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="validationLoss"/> is null.</exception>
    /// <exception cref="ArgumentException">The candidates are invalid: see <see cref="BtwTrialOptions.Validate"/>; or a candidate's modalities or task differ from the trial's, or its settings fail <see cref="BtwOptions.Validate"/> (the message names the candidate).</exception>
    /// <exception cref="InvalidOperationException">The callback returned NaN or an infinite loss (the message names the configuration and the seed).</exception>
    /// <exception cref="OperationCanceledException"><see cref="BtwTrialOptions.CancellationToken"/> was cancelled; no further run was started.</exception>
    public static BtwTrialResult Run(int modalities, BtwTask task, Func<BtwOptions, int, double> validationLoss, BtwTrialOptions? options = null)
    {
        if (modalities < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(modalities), modalities, string.Create(CultureInfo.InvariantCulture, $"BtwTrial.Run: modalities must be at least 1; got {modalities}."));
        }

        if (!Enum.IsDefined(task))
        {
            throw new ArgumentOutOfRangeException(nameof(task), task, $"BtwTrial.Run: task must be a defined BtwTask; got {task}.");
        }

        ArgumentNullException.ThrowIfNull(validationLoss);
        options ??= new BtwTrialOptions();
        options.Validate();

        // Read every setting once: changes made while the trial runs do not affect it.
        var seeds = Enumerable.Range(options.FirstSeed, options.Seeds).ToArray();
        var candidates = (options.Candidates ?? DefaultCandidates(modalities, task)).ToArray();
        var configurations = new List<BtwTrialCandidate> { new(UniformLabel, UniformOptions(modalities, task)) };
        foreach (var candidate in candidates)
        {
            var settings = candidate.Options.Clone();   // the trial's own copy
            var misfit = Misfit(candidate, settings, modalities, task);
            if (misfit is not null)
            {
                throw new ArgumentException(misfit, nameof(options));
            }

            configurations.Add(new BtwTrialCandidate(candidate.Label, settings));
        }

        var losses = Measure(configurations, seeds, validationLoss, options);

        var candidateConfidence = 1 - (1 - options.Confidence) / candidates.Length;
        var uniformLosses = Array.AsReadOnly(losses[0]);
        var rows = new List<BtwTrialRow>();
        for (var c = 0; c < configurations.Count; c++)
        {
            var interval = c == 0
                ? new PairedInterval(0, 0, 0, 0)   // Uniform against itself: every difference is exactly 0
                : PairedInterval.Of(uniformLosses, losses[c], candidateConfidence);

            rows.Add(new BtwTrialRow(configurations[c].Label, configurations[c].Options, Array.AsReadOnly(losses[c]), losses[c].Average(),
                interval, qualifies: c > 0 && interval.Lower > 0));
        }

        var chosen = rows[0];
        foreach (var row in rows.Skip(1))
        {
            if (row.Qualifies && (!chosen.Qualifies || row.Difference > chosen.Difference))
            {
                chosen = row;
            }
        }

        return new BtwTrialResult(rows.AsReadOnly(), Array.AsReadOnly(seeds), options.Confidence, candidateConfidence, chosen);
    }

    /// <summary>
    /// The candidates a trial compares with Uniform when <see cref="BtwTrialOptions.Candidates"/> is null: the two
    /// weightings with the best record in this library's experiments (5 seeds per configuration, paired 95% intervals,
    /// configurations chosen on validation only), both modality-level, both evaluating unseen examples at the mean weights
    /// (<see cref="BtwOptions.UnseenWeights"/> = <see cref="BtwUnseenWeights.ModalityMean"/>):
    /// "Correlation+shrink" (<see cref="BtwWeighting.Correlation"/> with <see cref="BtwShrinkage.EmpiricalBayes"/>: never
    /// significantly worse than Uniform on image segmentation or diabetes with 30, 60, 120 or 500 training rows, and better
    /// in 4 of those 8; the plain <c>Correlation</c> was the candidate closest to qualifying as the static default) and
    /// "Mi" (<see cref="BtwWeighting.Mi"/>: better than Uniform on test in both tasks, image segmentation with two
    /// pure-noise views +1.5 accuracy points and diabetes regression with 60 training rows -5.5 MAE, but worse elsewhere).
    /// The instance-level term (the paper's <c>Kl</c>, <c>KlMi</c>) was often significantly worse and is not a default
    /// candidate (add <see cref="BtwOptions.Paper"/> yourself to test it). A third candidate, "Recommended", comes first
    /// when <see cref="BtwOptions.Recommended"/> is not Uniform (today it is: no weighting qualified as a static default).
    /// Two candidates only: each one more widens every interval (Bonferroni) and costs <see cref="BtwTrialOptions.Seeds"/>
    /// training runs.
    /// </summary>
    /// <param name="modalities">Number of modalities M (at least 1).</param>
    /// <param name="task">The kind of prediction.</param>
    /// <returns>Two or three candidates with validated options for <paramref name="modalities"/> and <paramref name="task"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="modalities"/> is below 1 or <paramref name="task"/> is not defined.</exception>
    public static IReadOnlyList<BtwTrialCandidate> DefaultCandidates(int modalities, BtwTask task)
    {
        var recommended = BtwOptions.Recommended(modalities, task);
        var candidates = new List<BtwTrialCandidate>();
        if (recommended.Weighting != BtwWeighting.Uniform && recommended.Strength > 0)
        {
            candidates.Add(new BtwTrialCandidate("Recommended", recommended));
        }

        candidates.Add(new BtwTrialCandidate("Correlation+shrink", Modality(modalities, task, BtwWeighting.Correlation, BtwShrinkage.EmpiricalBayes)));
        candidates.Add(new BtwTrialCandidate("Mi", Modality(modalities, task, BtwWeighting.Mi, BtwShrinkage.None)));
        return candidates.AsReadOnly();
    }

    private static BtwOptions Modality(int modalities, BtwTask task, BtwWeighting weighting, BtwShrinkage shrinkage)
    {
        var options = new BtwOptions
        {
            Modalities = modalities,
            Task = task,
            Weighting = weighting,
            Shrinkage = shrinkage,
            UnseenWeights = BtwUnseenWeights.ModalityMean,
        };
        options.Validate();
        return options;
    }

    private static BtwOptions UniformOptions(int modalities, BtwTask task)
    {
        var uniform = new BtwOptions { Modalities = modalities, Task = task, Weighting = BtwWeighting.Uniform };
        uniform.Validate();
        return uniform;
    }

    /// <summary>Why a candidate's settings do not fit the trial, or null when they do (then they pass <see cref="BtwOptions.Validate"/>).</summary>
    private static string? Misfit(BtwTrialCandidate candidate, BtwOptions settings, int modalities, BtwTask task)
    {
        if (settings.Modalities != modalities)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"Candidate '{candidate.Label}' has Modalities = {settings.Modalities}, but the trial has {modalities} modalities; set the candidate's BtwOptions.Modalities to {modalities}.");
        }

        if (settings.Task != task)
        {
            return $"Candidate '{candidate.Label}' has Task = {settings.Task}, but the trial's task is {task}; set the candidate's BtwOptions.Task to {task}.";
        }

        try
        {
            settings.Validate();
            return null;
        }
        catch (ArgumentOutOfRangeException ex)
        {
            return $"Candidate '{candidate.Label}' has invalid settings: {ex.Message}";
        }
    }

    /// <summary>losses[c][s]: the validation loss of configuration c at seed index s; runs in seed-major order unless parallel.</summary>
    private static double[][] Measure(List<BtwTrialCandidate> configurations, int[] seeds, Func<BtwOptions, int, double> validationLoss, BtwTrialOptions options)
    {
        var losses = configurations.Select(_ => new double[seeds.Length]).ToArray();
        var total = configurations.Count * seeds.Length;
        var completed = 0;
        var progress = options.Progress;
        var token = options.CancellationToken;

        void RunOne(int run)
        {
            var (s, c) = Math.DivRem(run, configurations.Count);
            var configuration = configurations[c];
            var loss = validationLoss(configuration.Options.Clone(), seeds[s]);
            if (!double.IsFinite(loss))
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                    $"The validation loss of configuration '{configuration.Label}' at seed {seeds[s]} is {loss}; the callback must return a finite loss (lower is better)."));
            }

            losses[c][s] = loss;
            progress?.Report(new BtwTrialProgress(configuration.Label, seeds[s], loss, Interlocked.Increment(ref completed), total));
        }

        if (!options.RunInParallel)
        {
            for (var run = 0; run < total; run++)
            {
                token.ThrowIfCancellationRequested();
                RunOne(run);
            }

            return losses;
        }

        var parallel = new ParallelOptions { CancellationToken = token, MaxDegreeOfParallelism = options.MaxDegreeOfParallelism };
        try
        {
            Parallel.For(0, total, parallel, run =>
            {
                token.ThrowIfCancellationRequested();
                RunOne(run);
            });
        }
        catch (AggregateException ex)
        {
            // Report the callback's own exception, as the sequential trial does, rather than the wrapper.
            var inner = ex.Flatten().InnerExceptions;
            var failure = inner.FirstOrDefault(e => e is not OperationCanceledException);
            if (failure is null)
            {
                token.ThrowIfCancellationRequested();
            }

            ExceptionDispatchInfo.Capture(failure ?? inner[0]).Throw();
            throw;
        }

        return losses;
    }
}
