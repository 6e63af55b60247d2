using System;
using Btw.Internal;
using TorchSharp;
using static TorchSharp.torch;


namespace Btw.Kernels;

/// <summary>
/// The regression kernel: outputs are means [B] / [B, 1] (a Gaussian with a shared sigma) or [B, 2] = (mean,
/// log-variance, variances clamped below by epsilon). Per example and modality: the Gaussian KL divergence in nats; the
/// MI value and the agreement value, both the mean (also multimodal); the confidence score exp(-H) = 1 / sqrt(2 pi e
/// s^2) (1 for mean-only outputs); the finite flag. The modality information is the KSG estimate over the means. The
/// host path (<see cref="Fill"/>) and the tensor path (<see cref="Compute"/>) below are the same formulas.
/// </summary>
internal sealed class GaussianKernel(double sigma, double varianceEpsilon, int neighbors, BtwRegressionOutput output = BtwRegressionOutput.Mean) : ITaskKernel
{
    private const double EntropyScale = 2.0 * Math.PI * Math.E;

    /// <summary>KL of two Gaussians with a common sigma from float64 means; diff * (diff / 2 sigma^2): no overflow while d is finite.</summary>
    public static Tensor Divergence(Tensor meanU, Tensor meanZ, double sigma)
    {
        var diff = meanU - meanZ;
        return diff * (diff / (2.0 * sigma * sigma));
    }

    /// <summary>KL(N(mu_u, s_u^2) || N(mu_z, s_z^2)) from float64 means and log-variances; clamped at 0.</summary>
    public static Tensor Divergence(Tensor meanU, Tensor logVarU, Tensor meanZ, Tensor logVarZ, double varianceEpsilon)
    {
        var varU = logVarU.exp().clamp_min(varianceEpsilon);
        var varZ = logVarZ.exp().clamp_min(varianceEpsilon);
        var diff = meanU - meanZ;
        return (0.5 * (varZ.log() - varU.log()) + (varU + diff * diff) / (2.0 * varZ) - 0.5).clamp_min(0.0);
    }

    /// <inheritdoc/>
    public void ValidateOutput(Tensor multimodal, long batch)
    {
        var columns = TaskShapes.Require(multimodal, BtwTask.Regression, "The multimodal output", "BtwOptions.Task", nameof(multimodal));
        TaskShapes.RequireDeclaredRegressionOutput(columns, output, Shapes.Of(multimodal), "BtwOptions", nameof(multimodal));
        if (multimodal.shape[0] != batch)
        {
            throw new ArgumentException(Shapes.Message($"Expected a multimodal output with {batch} rows (the number of ids); got {Shapes.Of(multimodal)}."), nameof(multimodal));
        }
    }

    /// <inheritdoc/>
    public Tensor Compute(Tensor outputs)
    {
        var m = (int)outputs.shape[0] - 1;
        var means = outputs[.., .., 0];                                          // [M + 1, B]
        var meanU = means.narrow(0, 0, m);
        Tensor divergence, confidence;
        if (outputs.shape[2] == 2)
        {
            var logVar = outputs[.., .., 1];
            var logVarU = logVar.narrow(0, 0, m);
            divergence = Divergence(meanU, logVarU, means[m], logVar[m], varianceEpsilon);
            confidence = (logVarU.exp().clamp_min(varianceEpsilon) * EntropyScale).rsqrt();
        }
        else
        {
            divergence = Divergence(meanU, means[m], sigma);
            confidence = ones_like(meanU);                                       // mean-only outputs share one sigma
        }

        return BatchStatistics.Stack(divergence, means, confidence, means, BatchStatistics.FiniteRows(outputs));
    }

    /// <inheritdoc/>
    public void Fill(ReadOnlySpan<double> outputs, int width, BatchStatistics target)
    {
        var m = target.Modalities;
        var batch = target.Batch;
        var value = target.Of(ObservationColumns.Value, m);
        var agreement = target.Of(ObservationColumns.Agreement, m);
        var finite = target.FiniteOf(m);
        for (var i = 0; i < batch; i++)
        {
            var z = outputs.Slice(((m * batch) + i) * width, width);
            value[i] = z[0];
            agreement[i] = z[0];
            finite[i] = HostMath.AllFinite(z) ? 1.0 : 0.0;
        }

        for (var j = 0; j < m; j++)
        {
            var divergence = target.Of(ObservationColumns.Divergence, j);
            var confidence = target.Of(ObservationColumns.Confidence, j);
            value = target.Of(ObservationColumns.Value, j);
            agreement = target.Of(ObservationColumns.Agreement, j);
            finite = target.FiniteOf(j);
            for (var i = 0; i < batch; i++)
            {
                var u = outputs.Slice(((j * batch) + i) * width, width);
                var z = outputs.Slice(((m * batch) + i) * width, width);
                var diff = u[0] - z[0];
                if (width == 2)
                {
                    var varU = HostMath.ClampMin(Math.Exp(u[1]), varianceEpsilon);
                    var varZ = HostMath.ClampMin(Math.Exp(z[1]), varianceEpsilon);
                    divergence[i] = HostMath.ClampMin((0.5 * (Math.Log(varZ) - Math.Log(varU))) + ((varU + (diff * diff)) / (2.0 * varZ)) - 0.5, 0.0);
                    confidence[i] = 1.0 / Math.Sqrt(varU * EntropyScale);
                }
                else
                {
                    divergence[i] = diff * (diff / (2.0 * sigma * sigma));
                    confidence[i] = 1.0;
                }

                value[i] = u[0];
                agreement[i] = u[0];
                finite[i] = HostMath.AllFinite(u) ? 1.0 : 0.0;
            }
        }
    }

    /// <inheritdoc/>
    public double MutualInformation(double[] unimodal, double[] multimodal) => Btw.Information.KsgEstimator.Estimate(unimodal, multimodal, neighbors);

    /// <inheritdoc/>
    public double UnclippedMutualInformation(double[] unimodal, double[] multimodal) => Btw.Information.KsgEstimator.EstimateUnclipped(unimodal, multimodal, neighbors);
}
