using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using static TorchSharp.torch;
namespace Btw.Benchmarks;
/// <summary>
/// Prints, per configuration (every weighting mode, temperature, presence masks, NaN rows with SkipRows, float16 and
/// mixed dtypes, every regression shape), a SHA-256 prefix of everything a weighter produced over three epochs of
/// random batches: the weights returned, the saved state before and after each EndEpoch and the reports. Equal digests
/// before and after a change mean the change altered no bit of the behaviour on CPU. Every configuration sets its mode and
/// unseen weights explicitly (the paper's, the defaults before 0.3), so the digests do not move with the defaults.
/// Since format version 4 (Btw 0.4) a saved state enters the digest without its envelope and its settings (the version
/// and the new setting <see cref="BtwOptions.ModalityStatistics"/> changed them), and every configuration runs under
/// <see cref="BtwModalityStatistics.All"/>, which estimates what 0.3 estimated: the same digests on 0.3.1 and on 0.4 mean
/// that the weights, the statistics and the stored state are the same bits.
/// </summary>
internal static class StateDigest
{
    public static void Run()
    {
        var configs = new List<(string Name, BtwOptions O, Func<Generator, long, Tensor> Make, bool Present, ScalarType Dt, ScalarType MultiDt, bool Nan)>();
        foreach (var w in Enum.GetValues<BtwWeighting>())
        {
            configs.Add(($"cls-{w}", new BtwOptions { Modalities = 3, Weighting = w, UnseenWeights = BtwUnseenWeights.Ones }, (g, b) => randn(b, 7, generator: g) * 3, true, ScalarType.Float32, ScalarType.Float32, false));
        }
        configs.Add(("cls-T2-f64", new BtwOptions { Modalities = 4, Weighting = BtwWeighting.KlMi, UnseenWeights = BtwUnseenWeights.Ones, Temperature = 2.5 }, (g, b) => randn(b, 5, generator: g) * 3, false, ScalarType.Float64, ScalarType.Float64, false));
        configs.Add(("cls-mixed", new BtwOptions { Modalities = 2, Weighting = BtwWeighting.KlMi, UnseenWeights = BtwUnseenWeights.Ones, Scale = BtwScale.SumToOne }, (g, b) => randn(b, 3, generator: g) * 300, true, ScalarType.Float32, ScalarType.Float64, false));
        configs.Add(("cls-nan", new BtwOptions { Modalities = 3, Weighting = BtwWeighting.KlMi, UnseenWeights = BtwUnseenWeights.Ones, NonFinite = BtwNonFinitePolicy.SkipRows }, (g, b) => randn(b, 4, generator: g), true, ScalarType.Float32, ScalarType.Float32, true));
        configs.Add(("cls-1", BtwOptions.Paper(1, BtwTask.Classification), (g, b) => randn(b, 2, generator: g), false, ScalarType.Float32, ScalarType.Float32, false));
        configs.Add(("cls-half", BtwOptions.Paper(2, BtwTask.Classification), (g, b) => randn(b, 6, generator: g), false, ScalarType.Float16, ScalarType.Float32, false));
        foreach (var shape in new[] { 0, 1, 2 })
        {
            foreach (var w in new[] { BtwWeighting.Kl, BtwWeighting.Entropy, BtwWeighting.Correlation })
            {
                configs.Add(($"reg-{shape}-{w}", new BtwOptions { Modalities = 3, Task = BtwTask.Regression, Weighting = w, UnseenWeights = BtwUnseenWeights.Ones, RegressionSigma = 0.7, RegressionOutput = shape == 2 ? BtwRegressionOutput.MeanAndLogVariance : BtwRegressionOutput.Mean },
                    (g, b) => shape == 0 ? randn(b, generator: g) : randn(b, shape, generator: g), true, ScalarType.Float32, ScalarType.Float32, false));
            }
        }
        configs.Add(("reg-nan", new BtwOptions { Modalities = 2, Task = BtwTask.Regression, Weighting = BtwWeighting.Kl, UnseenWeights = BtwUnseenWeights.Ones, RegressionOutput = BtwRegressionOutput.MeanAndLogVariance, NonFinite = BtwNonFinitePolicy.SkipRows }, (g, b) => randn(b, 2, generator: g), true, ScalarType.Float64, ScalarType.Float32, true));

        var path = Path.GetTempFileName();
        foreach (var c in configs)
        {
            c.O.ModalityStatistics = BtwModalityStatistics.All;
            var g = new Generator(42);
            var w = new BtwWeighter(c.O);
            var m = c.O.Modalities;
            var digest = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            for (var epoch = 0; epoch < 3; epoch++)
            {
                for (var b = 0; b < 6; b++)
                {
                    using var scope = NewDisposeScope();
                    var n = b == 5 ? 17 : 64;
                    var ids = randperm(500, generator: g).narrow(0, 0, n);
                    var multi = c.Make(g, n).to_type(c.MultiDt);
                    var uni = new List<Tensor>();
                    for (var j = 0; j < m; j++)
                    {
                        uni.Add((multi.to_type(ScalarType.Float32) * (1.0 - j * 0.4) + c.Make(g, n) * 0.5).to_type(c.Dt));
                    }
                    if (c.Nan) { uni[0][3] = uni[0][3] * double.NaN; multi[5] = multi[5] * double.PositiveInfinity; }
                    Tensor? present = null;
                    if (c.Present && m > 1)
                    {
                        present = rand(n, m, generator: g).gt(0.25);
                        present[.., 0] = present[.., 0].logical_or(present.any(1).logical_not());
                    }
                    var wf = present is null ? w.WeightsFor(ids) : w.WeightsFor(ids, present);
                    digest.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(wf.contiguous().data<float>().ToArray().AsSpan()));
                    w.Observe(ids, uni, multi, present);
                }
                w.Save(path);
                digest.AppendData(StateBody(File.ReadAllBytes(path), c.O));
                var r = w.EndEpoch();
                foreach (var mr in r.Modalities) digest.AppendData(BitConverter.GetBytes(mr.MutualInformation + mr.MeanWeight * 3 + mr.WeightStdDev * 7 + mr.NormalizedMutualInformation * 11 + mr.Present));
                w.Save(path);
                digest.AppendData(StateBody(File.ReadAllBytes(path), c.O));
            }
            Console.WriteLine($"{c.Name,-22} {Convert.ToHexString(digest.GetHashAndReset())[..16]}");
        }
    }

    /// <summary>The saved state after its settings: the file without its 20-byte header, the option fields and the 32-byte checksum.</summary>
    private static byte[] StateBody(byte[] file, BtwOptions options)
    {
        using var settings = new MemoryStream();
        using (var w = new BinaryWriter(settings, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            Btw.Persistence.OptionFields.Write(w, options);
        }

        var start = 20 + (int)settings.Length;
        return file[start..^32];
    }
}
