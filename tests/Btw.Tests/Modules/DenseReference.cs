using System;
using System.Collections.Generic;
using System.Linq;
using MathNet.Numerics;
using static TorchSharp.torch;

namespace Btw.Tests.Modules;

/// <summary>
/// An independent, dense, double-precision re-implementation of the evaluation-mode forward pass of a
/// <see cref="BtwMixtureOfExperts"/> whose encoders are the identity, written per example and per token with plain
/// arrays from the module's state dictionary (no gather/scatter, no tensors in the computation).
/// </summary>
internal sealed class DenseReference
{
    private readonly BtwMoEOptions options;
    private readonly Dictionary<string, (float[] Values, long[] Shape)> state;

    public DenseReference(BtwMixtureOfExperts model)
    {
        options = model.Options;
        state = model.state_dict().ToDictionary(kv => kv.Key, kv => (TestData.Values(kv.Value), kv.Value.shape));
    }

    /// <summary>Tokens routed to each expert by the last <see cref="Multimodal"/> call.</summary>
    public long[] ExpertCounts { get; private set; } = Array.Empty<long>();

    /// <summary>Per router r and expert e, Σ over the router's tokens of the gate G_e (0 when e is not chosen), last call.</summary>
    public double[,] Importance { get; private set; } = new double[0, 0];

    /// <summary>Per router r and expert e, the number of the router's tokens routed to e, last call.</summary>
    public double[,] Load { get; private set; } = new double[0, 0];

    /// <summary>Per router r and expert e, Σ over the router's tokens of the softmax over all E scores, last call.</summary>
    public double[,] Probability { get; private set; } = new double[0, 0];

    /// <summary>Tokens scored by each router in the last call.</summary>
    public double[] Tokens { get; private set; } = Array.Empty<double>();

    /// <summary>The load-balancing loss of the last call, from <see cref="Importance"/>, <see cref="Load"/> and <see cref="Probability"/>.</summary>
    public double AuxiliaryLoss()
    {
        var routers = Tokens.Length;
        var e = options.Experts;
        double sum = 0;
        var active = 0;
        for (var r = 0; r < routers; r++)
        {
            if (Tokens[r] == 0)
            {
                continue;
            }

            active++;
            if (options.LoadBalancing == BtwLoadBalancing.ImportanceAndLoad)
            {
                sum += Cv2(Row(Importance, r)) + Cv2(Row(Load, r));
            }
            else
            {
                for (var k = 0; k < e; k++)
                {
                    sum += e * (Load[r, k] / (Tokens[r] * options.TopK)) * (Probability[r, k] / Tokens[r]);
                }
            }
        }

        return sum / active;
    }

    private static double[] Row(double[,] a, int r) => Enumerable.Range(0, a.GetLength(1)).Select(k => a[r, k]).ToArray();

    private static double Cv2(double[] x)
    {
        var mean = x.Average();
        var variance = x.Select(v => (v - mean) * (v - mean)).Average();
        return variance / (mean * mean + 1e-10);
    }

    /// <summary>The multimodal output [B][Outputs] for identity-encoded inputs x[m] of shape [B, D].</summary>
    public double[][] Multimodal(float[][] x, long batch, float[]? weights = null, bool[]? present = null)
    {
        var m = options.Modalities;
        var d = options.EmbeddingDim;
        var e = options.Experts;
        ExpertCounts = new long[e];
        var routers = options.Router == BtwRouter.PerModality ? m : 1;
        Importance = new double[routers, e];
        Load = new double[routers, e];
        Probability = new double[routers, e];
        Tokens = new double[routers];
        var pooledWidth = options.Pooling == BtwPooling.Concatenate ? m * d : d;
        var result = new double[batch][];
        for (var i = 0; i < batch; i++)
        {
            var pooled = new double[pooledWidth];
            var count = 0;
            for (var j = 0; j < m; j++)
            {
                if (present is not null && !present[i * m + j])
                {
                    continue;
                }

                count++;
                var w = weights is null ? 1.0 : weights[i * m + j];
                var token = new double[d];
                for (var c = 0; c < d; c++)
                {
                    token[c] = w * x[j][i * d + c];
                }

                var mixed = Mix(token, options.Router == BtwRouter.PerModality ? j : 0);
                for (var c = 0; c < d; c++)
                {
                    if (options.Pooling == BtwPooling.Concatenate)
                    {
                        pooled[j * d + c] = mixed[c];
                    }
                    else
                    {
                        pooled[c] += mixed[c];
                    }
                }
            }

            if (options.Pooling == BtwPooling.Mean)
            {
                for (var c = 0; c < d; c++)
                {
                    pooled[c] /= Math.Max(count, 1);
                }
            }

            result[i] = Affine("btw_multimodal_head", pooled);
        }

        return result;
    }

    private double[] Mix(double[] token, int router)
    {
        var d = options.EmbeddingDim;
        var e = options.Experts;
        var (gate, _) = state["btw_moe.gate"];
        var scores = new double[e];
        for (var k = 0; k < e; k++)
        {
            double s = 0;
            for (var c = 0; c < d; c++)
            {
                if (options.Gating == BtwGating.Softmax)
                {
                    s += token[c] * gate[(router * d + c) * e + k];                // [R, D, E]
                }
                else
                {
                    var diff = token[c] - gate[(router * e + k) * d + c];          // [R, E, D]
                    s += diff * diff;
                }
            }

            scores[k] = options.Gating == BtwGating.Softmax ? s : -Math.Sqrt(s);
        }

        var chosen = Enumerable.Range(0, e).OrderByDescending(k => scores[k]).Take(options.TopK).ToArray();
        var max = chosen.Max(k => scores[k]);
        var exp = chosen.Select(k => Math.Exp(scores[k] - max)).ToArray();
        var total = exp.Sum();
        var all = scores.Select(v => Math.Exp(v - max)).ToArray();
        var allTotal = all.Sum();
        Tokens[router]++;
        for (var k = 0; k < e; k++)
        {
            Probability[router, k] += all[k] / allTotal;
        }

        var output = new double[d];
        for (var t = 0; t < chosen.Length; t++)
        {
            ExpertCounts[chosen[t]]++;
            Importance[router, chosen[t]] += exp[t] / total;
            Load[router, chosen[t]]++;
            var y = Expert(chosen[t], token);
            for (var c = 0; c < d; c++)
            {
                output[c] += exp[t] / total * y[c];
            }
        }

        return output;
    }

    private double[] Expert(int expert, double[] token)
    {
        var hidden = Affine($"btw_moe.experts.{expert}.hidden", token);
        for (var h = 0; h < hidden.Length; h++)
        {
            hidden[h] = 0.5 * hidden[h] * (1.0 + SpecialFunctions.Erf(hidden[h] / Math.Sqrt(2.0)));
        }

        return Affine($"btw_moe.experts.{expert}.output", hidden);
    }

    // y = W x + b with W [out, in] as nn.Linear.
    private double[] Affine(string prefix, double[] input)
    {
        var (weight, shape) = state[prefix + ".weight"];
        var (bias, _) = state[prefix + ".bias"];
        var rows = (int)shape[0];
        var cols = (int)shape[1];
        var y = new double[rows];
        for (var r = 0; r < rows; r++)
        {
            double s = bias[r];
            for (var c = 0; c < cols; c++)
            {
                s += weight[r * cols + c] * input[c];
            }

            y[r] = s;
        }

        return y;
    }

    public static float[][] Flatten(IEnumerable<Tensor> inputs) => inputs.Select(TestData.Values).ToArray();
}
