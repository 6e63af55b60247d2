using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Btw.Tests.Modules;

namespace Btw.Tests.Trial;

/// <summary>
/// A training callback that returns losses from a table instead of training: each configuration is recognised by its
/// <see cref="BtwOptions.Weighting"/> (Uniform for the baseline; candidates get Kl, Mi, KlMi, Entropy, Correlation in
/// order), and losses[configuration][seed - firstSeed] is returned. Counts its calls.
/// </summary>
internal sealed class LossTable
{
    private static readonly BtwWeighting[] CandidateWeightings =
        [BtwWeighting.Kl, BtwWeighting.Mi, BtwWeighting.KlMi, BtwWeighting.Entropy, BtwWeighting.Correlation];

    private readonly Dictionary<BtwWeighting, double[]> losses = new();
    private readonly int firstSeed;
    private int calls;

    /// <param name="uniform">Uniform's loss per seed.</param>
    /// <param name="candidates">Each candidate's label and loss per seed (at most five).</param>
    /// <param name="firstSeed">The seed of the first loss.</param>
    /// <param name="modalities">The trial's modalities.</param>
    public LossTable(double[] uniform, IReadOnlyList<(string Label, double[] Losses)> candidates, int firstSeed = 0, int modalities = 3)
    {
        this.firstSeed = firstSeed;
        losses[BtwWeighting.Uniform] = uniform;
        var list = new List<BtwTrialCandidate>();
        for (var i = 0; i < candidates.Count; i++)
        {
            losses[CandidateWeightings[i]] = candidates[i].Losses;
            list.Add(new BtwTrialCandidate(candidates[i].Label, new BtwOptions { Modalities = modalities, Weighting = CandidateWeightings[i] }));
        }

        Candidates = list;
    }

    /// <summary>The candidates, with the labels given.</summary>
    public IReadOnlyList<BtwTrialCandidate> Candidates { get; }

    /// <summary>How often <see cref="Loss"/> ran.</summary>
    public int Calls => Volatile.Read(ref calls);

    /// <summary>The callback.</summary>
    public double Loss(BtwOptions options, int seed)
    {
        Interlocked.Increment(ref calls);
        return losses[options.Weighting][seed - firstSeed];
    }

    /// <summary>Trial options with these candidates and as many seeds as the table has losses.</summary>
    public BtwTrialOptions Options(double confidence = 0.95) =>
        new() { Seeds = losses[BtwWeighting.Uniform].Length, FirstSeed = firstSeed, Candidates = Candidates, Confidence = confidence };

    /// <summary>n values uniform[s] + offset + noise, noise ~ N(0, sd^2) from a seeded generator.</summary>
    public static double[] Shifted(double[] uniform, double offset, double sd, int noiseSeed)
    {
        var random = new Random(noiseSeed);
        return uniform.Select(u => u + offset + sd * TestData.Gaussian(random)).ToArray();
    }

    /// <summary>n per-seed Uniform losses around <paramref name="level"/> with a seed-to-seed spread of 0.05 (shared by all configurations).</summary>
    public static double[] Baseline(int n, double level, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => level + 0.05 * TestData.Gaussian(random)).ToArray();
    }
}
