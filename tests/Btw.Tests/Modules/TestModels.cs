using System;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace Btw.Tests.Modules;

/// <summary>
/// The modules tests touch torch's global random generator (torch.manual_seed, module initialisation, gate noise), so
/// they run alone, never in parallel with other test collections.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchGlobalStateGroup
{
    public const string Name = "Torch global state (modules)";
}

/// <summary>A model whose encoders are Linear(d_m, D) -> ReLU, one per modality.</summary>
internal sealed class LinearEncoderModel : BtwMixtureOfExperts
{
    private readonly ModuleList<nn.Module<Tensor, Tensor>> encoders;

    public LinearEncoderModel(BtwMoEOptions options, params int[] inputWidths)
        : base(nameof(LinearEncoderModel), options)
    {
        encoders = new ModuleList<nn.Module<Tensor, Tensor>>();
        foreach (var width in inputWidths)
        {
            encoders.Add(nn.Sequential(nn.Linear(width, options.EmbeddingDim), nn.ReLU()));
        }

        RegisterComponents();
    }

    protected override Tensor Encode(int modality, Tensor input) => encoders[modality].call(input);
}

/// <summary>A model whose embedding of each modality is its input itself ([B, D] in, [B, D] out), for reference checks.</summary>
internal sealed class IdentityEncoderModel : BtwMixtureOfExperts
{
    public IdentityEncoderModel(BtwMoEOptions options)
        : base(nameof(IdentityEncoderModel), options)
    {
        RegisterComponents();
    }

    protected override Tensor Encode(int modality, Tensor input) => input.alias();
}

/// <summary>A model whose encoder of one modality returns the wrong width.</summary>
internal sealed class WrongWidthModel : BtwMixtureOfExperts
{
    private readonly int badModality;

    public WrongWidthModel(BtwMoEOptions options, int badModality)
        : base(nameof(WrongWidthModel), options)
    {
        this.badModality = badModality;
        RegisterComponents();
    }

    protected override Tensor Encode(int modality, Tensor input)
        => modality == badModality ? cat(new[] { input, input.narrow(1, 0, 1) }, 1) : input.alias();
}

/// <summary>A subclass that forgets RegisterComponents().</summary>
internal sealed class UnregisteredModel : BtwMixtureOfExperts
{
    private readonly Linear encoder;

    public UnregisteredModel(BtwMoEOptions options)
        : base(nameof(UnregisteredModel), options)
    {
        encoder = nn.Linear(options.EmbeddingDim, options.EmbeddingDim);
    }

    protected override Tensor Encode(int modality, Tensor input) => encoder.call(input);
}

internal static class TestData
{
    public static BtwMoEOptions Options(int modalities, int dim = 8, int outputs = 3, int experts = 4, int topK = 2)
        => new() { Modalities = modalities, EmbeddingDim = dim, Outputs = outputs, Experts = experts, TopK = topK };

    /// <summary>M standard-normal inputs [B, width] from a seeded generator (independent of torch's global one).</summary>
    public static Tensor[] Inputs(int modalities, long batch, long width, int seed)
    {
        var random = new Random(seed);
        var result = new Tensor[modalities];
        for (var m = 0; m < modalities; m++)
        {
            var values = new float[batch * width];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = (float)Gaussian(random);
            }

            result[m] = tensor(values, new[] { batch, width });
        }

        return result;
    }

    public static double Gaussian(Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    public static float[] Values(Tensor t) => t.detach().cpu().to(ScalarType.Float32).data<float>().ToArray();
}
