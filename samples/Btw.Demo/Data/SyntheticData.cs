using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Btw.Demo.Data;

/// <summary>
/// A seeded multimodal generator where the truth is known. Classification: y uniform over C classes;
/// modality m has class prototypes P_m[c] ~ N(0, I_d); an informative view is x = P_m[y] + e, a weak
/// one a P_m[y] + e (a = <see cref="SyntheticOptions.WeakAmplitude"/>, 0.35 by default), a noise view
/// e, e ~ N(0, I_d). Regression: z ~ N(0, I_k), y = b . z + 0.1 e with |b| = 1; a view is A_m z + e
/// (informative, A_m ~ N(0, 1/k)), a A_m z + e (weak) or e (noise). In every row each informative view is
/// independently replaced by pure noise with probability <see cref="SyntheticOptions.Corruption"/>;
/// <see cref="Corrupted"/> records where.
/// </summary>
internal sealed class SyntheticData
{
    private SyntheticData(MultiViewDataset data, bool[,] corrupted)
    {
        Data = data;
        Corrupted = corrupted;
    }

    public MultiViewDataset Data { get; }

    /// <summary>[row, modality]: true where an informative view was replaced by noise.</summary>
    public bool[,] Corrupted { get; }

    public static SyntheticData Generate(SyntheticOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Kinds.Count == 0 || options.Rows < 2 || options.Width < 1 || options.Classes < 2 || options.LatentDim < 1)
        {
            throw new ArgumentException("Synthetic options need at least one modality, 2 rows, width 1, 2 classes, latent dimension 1.", nameof(options));
        }

        if (options.Corruption is < 0 or >= 1)
        {
            throw new ArgumentException($"Corruption must be in [0, 1), was {options.Corruption}.", nameof(options));
        }

        var random = new Random(options.Seed);
        var m = options.Kinds.Count;
        var d = options.Width;
        var n = options.Rows;
        var classification = options.Task == BtwTask.Classification;
        var k = options.LatentDim;

        // Per-modality projections: prototypes [C, d] (classification) or loadings [d, k] (regression).
        var projections = Enumerable.Range(0, m).Select(_ => Gaussian(random, classification ? options.Classes * d : d * k, classification ? 1.0 : 1.0 / Math.Sqrt(k))).ToArray();
        var beta = Gaussian(random, k, 1.0);
        var norm = Math.Sqrt(beta.Sum(b => b * b));
        for (var i = 0; i < k; i++)
        {
            beta[i] /= norm;
        }

        var labels = new int[n];
        var targets = new float[n];
        var values = Enumerable.Range(0, m).Select(_ => new float[n * d]).ToArray();
        var corrupted = new bool[n, m];
        var latent = new double[k];
        for (var r = 0; r < n; r++)
        {
            if (classification)
            {
                labels[r] = random.Next(options.Classes);
            }
            else
            {
                for (var i = 0; i < k; i++)
                {
                    latent[i] = NextGaussian(random);
                }

                targets[r] = (float)(Enumerable.Range(0, k).Sum(i => beta[i] * latent[i]) + 0.1 * NextGaussian(random));
            }

            for (var j = 0; j < m; j++)
            {
                var kind = options.Kinds[j];
                var amplitude = kind switch
                {
                    SyntheticKind.Informative => 1.0,
                    SyntheticKind.Weak => options.WeakAmplitude,
                    _ => 0.0,
                };
                if (kind == SyntheticKind.Informative && random.NextDouble() < options.Corruption)
                {
                    corrupted[r, j] = true;
                    amplitude = 0;
                }

                for (var c = 0; c < d; c++)
                {
                    double signal;
                    if (classification)
                    {
                        signal = projections[j][labels[r] * d + c];
                    }
                    else
                    {
                        signal = 0;
                        for (var i = 0; i < k; i++)
                        {
                            signal += projections[j][c * k + i] * latent[i];
                        }
                    }

                    values[j][r * d + c] = (float)(amplitude * signal + NextGaussian(random));
                }
            }
        }

        var views = Enumerable.Range(0, m).Select(j => new DatasetView(
            string.Create(CultureInfo.InvariantCulture, $"m{j}-{options.Kinds[j].ToString().ToLowerInvariant()}"),
            Enumerable.Range(0, d).Select(c => string.Create(CultureInfo.InvariantCulture, $"x{c}")).ToArray(),
            values[j])).ToArray();
        var data = classification
            ? MultiViewDataset.Classification("synthetic", views, labels, Enumerable.Range(0, options.Classes).Select(c => c.ToString(CultureInfo.InvariantCulture)).ToArray())
            : MultiViewDataset.Regression("synthetic-regression", views, targets);
        return new SyntheticData(data, corrupted);
    }

    /// <summary>Parses a comma-separated list such as "informative,informative,weak,noise" (or i,i,w,n).</summary>
    public static IReadOnlyList<SyntheticKind> ParseKinds(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(part => part.ToUpperInvariant() switch
        {
            "I" or "INFORMATIVE" => SyntheticKind.Informative,
            "W" or "WEAK" => SyntheticKind.Weak,
            "N" or "NOISE" => SyntheticKind.Noise,
            _ => throw new FormatException($"Unknown synthetic modality kind '{part}' (informative, weak or noise)."),
        }).ToArray();
    }

    /// <summary>Standard normal draw (Box-Muller on System.Random, so the stream is reproducible).</summary>
    public static double NextGaussian(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    private static double[] Gaussian(Random random, int count, double scale) =>
        Enumerable.Range(0, count).Select(_ => scale * NextGaussian(random)).ToArray();
}
