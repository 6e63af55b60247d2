using System;
using Btw.Internal;
using Btw.Kernels;
using TorchSharp;
using static TorchSharp.torch;

namespace Btw;

/// <summary>
/// Instance-level divergences between a unimodal and the multimodal prediction of each example,
/// in nats. Computation is in float64 on the inputs' device, without gradient; the result has the
/// promoted floating dtype of the two inputs. These functions never look at labels.
/// </summary>
public static class InstanceDivergence
{
    /// <summary>Default lower clamp of variances in <see cref="Gaussian(Tensor, Tensor, double, double)"/>.</summary>
    public const double DefaultVarianceEpsilon = 1e-6;

    /// <summary>
    /// KL(softmax(u / T) || softmax(z / T)) = sum_c p_u(c) (log p_u(c) - log p_z(c)) per row, computed from
    /// log_softmax so that large logits (|logit| in the hundreds) do not overflow. Equals
    /// <c>scipy.stats.entropy(softmax(u/T), softmax(z/T))</c>. Tiny negative results of rounding are clamped to 0.
    /// </summary>
    /// <param name="unimodalLogits">Unimodal logits u, floating point, shape [B, C].</param>
    /// <param name="multimodalLogits">Multimodal logits z, floating point, shape [B, C], on the same device.</param>
    /// <param name="temperature">Softmax temperature T &gt; 0; default 1.</param>
    /// <returns>The divergence per example, shape [B], nats, non-negative.</returns>
    /// <exception cref="ArgumentException">A tensor is not floating point or not [B, C] with C &gt;= 2, or the shapes differ.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="temperature"/> is not finite and positive.</exception>
    public static Tensor Categorical(Tensor unimodalLogits, Tensor multimodalLogits, double temperature = 1.0)
    {
        ArgumentNullException.ThrowIfNull(unimodalLogits);
        ArgumentNullException.ThrowIfNull(multimodalLogits);
        RequireFloating(unimodalLogits, nameof(unimodalLogits));
        RequireFloating(multimodalLogits, nameof(multimodalLogits));
        TaskShapes.Require(unimodalLogits, BtwTask.Classification, "The unimodal logits", null, nameof(unimodalLogits));

        if (!SameShape(unimodalLogits, multimodalLogits))
        {
            throw new ArgumentException(Shapes.Message($"Expected multimodal logits of the unimodal shape {Shapes.Of(unimodalLogits)}; got {Shapes.Of(multimodalLogits)}."), nameof(multimodalLogits));
        }

        if (!(temperature > 0) || double.IsInfinity(temperature))
        {
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "The temperature must be finite and > 0.");
        }

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var logPu = nn.functional.log_softmax(unimodalLogits.to_type(ScalarType.Float64) / temperature, 1);
        var logPz = nn.functional.log_softmax(multimodalLogits.to_type(ScalarType.Float64) / temperature, 1);
        var d = CategoricalKernel.Divergence(logPu, logPz);
        return d.to_type(promote_types(unimodalLogits.dtype, multimodalLogits.dtype)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Gaussian KL divergence between unimodal and multimodal regression outputs, per row.
    /// For mean-only outputs ([B] or [B, 1]) both are Gaussians with the same fixed sigma, so
    /// d = (mu_u - mu_z)^2 / (2 sigma^2). For outputs [B, 2] = (mean, log-variance):
    /// d = log(s_z / s_u) + (s_u^2 + (mu_u - mu_z)^2) / (2 s_z^2) - 1/2, with variances clamped below by
    /// <paramref name="varianceEpsilon"/>.
    /// </summary>
    /// <param name="unimodal">Unimodal output, floating point, [B], [B, 1] or [B, 2].</param>
    /// <param name="multimodal">Multimodal output, same shape and device as <paramref name="unimodal"/>.</param>
    /// <param name="sigma">Fixed standard deviation of mean-only outputs, &gt; 0; default 1. Ignored for [B, 2].</param>
    /// <param name="varianceEpsilon">Lower clamp of the variances of [B, 2] outputs, &gt; 0; default 1e-6.</param>
    /// <returns>The divergence per example, shape [B], nats, non-negative.</returns>
    /// <exception cref="ArgumentException">A tensor is not floating point or not of a supported shape, or the shapes differ.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sigma"/> or <paramref name="varianceEpsilon"/> is not finite and positive.</exception>
    public static Tensor Gaussian(Tensor unimodal, Tensor multimodal, double sigma = 1.0, double varianceEpsilon = DefaultVarianceEpsilon)
    {
        ArgumentNullException.ThrowIfNull(unimodal);
        ArgumentNullException.ThrowIfNull(multimodal);
        RequireFloating(unimodal, nameof(unimodal));
        RequireFloating(multimodal, nameof(multimodal));
        var columns = TaskShapes.Require(unimodal, BtwTask.Regression, "The unimodal output", null, nameof(unimodal));
        if (!SameShape(unimodal, multimodal))
        {
            throw new ArgumentException(Shapes.Message($"Expected a multimodal output of the unimodal shape {Shapes.Of(unimodal)}; got {Shapes.Of(multimodal)}."), nameof(multimodal));
        }

        if (!(sigma > 0) || double.IsInfinity(sigma))
        {
            throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "Sigma must be finite and > 0.");
        }

        if (!(varianceEpsilon > 0) || double.IsInfinity(varianceEpsilon))
        {
            throw new ArgumentOutOfRangeException(nameof(varianceEpsilon), varianceEpsilon, "The variance epsilon must be finite and > 0.");
        }

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var u = unimodal.to_type(ScalarType.Float64);
        var z = multimodal.to_type(ScalarType.Float64);
        var d = columns == 2
            ? GaussianKernel.Divergence(u[.., 0], u[.., 1], z[.., 0], z[.., 1], varianceEpsilon)
            : GaussianKernel.Divergence(u.reshape(-1), z.reshape(-1), sigma);
        return d.to_type(promote_types(unimodal.dtype, multimodal.dtype)).MoveToOuterDisposeScope();
    }

    private static bool SameShape(Tensor a, Tensor b) => a.shape.AsSpan().SequenceEqual(b.shape);

    private static void RequireFloating(Tensor tensor, string paramName)
    {
        if (!Shapes.IsFloating(tensor))
        {
            throw new ArgumentException(Shapes.Message($"Expected a floating-point tensor; got {tensor.dtype} {Shapes.Of(tensor)}."), paramName);
        }
    }
}
