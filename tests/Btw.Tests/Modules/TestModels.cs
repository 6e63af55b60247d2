using System;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace Btw.Tests.Modules;

/// <summary>
/// The modules tests touch torch's global random generator (torch.manual_seed, module initialisation, gate noise), so
/// they run alone, never in parallel with other test collections. While they run, torch uses one intra-op thread
/// (<see cref="SingleThreadedTorch"/>).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchGlobalStateGroup : ICollectionFixture<SingleThreadedTorch>
{
    public const string Name = "Torch global state (modules)";
}

/// <summary>
/// Sets torch's intra-op thread count to 1 for the collection and restores it afterwards. The models of these tests are
/// tiny: on a busy 2-core machine two spinning intra-op threads made a training step 5 to 10 times slower (measured
/// 83 ms -> 13 ms per forward pass, 140 ms -> 15 ms per backward pass and step). Safe because the collection never runs
/// in parallel with another.
/// </summary>
public sealed class SingleThreadedTorch : IDisposable
{
    private readonly int previous;

    public SingleThreadedTorch()
    {
        previous = torch.get_num_threads();
        torch.set_num_threads(1);
    }

    public void Dispose() => torch.set_num_threads(previous);
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
