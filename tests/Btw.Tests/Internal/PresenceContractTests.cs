using System;
using Btw.Tests.Modules;
using MyApp;
using Xunit;
using static TorchSharp.torch;

namespace Btw.Tests.Internal;

/// <summary>
/// One presence contract for the module and the weighter (<c>Btw.Internal.Presence</c>): flags are bool or the numbers
/// 0 and 1, and every row has a modality present. Both refuse the same flags with the same message (only the parameter
/// name differs: <c>present</c> for the weighter, <c>input</c> for the module); neither reads "non-zero" as present.
/// </summary>
[Collection(TorchGlobalStateGroup.Name)]
public class PresenceContractTests
{
    [Theory]
    [InlineData(2f, "Presence flags must be 0 or 1; row 1, modality 2 has 2.")]
    [InlineData(0.5f, "Presence flags must be 0 or 1; row 1, modality 2 has 0.5.")]
    [InlineData(-1f, "Presence flags must be 0 or 1; row 1, modality 2 has -1.")]
    public void The_module_and_the_weighter_refuse_the_same_non_binary_flags_with_the_same_message(float bad, string message)
    {
        using var scope = NewDisposeScope();
        var flags = tensor(new[] { 1f, 1f, 1f, 1f, 0f, bad }, new long[] { 2, 3 });
        using var weighter = new BtwWeighter(new BtwOptions { Modalities = 3 });
        using var model = new ThreeModalityModel(new BtwMoEOptions { Modalities = 3, EmbeddingDim = 8, Outputs = 3, Experts = 2, TopK = 1 }, 4, 4, 4);

        var fromWeighter = Assert.Throws<ArgumentException>(() => weighter.WeightsFor(tensor(new long[] { 0, 1 }), flags));
        var fromModule = Assert.Throws<ArgumentException>(() => model.call(new BtwInput(TestData.Inputs(3, 2, 4, seed: 1), null, flags)));

        Assert.Equal("present", fromWeighter.ParamName);
        Assert.Equal("input", fromModule.ParamName);
        Assert.StartsWith(message, fromWeighter.Message, StringComparison.Ordinal);
        Assert.StartsWith(message, fromModule.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_module_and_the_weighter_refuse_a_row_with_no_modality_present_with_the_same_message()
    {
        using var scope = NewDisposeScope();
        var flags = tensor(new[] { true, false, false, false, false, false }, new long[] { 2, 3 });
        using var weighter = new BtwWeighter(new BtwOptions { Modalities = 3 });
        using var model = new ThreeModalityModel(new BtwMoEOptions { Modalities = 3, EmbeddingDim = 8, Outputs = 3, Experts = 2, TopK = 1 }, 4, 4, 4);

        var fromWeighter = Assert.Throws<ArgumentException>(() => weighter.WeightsForUnseen(flags));
        var fromModule = Assert.Throws<ArgumentException>(() => model.call(new BtwInput(TestData.Inputs(3, 2, 4, seed: 2), null, flags)));
        Assert.StartsWith("Row 1 has no modality present", fromWeighter.Message, StringComparison.Ordinal);
        Assert.StartsWith("Row 1 has no modality present", fromModule.Message, StringComparison.Ordinal);
    }
}
