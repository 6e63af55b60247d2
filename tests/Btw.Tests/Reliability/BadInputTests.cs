using System;
using System.Collections.Generic;
using System.Linq;
using Btw.Tests.Support;
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
        var weighter = new BtwWeighter(new BtwOptions { Modalities = M, Weighting = BtwWeighting.KlMi, MinimumMiPairs = 4 });
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
        var weighter = new BtwWeighter(new BtwOptions { Modalities = M, Task = BtwTask.Regression, Weighting = BtwWeighting.Kl, RegressionOutput = BtwRegressionOutput.MeanAndLogVariance, MinimumMiPairs = 4 });
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

    /// <summary>
    /// Every malformed call, by name: the weighter it is made on (regression or classification), the call, the exception
    /// type, the argument it names (null: not checked) and fragments the message must contain.
    /// </summary>
    private static readonly Dictionary<string, BadCall> Calls = new()
    {
        ["fewer unimodal outputs"] = Arg("unimodal", w => w.Observe(tensor(Ids), Logits(M - 1), randn(B, C)), "Expected 3 unimodal outputs", "got 2"),
        ["more unimodal outputs"] = Arg(null, w => w.Observe(tensor(Ids), Logits(M + 1), randn(B, C)), "got 4"),
        ["a unimodal batch size that differs from the multimodal one"] = Arg("unimodal", w => w.Observe(tensor(Ids), Replace(Logits(M), 1, randn(B + 1, C)), randn(B, C)), "modality 1", "[7, 4]", "[6, 4]"),
        ["a unimodal class count that differs from the multimodal one"] = Arg("unimodal", w => w.Observe(tensor(Ids), Replace(Logits(M), 2, randn(B, C + 1)), randn(B, C)), "modality 2", "[6, 5]", "[6, 4]"),
        ["a multimodal batch size that differs from the number of ids"] = Arg("multimodal", w => w.Observe(tensor(Ids), Logits(M, B - 1), randn(B - 1, C)), "[6, C]", "[5, 4]"),
        ["classification outputs that are not matrices"] = Arg("multimodal", w => w.Observe(tensor(Ids), Enumerable.Range(0, M).Select(_ => randn(B)).ToList(), randn(B)), "[6]"),
        ["an integer unimodal output"] = Arg("unimodal", w => w.Observe(tensor(Ids), Replace(Logits(M), 1, ones(B, C, ScalarType.Int32)), randn(B, C)), "modality 1", "Int32"),
        ["an integer multimodal output"] = Arg("multimodal", w => w.Observe(tensor(Ids), Logits(M), ones(B, C, ScalarType.Int64)), "Int64"),
        ["regression outputs [B, 3]"] = Arg("multimodal", w => w.Observe(tensor(Ids), Logits(M, B, 3), randn(B, 3)), "[6, 3]", "[B, 2]") with { Regression = true },
        ["regression outputs [B, 4]"] = Arg("multimodal", w => w.Observe(tensor(Ids), Logits(M, B, 4), randn(B, 4)), "[6, 4]", "[B, 2]") with { Regression = true },
        ["mean-only regression outputs where MeanAndLogVariance is declared"] = Arg("multimodal", w => w.Observe(tensor(Ids), Logits(M, B, 1), randn(B, 1)), "[6, 1]", "BtwOptions.RegressionOutput = BtwRegressionOutput.Mean") with { Regression = true },
        ["multimodal probabilities where logits are expected"] = Arg("multimodal", w => w.Observe(tensor(Ids), Logits(M), softmax(randn(B, C), 1)), "the multimodal output", "Pass the logits", "BtwOptions.AllowProbabilityOutputs = true"),
        ["unimodal probabilities where logits are expected"] = Arg("unimodal", w => w.Observe(tensor(Ids), Replace(Logits(M), 2, softmax(randn(B, C), 1)), randn(B, C)), "modality 2", "Pass the logits", "BtwOptions.AllowProbabilityOutputs = true"),
        ["probabilities to WeightsFromOutputs"] = Arg("multimodal", w => w.WeightsFromOutputs(Logits(M), softmax(randn(B, C), 1)), "Pass the logits"),
        ["regression outputs of three dimensions"] = Arg("multimodal", w => w.Observe(tensor(Ids), Enumerable.Range(0, M).Select(_ => randn(B, 1, 1)).ToList(), randn(B, 1, 1)), "[6, 1, 1]") with { Regression = true },

        // Mean-only unimodal heads with a (mean, log-variance) multimodal head: the shapes must agree.
        ["regression outputs of mixed shapes"] = Arg("unimodal", w => w.Observe(tensor(Ids), Replace(Logits(M, B, 2), 0, randn(B, 1)), randn(B, 2)), "modality 0", "[6, 1]", "[6, 2]") with { Regression = true },
        ["int32 ids"] = Arg("sampleIds", w => w.Observe(tensor(Ids.Select(i => (int)i).ToArray()), Logits(M), randn(B, C)), "int64 [B]", "Int32"),
        ["float32 ids"] = Arg(null, w => w.Observe(tensor(Ids.Select(i => (float)i).ToArray()), Logits(M), randn(B, C)), "Float32"),
        ["float64 ids to WeightsFor"] = Arg("sampleIds", w => w.WeightsFor(tensor(Ids.Select(i => (double)i).ToArray())), "Float64"),
        ["ids that are a matrix"] = Arg("sampleIds", w => w.Observe(tensor(Ids).reshape(B, 1), Logits(M), randn(B, C)), "[6, 1]"),
        ["an id that is a scalar"] = Arg("sampleIds", w => w.WeightsFor(tensor(7L)), "[]"),
        ["negative ids"] = Arg("sampleIds", w => w.Observe(tensor(NegativeIds), Logits(M), randn(B, C)), "row 3 has id -5"),
        ["negative ids to WeightsFor"] = Arg(null, w => w.WeightsFor(tensor(NegativeIds)), "row 3 has id -5"),
        ["duplicate ids in a batch"] = Arg("sampleIds", w => w.Observe(tensor(new long[] { 70, 71, 72, 71, 74, 75 }), Logits(M), randn(B, C)), "id 71 appears again at row 3"),
        ["presence flags with a column too many"] = Arg("present", w => w.Observe(tensor(Ids), Logits(M), randn(B, C), ones(B, M + 1, ScalarType.Bool)), "[6, 3]", "[6, 4]"),
        ["presence flags with a row too few"] = Arg(null, w => w.Observe(tensor(Ids), Logits(M), randn(B, C), ones(B - 1, M, ScalarType.Bool)), "[5, 3]"),
        ["presence flags that are a vector"] = Arg("present", w => w.WeightsFor(tensor(Ids), ones(B * M, ScalarType.Bool)), "[18]"),
        ["a row with no modality present"] = Arg("present", w => w.Observe(tensor(Ids), Logits(M), randn(B, C), NoneInRow4()), "Row 4 has no modality present"),
        ["a row with no modality present to WeightsFor"] = Arg(null, w => w.WeightsFor(tensor(Ids), NoneInRow4()), "Row 4"),
        ["presence flags other than zero or one"] = Arg("present", w => w.Observe(tensor(Ids), Logits(M), randn(B, C), HalfAtRow2Modality1()), "row 2, modality 1 has 0.5"),
        ["null ids"] = Null("sampleIds", w => w.Observe(null!, Logits(M), randn(B, C))),
        ["null unimodal outputs"] = Null("unimodal", w => w.Observe(tensor(Ids), null!, randn(B, C))),
        ["null multimodal output"] = Null("multimodal", w => w.Observe(tensor(Ids), Logits(M), null!)),
        ["a null unimodal output"] = Arg(null, w => w.Observe(tensor(Ids), Replace(Logits(M), 2, null!), randn(B, C)), "modality 2"),
        ["null presence flags to WeightsFor"] = Null("present", w => w.WeightsFor(tensor(Ids), null!)),
        ["a destination that is too short"] = Arg("destination", w => w.TryGetWeights(3, new float[M - 1]), "3 weights", "has 2"),
    };

    public static TheoryData<string> BadCalls => new(Calls.Keys);

    private static long[] NegativeIds => [70, 71, 72, -5, 74, -6];

    [Theory]
    [MemberData(nameof(BadCalls))]
    public void A_bad_call_throws_a_clear_exception_and_leaves_the_state_untouched(string name)
    {
        var call = Calls[name];
        using var scope = NewDisposeScope();
        using var weighter = call.Regression ? Regressor() : Classifier();
        var before = StateSnapshot.Snapshot(weighter);
        var ex = Assert.Throws(call.Exception, () => call.Call(weighter));
        Assert.Equal(before, StateSnapshot.Snapshot(weighter));
        if (call.ParamName is not null)
        {
            Assert.Equal(call.ParamName, ((ArgumentException)ex).ParamName);
        }

        foreach (var fragment in call.Fragments)
        {
            Assert.Contains(fragment, ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Repeated_ids_are_fine_for_reading_weights()
    {
        // Reading weights for repeated ids is fine (e.g. oversampling): both rows get the same weights.
        using var weighter = Classifier();
        var w = StateSnapshot.Weights(weighter, [3, 3]);
        Assert.Equal(w[..M], w[M..]);
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
        Assert.Equal(StateSnapshot.Snapshot(clean), StateSnapshot.Snapshot(offered));
    }

    private static BadCall Arg(string? paramName, Action<BtwWeighter> call, params string[] fragments) =>
        new(false, typeof(ArgumentException), paramName, fragments, call);

    private static BadCall Null(string paramName, Action<BtwWeighter> call) =>
        new(false, typeof(ArgumentNullException), paramName, [], call);

    private static List<Tensor> Replace(List<Tensor> outputs, int modality, Tensor replacement)
    {
        outputs[modality] = replacement;
        return outputs;
    }

    private static Tensor NoneInRow4()
    {
        var present = ones(B, M, ScalarType.Bool);
        present[4] = zeros(M, ScalarType.Bool);
        return present;
    }

    private static Tensor HalfAtRow2Modality1()
    {
        var present = ones(B, M);
        present[2, 1] = tensor(0.5f);
        return present;
    }

    /// <summary>One malformed call (see <see cref="Calls"/>).</summary>
    private sealed record BadCall(bool Regression, Type Exception, string? ParamName, string[] Fragments, Action<BtwWeighter> Call);
}
