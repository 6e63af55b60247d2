using Xunit;
using TorchSharp;
namespace Btw.Tests { public class SmokeTests { [Fact] public void Loads() { using var t = torch.ones(3); Assert.Equal(3.0, t.sum().item<float>()); } }
}
