using Xunit;

namespace Btw.Samples.Tests;

/// <summary>
/// Tests that train or build TorchSharp models: torch's random generator and thread count are process-wide,
/// so these run one at a time, never beside each other (reproducibility checks depend on it).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialTorch
{
    public const string Name = "Torch (process-wide state)";
}
