namespace Btw.Kernels;

/// <summary>Chooses the task's kernel: the one place the classification / regression choice is made.</summary>
internal static class TaskKernel
{
    public static ITaskKernel For(BtwOptions options) => options.Task == BtwTask.Classification
        ? new CategoricalKernel(options.Temperature, options.AllowProbabilityOutputs)
        : new GaussianKernel(options.RegressionSigma, options.VarianceEpsilon, options.Neighbors, options.RegressionOutput);
}
