using System;
using System.IO;
using Btw.Tests.Support;
using Xunit;
using static TorchSharp.torch;

namespace Btw.Tests.Weighting;

/// <summary>Every operation on a disposed weighter throws <see cref="ObjectDisposedException"/>, before looking at its arguments.</summary>
public class UseAfterDisposeTests
{
    private static BtwWeighter Disposed()
    {
        var weighter = new BtwWeighter(new BtwOptions { Modalities = 2 });
        SyntheticBatch.Classification(new Random(1), [1, 2, 3], 2, 3).ObserveInto(weighter);
        weighter.Dispose();
        weighter.Dispose(); // twice is fine
        return weighter;
    }

    [Fact]
    public void Every_operation_throws_ObjectDisposedException()
    {
        using var scope = NewDisposeScope();
        var weighter = Disposed();
        var batch = SyntheticBatch.Classification(new Random(2), [4, 5], 2, 3);
        using var other = new BtwWeighter(new BtwOptions { Modalities = 2 });
        var path = Path.Combine(Path.GetTempPath(), $"btw-disposed-{Guid.NewGuid():N}.bin");

        Assert.Throws<ObjectDisposedException>(() => weighter.WeightsFor(tensor(new long[] { 1 })));
        Assert.Throws<ObjectDisposedException>(() => weighter.WeightsFor(tensor(new long[] { 1 }), ones(1, 2, ScalarType.Bool)));
        Assert.Throws<ObjectDisposedException>(() => weighter.Observe(batch.IdTensor(), batch.UnimodalTensors(), batch.MultimodalTensor()));
        Assert.Throws<ObjectDisposedException>(() => weighter.EndEpoch());
        Assert.Throws<ObjectDisposedException>(() => weighter.TryGetWeights(1, new float[2]));
        Assert.Throws<ObjectDisposedException>(() => weighter.Save(path));
        Assert.Throws<ObjectDisposedException>(() => weighter.MergeObservations(other));
        Assert.Throws<ObjectDisposedException>(() => other.MergeObservations(weighter));
        Assert.False(File.Exists(path));
        Assert.Equal(0, other.PendingObservations);
    }

    [Fact]
    public void Disposal_is_reported_before_bad_arguments()
    {
        using var scope = NewDisposeScope();
        var weighter = Disposed();
        Assert.Throws<ObjectDisposedException>(() => weighter.WeightsFor(tensor(new[] { -1L })));
        Assert.Throws<ObjectDisposedException>(() => weighter.WeightsFor(tensor(new[] { 1 }), ones(1, 5)));
        Assert.Throws<ObjectDisposedException>(() => weighter.Observe(tensor(new[] { 1.5f }), [], randn(1, 3)));
        Assert.Throws<ObjectDisposedException>(() => weighter.TryGetWeights(1, Span<float>.Empty));
        Assert.Throws<ObjectDisposedException>(() => weighter.Save(""));
    }
}
