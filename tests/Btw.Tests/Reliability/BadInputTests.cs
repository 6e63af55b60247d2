using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;
using static TorchSharp.torch;

namespace Btw.Tests.Reliability;

/// <summary>
/// Every kind of malformed batch gets a clear exception (type, argument name, modality, expected against actual
/// shape or value) and leaves the weighter's whole state, compared byte for byte through the saved format, as it was.
/// Each weighter already holds folded weights and pending observations when the bad call arrives.
/// </summary>
public class BadInputTests
{
    private const int M = 3;
    private const int C = 4;
    private const int B = 6;

    /// <summary>A classification weighter with one folded epoch (24 ids) and one pending batch.</summary>
    private static BtwWeighter Classifier()
    {
        var weighter = new BtwWeighter(new BtwOptions { Modalities = M, MinimumMiPairs = 4 });
        var rng = new Random(5);
        for (var start = 0; start < 24; start += B)
        {
            SyntheticBatch.Classification(rng, Enumerable.Range(start, B).Select(i => (long)i).ToArray(), M, C, 0.2).ObserveInto(weighter);
        }

        weighter.EndEpoch();
        SyntheticBatch.Classification(rng, [3, 4, 5, 50, 51, 52], M, C, 0.2).ObserveInto(weighter);
        Assert.Equal(24, weighter.Count);
        Assert.Equal(6, weighter.PendingObservations);
        return weighter;
    }

    /// <summary>A regression weighter ([B, 2] outputs) with one folded epoch and one pending batch.</summary>
    private static BtwWeighter Regressor()
    {
        var weighter = new BtwWeighter(new BtwOptions { Modalities = M, Task = BtwTask.Regression, MinimumMiPairs = 4 });
        var rng = new Random(6);
        for (var start = 0; start < 24; start += B)
        {
            SyntheticBatch.Regression(rng, Enumerable.Range(start, B).Select(i => (long)i).ToArray(), M, 2).ObserveInto(weighter);
        }

        weighter.EndEpoch();
        SyntheticBatch.Regression(rng, [1, 2, 60], M, 2).ObserveInto(weighter);
        return weighter;
    }

    private static long[] Ids => [70, 71, 72, 73, 74, 75];

    private static List<Tensor> Logits(int count, long rows = B, long classes = C) =>
        Enumerable.Range(0, count).Select(_ => randn(rows, classes)).ToList();

