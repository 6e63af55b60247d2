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
/// example; every row needs at least one modality present. A missing modality's input rows are replaced by zeros before
/// encoding, so they may hold anything (NaN, infinities, garbage): outputs, loss, gradients and BTW weights are exactly
/// those of zero inputs. Its embedding is zeroed, its token is not routed, and its rows are left out of its unimodal loss
/// in <see cref="BtwLoss"/>.
/// </param>
public sealed record BtwInput(IReadOnlyList<torch.Tensor> Modalities, torch.Tensor? Weights = null, torch.Tensor? Present = null);
