using TorchSharp;

namespace Btw.Kernels;

/// <summary>
/// Everything the weighter computes that depends on the task, chosen once at construction (<see cref="TaskKernel.For"/>):
/// the instance divergence and the other per-example columns of a batch, on the host and in tensor form on the
/// outputs' device (the same formulas, side by side in the kernel's file, tested equal), and the modality-level
/// information between unimodal and multimodal values.
/// </summary>
internal interface ITaskKernel
{
    /// <summary>Checks that the multimodal output has this task's shape for <paramref name="batch"/> rows; throws an <see cref="System.ArgumentException"/> naming it otherwise.</summary>
    void ValidateOutput(torch.Tensor multimodal, long batch);

    /// <summary>
    /// Fills every column of <paramref name="target"/> from the outputs, float64 row-major [M + 1, B, K] (the multimodal
    /// output last), on the host. Throws an <see cref="System.ArgumentException"/> naming the argument for values the task
    /// refuses (classification: probability rows where logits are expected), before filling anything.
    /// </summary>
    void Fill(System.ReadOnlySpan<double> outputs, int width, BatchStatistics target);

    /// <summary>The same in tensor form: outputs float64 [M + 1, B, K] -> the batch matrix [columns + 1, M + 1, B] (see <see cref="BatchStatistics"/>), with the same refusals.</summary>
    torch.Tensor Compute(torch.Tensor outputs);

    /// <summary>The mutual information (nats) between the unimodal and multimodal values of the examples where a modality is present.</summary>
    double MutualInformation(double[] unimodal, double[] multimodal);

    /// <summary>
    /// The same estimate before it is clipped at 0 (the KSG estimate can be negative; the plug-in MI cannot): what the
    /// standard error is computed from, so that estimates at the clipping boundary keep their spread.
    /// </summary>
    double UnclippedMutualInformation(double[] unimodal, double[] multimodal);
}