    [Fact]
    public void Wrong_number_of_unimodal_outputs()
    {
        using var scope = NewDisposeScope();
        using var weighter = Classifier();
        var ex = WeighterState.ThrowsAndLeavesStateUntouched<ArgumentException>(weighter,
            () => weighter.Observe(tensor(Ids), Logits(M - 1), randn(B, C)));
        Assert.Equal("unimodal", ex.ParamName);
        Assert.Contains("Expected 3 unimodal outputs", ex.Message, StringComparison.Ordinal);
        Assert.Contains("got 2", ex.Message, StringComparison.Ordinal);

        ex = WeighterState.ThrowsAndLeavesStateUntouched<ArgumentException>(weighter,
            () => weighter.Observe(tensor(Ids), Logits(M + 1), randn(B, C)));
        Assert.Contains("got 4", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unimodal_batch_size_differs_from_the_multimodal_one()
    {
        using var scope = NewDisposeScope();
        using var weighter = Classifier();
        var uni = Logits(M);
        uni[1] = randn(B + 1, C);
        var ex = WeighterState.ThrowsAndLeavesStateUntouched<ArgumentException>(weighter,
            () => weighter.Observe(tensor(Ids), uni, randn(B, C)));
        Assert.Equal("unimodal", ex.ParamName);
        Assert.Contains("modality 1", ex.Message, StringComparison.Ordinal);
        Assert.Contains("[7, 4]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("[6, 4]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unimodal_class_count_differs_from_the_multimodal_one()
    {
        using var scope = NewDisposeScope();
        using var weighter = Classifier();
        var uni = Logits(M);
        uni[2] = randn(B, C + 1);
        var ex = WeighterState.ThrowsAndLeavesStateUntouched<ArgumentException>(weighter,
            () => weighter.Observe(tensor(Ids), uni, randn(B, C)));
        Assert.Equal("unimodal", ex.ParamName);
        Assert.Contains("modality 2", ex.Message, StringComparison.Ordinal);
        Assert.Contains("[6, 5]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("[6, 4]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Multimodal_batch_size_differs_from_the_number_of_ids()
    {
        using var scope = NewDisposeScope();
        using var weighter = Classifier();
        var ex = WeighterState.ThrowsAndLeavesStateUntouched<ArgumentException>(weighter,
            () => weighter.Observe(tensor(Ids), Logits(M, B - 1), randn(B - 1, C)));
        Assert.Equal("multimodal", ex.ParamName);
        Assert.Contains("[6, C]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("[5, 4]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Classification_outputs_that_are_not_matrices()
    {
        using var scope = NewDisposeScope();
        using var weighter = Classifier();
        var ex = WeighterState.ThrowsAndLeavesStateUntouched<ArgumentException>(weighter,
            () => weighter.Observe(tensor(Ids), Enumerable.Range(0, M).Select(_ => randn(B)).ToList(), randn(B)));
        Assert.Equal("multimodal", ex.ParamName);
        Assert.Contains("[6]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Integer_outputs_are_rejected_naming_the_modality()
    {
        using var scope = NewDisposeScope();
        using var weighter = Classifier();
        var uni = Logits(M);
        uni[1] = ones(B, C, ScalarType.Int32);
        var ex = WeighterState.ThrowsAndLeavesStateUntouched<ArgumentException>(weighter,
            () => weighter.Observe(tensor(Ids), uni, randn(B, C)));
        Assert.Equal("unimodal", ex.ParamName);
        Assert.Contains("modality 1", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Int32", ex.Message, StringComparison.Ordinal);

        ex = WeighterState.ThrowsAndLeavesStateUntouched<ArgumentException>(weighter,
            () => weighter.Observe(tensor(Ids), Logits(M), ones(B, C, ScalarType.Int64)));
        Assert.Equal("multimodal", ex.ParamName);
        Assert.Contains("Int64", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    public void Regression_outputs_of_an_unsupported_shape(int columns)
    {
        using var scope = NewDisposeScope();
        using var weighter = Regressor();
        var ex = WeighterState.ThrowsAndLeavesStateUntouched<ArgumentException>(weighter,
            () => weighter.Observe(tensor(Ids), Logits(M, B, columns), randn(B, columns)));
        Assert.Equal("multimodal", ex.ParamName);
        Assert.Contains($"[6, {columns}]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("[B, 2]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Regression_outputs_of_three_dimensions_or_mixed_shapes()
    {
        using var scope = NewDisposeScope();
        using var weighter = Regressor();
        var ex = WeighterState.ThrowsAndLeavesStateUntouched<ArgumentException>(weighter,
            () => weighter.Observe(tensor(Ids), Enumerable.Range(0, M).Select(_ => randn(B, 1, 1)).ToList(), randn(B, 1, 1)));
        Assert.Equal("multimodal", ex.ParamName);
        Assert.Contains("[6, 1, 1]", ex.Message, StringComparison.Ordinal);

        // Mean-only unimodal heads with a (mean, log-variance) multimodal head: the shapes must agree.
        var uni = Logits(M, B, 2);
        uni[0] = randn(B, 1);
        ex = WeighterState.ThrowsAndLeavesStateUntouched<ArgumentException>(weighter,
            () => weighter.Observe(tensor(Ids), uni, randn(B, 2)));
        Assert.Equal("unimodal", ex.ParamName);
        Assert.Contains("modality 0", ex.Message, StringComparison.Ordinal);
        Assert.Contains("[6, 1]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("[6, 2]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ids_that_are_not_int64()
    {
        using var scope = NewDisposeScope();
        using var weighter = Classifier();
        var ex = WeighterState.ThrowsAndLeavesStateUntouched<ArgumentException>(weighter,
            () => weighter.Observe(tensor(Ids.Select(i => (int)i).ToArray()), Logits(M), randn(B, C)));
        Assert.Equal("sampleIds", ex.ParamName);
        Assert.Contains("int64 [B]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Int32", ex.Message, StringComparison.Ordinal);

        ex = WeighterState.ThrowsAndLeavesStateUntouched<ArgumentException>(weighter,
            () => weighter.Observe(tensor(Ids.Select(i => (float)i).ToArray()), Logits(M), randn(B, C)));
        Assert.Contains("Float32", ex.Message, StringComparison.Ordinal);

        ex = Assert.Throws<ArgumentException>(() => weighter.WeightsFor(tensor(Ids.Select(i => (double)i).ToArray())));
        Assert.Equal("sampleIds", ex.ParamName);
        Assert.Contains("Float64", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ids_that_are_not_a_vector()
    {
        using var scope = NewDisposeScope();
        using var weighter = Classifier();
        var ex = WeighterState.ThrowsAndLeavesStateUntouched<ArgumentException>(weighter,
            () => weighter.Observe(tensor(Ids).reshape(B, 1), Logits(M), randn(B, C)));
        Assert.Equal("sampleIds", ex.ParamName);
        Assert.Contains("[6, 1]", ex.Message, StringComparison.Ordinal);

        ex = WeighterState.ThrowsAndLeavesStateUntouched<ArgumentException>(weighter, () => weighter.WeightsFor(tensor(7L)));
        Assert.Equal("sampleIds", ex.ParamName);
        Assert.Contains("[]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Negative_ids()
    {
        using var scope = NewDisposeScope();
        using var weighter = Classifier();
        long[] ids = [70, 71, 72, -5, 74, -6];
        var ex = WeighterState.ThrowsAndLeavesStateUntouched<ArgumentException>(weighter,
            () => weighter.Observe(tensor(ids), Logits(M), randn(B, C)));
        Assert.Equal("sampleIds", ex.ParamName);
        Assert.Contains("row 3 has id -5", ex.Message, StringComparison.Ordinal);

        ex = WeighterState.ThrowsAndLeavesStateUntouched<ArgumentException>(weighter, () => weighter.WeightsFor(tensor(ids)));
        Assert.Contains("row 3 has id -5", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_ids_in_a_batch()
    {
        using var scope = NewDisposeScope();
        using var weighter = Classifier();
        long[] ids = [70, 71, 72, 71, 74, 75];
        var ex = WeighterState.ThrowsAndLeavesStateUntouched<ArgumentException>(weighter,
            () => weighter.Observe(tensor(ids), Logits(M), randn(B, C)));
        Assert.Equal("sampleIds", ex.ParamName);
        Assert.Contains("id 71 appears again at row 3", ex.Message, StringComparison.Ordinal);

        // Reading weights for repeated ids is fine (e.g. oversampling): both rows get the same weights.
        var w = WeighterState.Weights(weighter, [3, 3]);
        Assert.Equal(w[..M], w[M..]);
    }

    [Fact]
    public void Presence_flags_of_the_wrong_shape()
    {
        using var scope = NewDisposeScope();
        using var weighter = Classifier();
        var ex = WeighterState.ThrowsAndLeavesStateUntouched<ArgumentException>(weighter,
            () => weighter.Observe(tensor(Ids), Logits(M), randn(B, C), ones(B, M + 1, ScalarType.Bool)));
        Assert.Equal("present", ex.ParamName);
        Assert.Contains("[6, 3]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("[6, 4]", ex.Message, StringComparison.Ordinal);

        ex = WeighterState.ThrowsAndLeavesStateUntouched<ArgumentException>(weighter,
            () => weighter.Observe(tensor(Ids), Logits(M), randn(B, C), ones(B - 1, M, ScalarType.Bool)));
        Assert.Contains("[5, 3]", ex.Message, StringComparison.Ordinal);

        ex = WeighterState.ThrowsAndLeavesStateUntouched<ArgumentException>(weighter,
            () => weighter.WeightsFor(tensor(Ids), ones(B * M, ScalarType.Bool)));
        Assert.Equal("present", ex.ParamName);
        Assert.Contains("[18]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_row_with_no_modality_present()
    {
        using var scope = NewDisposeScope();
        using var weighter = Classifier();
        var present = ones(B, M, ScalarType.Bool);
        present[4] = zeros(M, ScalarType.Bool);
        var ex = WeighterState.ThrowsAndLeavesStateUntouched<ArgumentException>(weighter,
            () => weighter.Observe(tensor(Ids), Logits(M), randn(B, C), present));
        Assert.Equal("present", ex.ParamName);
        Assert.Contains("Row 4 has no modality present", ex.Message, StringComparison.Ordinal);

        ex = WeighterState.ThrowsAndLeavesStateUntouched<ArgumentException>(weighter, () => weighter.WeightsFor(tensor(Ids), present));
        Assert.Contains("Row 4", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Presence_flags_other_than_zero_or_one()
    {
        using var scope = NewDisposeScope();
        using var weighter = Classifier();
        var present = ones(B, M);
        present[2, 1] = tensor(0.5f);
        var ex = WeighterState.ThrowsAndLeavesStateUntouched<ArgumentException>(weighter,
            () => weighter.Observe(tensor(Ids), Logits(M), randn(B, C), present));
        Assert.Equal("present", ex.ParamName);
        Assert.Contains("row 2, modality 1 has 0.5", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Null_arguments()
    {
        using var scope = NewDisposeScope();
        using var weighter = Classifier();
        Assert.Equal("sampleIds", WeighterState.ThrowsAndLeavesStateUntouched<ArgumentNullException>(weighter,
            () => weighter.Observe(null!, Logits(M), randn(B, C))).ParamName);
        Assert.Equal("unimodal", WeighterState.ThrowsAndLeavesStateUntouched<ArgumentNullException>(weighter,
            () => weighter.Observe(tensor(Ids), null!, randn(B, C))).ParamName);
        Assert.Equal("multimodal", WeighterState.ThrowsAndLeavesStateUntouched<ArgumentNullException>(weighter,
            () => weighter.Observe(tensor(Ids), Logits(M), null!)).ParamName);
        var uni = Logits(M);
        uni[2] = null!;
        var ex = WeighterState.ThrowsAndLeavesStateUntouched<ArgumentException>(weighter, () => weighter.Observe(tensor(Ids), uni, randn(B, C)));
        Assert.Contains("modality 2", ex.Message, StringComparison.Ordinal);
        Assert.Equal("present", WeighterState.ThrowsAndLeavesStateUntouched<ArgumentNullException>(weighter,
            () => weighter.WeightsFor(tensor(Ids), null!)).ParamName);
    }

    [Fact]
    public void A_destination_that_is_too_short()
    {
        using var weighter = Classifier();
        var ex = Assert.Throws<ArgumentException>(() => weighter.TryGetWeights(3, new float[M - 1]));
        Assert.Equal("destination", ex.ParamName);
        Assert.Contains("3 weights", ex.Message, StringComparison.Ordinal);
        Assert.Contains("has 2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void After_a_rejected_batch_the_weighter_goes_on_exactly_as_if_it_had_not_been_offered()
    {
        var rng = new Random(8);
        var next = SyntheticBatch.Classification(rng, [3, 80, 81, 82, 83, 84], M, C, 0.2);
        using var clean = Classifier();
        using var offered = Classifier();
        using (var scope = NewDisposeScope())
        {
            var uni = Logits(M);
            uni[1] = randn(B, C + 1);
            Assert.Throws<ArgumentException>(() => offered.Observe(tensor(Ids), uni, randn(B, C)));
        }

        next.ObserveInto(clean);
        next.ObserveInto(offered);
        clean.EndEpoch();
        offered.EndEpoch();
        Assert.Equal(WeighterState.Snapshot(clean), WeighterState.Snapshot(offered));
    }
}
