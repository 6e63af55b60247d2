#pragma warning disable
namespace Btw;
public enum BtwInstanceTerm { Disagreement = 0, Agreement = 1 }
public static class TemporaryApiStub
{
    extension(BtwOptions o)
    {
        public int WarmupEpochs { get => 0; set { } }
        public double Strength { get => 1; set { } }
        public BtwInstanceTerm InstanceTerm { get => 0; set { } }
        public double AlphaStep { get => 0; set { } }
        public static BtwOptions Recommended(int m, BtwTask t) => new BtwOptions { Modalities = m, Task = t };
    }
    extension(BtwWeighter w)
    {
        public BtwEpochReport EndEpoch(double loss) => w.EndEpoch();
    }
    extension(BtwMixtureOfExperts model)
    {
        public BtwOutput PredictUnseen(System.Collections.Generic.IReadOnlyList<TorchSharp.torch.Tensor> inputs, TorchSharp.torch.Tensor? present, BtwWeighter weighter) => throw new System.NotImplementedException();
    }
}
