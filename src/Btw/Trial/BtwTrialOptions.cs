using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using Btw.Internal;

namespace Btw;

/// <summary>
/// Settings of <see cref="BtwTrial.Run"/>. The trial reads them once when it starts; changing them afterwards does not
/// affect a trial under way.
/// </summary>
public sealed class BtwTrialOptions
{
    /// <summary>
    /// Number of seeds n, at least 2 (an interval needs two paired differences); default 5. Uniform and every candidate run
    /// on the seeds <see cref="FirstSeed"/>, <see cref="FirstSeed"/> + 1, ..., <see cref="FirstSeed"/> + n - 1.
    /// </summary>
    public int Seeds { get; set; } = 5;

    /// <summary>The first seed passed to the callback, at least 0; default 0 (seeds 0 to <see cref="Seeds"/> - 1).</summary>
    public int FirstSeed { get; set; }

    /// <summary>
    /// Family-wise confidence level in (0, 1); default 0.95. With K candidates each paired interval is taken at
    /// 1 - (1 - Confidence) / K (Bonferroni), so that the chance of choosing any candidate that is in truth no better than
    /// Uniform stays at most (1 - Confidence) / 2.
    /// </summary>
    public double Confidence { get; set; } = 0.95;

    /// <summary>
    /// The configurations compared with Uniform, at least one, labels unique; default null, which means
    /// <see cref="BtwTrial.DefaultCandidates"/> (<c>Correlation+shrink</c> and <c>Mi</c>). Each candidate costs
    /// <see cref="Seeds"/> more training runs and widens every interval (Bonferroni): keep the list short.
    /// </summary>
    public IReadOnlyList<BtwTrialCandidate>? Candidates { get; set; }

    /// <summary>
    /// Receives a <see cref="BtwTrialProgress"/> after each finished run; default null (no reports). Called on the thread
    /// that ran the callback (a worker thread when <see cref="RunInParallel"/> is on). Note that
    /// <see cref="Progress{T}"/> posts its reports asynchronously.
    /// </summary>
    public IProgress<BtwTrialProgress>? Progress { get; set; }

    /// <summary>
    /// Checked before each run (never during one: pass it into your callback to stop a run midway); when cancelled, the
    /// trial starts no further run and throws <see cref="OperationCanceledException"/>. Default: none.
    /// </summary>
    public CancellationToken CancellationToken { get; set; }

    /// <summary>
    /// Whether runs (configuration, seed) may execute concurrently; default false (one at a time, in the order seed 0:
    /// Uniform, then each candidate; seed 1: ...). Results are stored by (configuration, seed), so the result is the same
    /// either way provided the callback's loss depends only on its options and seed. The callback must then be
    /// thread-safe and must not rely on process-wide random state: <c>torch.manual_seed</c> is global to the process, so
    /// models seeded that way are not reproducible when trained concurrently.
    /// </summary>
    public bool RunInParallel { get; set; }

    /// <summary>Most runs at once when <see cref="RunInParallel"/> is on: -1 (default, the thread pool decides) or at least 1.</summary>
    public int MaxDegreeOfParallelism { get; set; } = -1;

    /// <summary>Checks every setting and throws if one is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A number is out of range; the message names it, its value and the allowed range.</exception>
    /// <exception cref="ArgumentException"><see cref="Candidates"/> is empty, holds null, an empty label, a label used twice or the label <see cref="BtwTrial.UniformLabel"/>, or a candidate with null options.</exception>
    public void Validate()
    {
        Require(Seeds >= 2, nameof(Seeds), Seeds, "at least 2 (a paired interval needs two differences)");
        Require(FirstSeed >= 0, nameof(FirstSeed), FirstSeed, "at least 0");
        Require((long)FirstSeed + Seeds - 1 <= int.MaxValue, nameof(FirstSeed), FirstSeed, string.Create(CultureInfo.InvariantCulture, $"at most int.MaxValue - Seeds + 1 = {int.MaxValue - Seeds + 1}"));
        Require(Confidence > 0 && Confidence < 1, nameof(Confidence), Confidence, "in (0, 1)");
        Require(MaxDegreeOfParallelism == -1 || MaxDegreeOfParallelism >= 1, nameof(MaxDegreeOfParallelism), MaxDegreeOfParallelism, "-1 or at least 1");
        if (Candidates is null)
        {
            return;
        }

        if (Candidates.Count == 0)
        {
            throw new ArgumentException("BtwTrialOptions.Candidates must hold at least one candidate (or be null for the default candidates).", nameof(Candidates));
        }

        var labels = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Candidates.Count; i++)
        {
            var candidate = Candidates[i] ?? throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"BtwTrialOptions.Candidates[{i}] is null."), nameof(Candidates));
            if (string.IsNullOrWhiteSpace(candidate.Label))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"BtwTrialOptions.Candidates[{i}] has an empty label; every candidate needs a name for the result's rows."), nameof(Candidates));
            }

            if (candidate.Options is null)
            {
                throw new ArgumentException($"Candidate '{candidate.Label}' has no options (null).", nameof(Candidates));
            }

            if (string.Equals(candidate.Label, BtwTrial.UniformLabel, StringComparison.Ordinal))
            {
                throw new ArgumentException($"Candidate label '{BtwTrial.UniformLabel}' is reserved for the baseline, which every trial runs; remove it or rename it.", nameof(Candidates));
            }

            if (!labels.Add(candidate.Label))
            {
                throw new ArgumentException($"Candidate label '{candidate.Label}' is used twice; labels must be unique.", nameof(Candidates));
            }
        }
    }

    private static void Require(bool condition, string name, object value, string expected) =>
        OptionCheck.Require(condition, nameof(BtwTrialOptions), name, value, expected);
}
