using System;
using System.Collections.Generic;
using TorchSharp;

namespace Btw;

/// <summary>
/// What <see cref="BtwMixtureOfExperts"/> returns for a batch of B examples and M modalities.
/// </summary>
/// <remarks>
/// The output owns its tensors: <see cref="Dispose"/> disposes every one of them. They were also created in the
/// caller's current <c>torch.NewDisposeScope()</c> (if any), so they are released when that scope ends as well;
/// disposing twice is harmless. Either dispose the output (e.g. <c>using var output = model.call(input);</c>) or let the
/// per-batch dispose scope release it. To keep a tensor beyond both, copy or detach it from the scope first.
/// </remarks>
public sealed class BtwOutput : IDisposable
{
    private bool _disposed;

    /// <summary>Creates an output from its tensors, taking ownership of them.</summary>
    /// <param name="multimodal">The fused prediction [B, Outputs].</param>
    /// <param name="unimodal">The M unimodal predictions, each [B, Outputs].</param>
    /// <param name="auxiliaryLoss">The load-balancing loss, a scalar (0-dimensional) tensor.</param>
    /// <param name="present">The presence flags, bool [B, M], or null when every modality is present.</param>
    /// <exception cref="ArgumentNullException">A tensor argument (other than <paramref name="present"/>) is null.</exception>
    public BtwOutput(torch.Tensor multimodal, IReadOnlyList<torch.Tensor> unimodal, torch.Tensor auxiliaryLoss, torch.Tensor? present = null)
    {
        ArgumentNullException.ThrowIfNull(multimodal);
        ArgumentNullException.ThrowIfNull(unimodal);
        ArgumentNullException.ThrowIfNull(auxiliaryLoss);
        var copy = new torch.Tensor[unimodal.Count];
        for (var m = 0; m < copy.Length; m++)
        {
            copy[m] = unimodal[m] ?? throw new ArgumentNullException(nameof(unimodal), $"Unimodal output {m} is null.");
        }

        Multimodal = multimodal;
        Unimodal = Array.AsReadOnly(copy);
        AuxiliaryLoss = auxiliaryLoss;
        Present = present;
    }

    /// <summary>
    /// The multimodal prediction [B, Outputs] from the head on the pooled mixture-of-experts output: logits for
    /// classification, mean (and log-variance) for regression.
    /// </summary>
    public torch.Tensor Multimodal { get; }

    /// <summary>
    /// The M unimodal predictions, each [B, Outputs], from modality m's own head on its unweighted embedding (rows of
    /// missing modalities hold the head applied to a zero embedding, finite whatever the input held, and should be ignored).
    /// </summary>
    public IReadOnlyList<torch.Tensor> Unimodal { get; }

    /// <summary>The load-balancing loss of the routers (see <see cref="BtwLoadBalancing"/>), a differentiable scalar tensor.</summary>
    public torch.Tensor AuxiliaryLoss { get; }

    /// <summary>The presence flags the batch was run with, bool [B, M]; null when every modality was present.</summary>
    public torch.Tensor? Present { get; }

    /// <summary>Disposes every tensor of this output (idempotent).</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Multimodal.Dispose();
        foreach (var tensor in Unimodal)
        {
            tensor.Dispose();
        }

        AuxiliaryLoss.Dispose();
        Present?.Dispose();
    }
}
