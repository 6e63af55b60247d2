using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Btw.Demo.Training;

/// <summary>
/// The demo's model: the library's mixture of experts with one small encoder per view,
/// Linear(width_m, EmbeddingDim) followed by ReLU.
/// </summary>
internal sealed class ViewEncoderMoE : BtwMixtureOfExperts
{
    private readonly ModuleList<Sequential> encoders;

    public ViewEncoderMoE(IReadOnlyList<int> viewWidths, BtwMoEOptions options)
        : base(nameof(ViewEncoderMoE), options)
    {
        ArgumentNullException.ThrowIfNull(viewWidths);
        ArgumentNullException.ThrowIfNull(options);
        encoders = new ModuleList<Sequential>(viewWidths.Select(w => nn.Sequential(nn.Linear(w, options.EmbeddingDim), nn.ReLU())).ToArray());
        RegisterComponents();
    }

    protected override Tensor Encode(int modality, Tensor input) => encoders[modality].call(input);
}
