using System.Collections.Generic;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Btw.Benchmarks.Model;

/// <summary>
/// The demo's model (samples/Btw.Demo ViewEncoderMoE): the library's <see cref="BtwMixtureOfExperts"/> with one
/// Linear(F, EmbeddingDim)-ReLU encoder per modality; default options otherwise (8 experts, top-2, Laplace gating,
/// one router per modality, noisy gating, mean pooling).
/// </summary>
internal sealed class DemoModel : BtwMixtureOfExperts
{
    private readonly ModuleList<Sequential> encoders;

    public DemoModel(int modalities, int features, BtwMoEOptions options)
        : base(nameof(DemoModel), options)
    {
        var list = new List<Sequential>();
        for (var m = 0; m < modalities; m++)
        {
            list.Add(nn.Sequential(nn.Linear(features, options.EmbeddingDim), nn.ReLU()));
        }

        encoders = new ModuleList<Sequential>(list.ToArray());
        RegisterComponents();
    }

    protected override Tensor Encode(int modality, Tensor input) => encoders[modality].call(input);
}
