using System.Collections.Generic;
using TorchSharp;

namespace Btw;

/// <summary>
/// One batch for <see cref="BtwMixtureOfExperts"/>: the M modality inputs and, optionally, the BTW weights and the
/// presence flags. The module reads these tensors and never keeps or disposes them.
/// </summary>
/// <param name="Modalities">
/// The M modality inputs, in modality order; tensor m has shape [B, ...] (any trailing shape its encoder accepts)
/// and all share the batch size B. Their values go to <c>Encode(m, Modalities[m])</c>.
/// </param>
/// <param name="Weights">
/// The per-example, per-modality weights [B, M] (e.g. from <c>BtwWeighter.WeightsFor</c>), or null for all ones.
/// Any real dtype; converted to the embeddings' dtype and device. They are treated as constants: the module detaches
/// them, so no gradient ever reaches them.
/// </param>
/// <param name="Present">
/// The presence flags [B, M], bool or numeric (nonzero = present), or null when every modality is present for every
/// example. A missing modality's embedding is zeroed and its token is not routed, and its rows are left out of its
/// unimodal loss in <see cref="BtwLoss"/>. Its input must still be finite (zeros, for instance): it is encoded like any
/// other, only the results are ignored, and NaN inputs would turn into NaN gradients of its unimodal head.
/// </param>
public sealed record BtwInput(IReadOnlyList<torch.Tensor> Modalities, torch.Tensor? Weights = null, torch.Tensor? Present = null);
