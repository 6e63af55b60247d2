using System;
using System.Linq;
using Btw.Tests.Support;
using Xunit;
using static TorchSharp.torch;

namespace Btw.Tests.Divergence;

public class InstanceDivergenceTests
{
    [Fact]
    public void Categorical_equals_the_written_out_sum_and_is_zero_for_identical_logits()
    {
        using var scope = NewDisposeScope();
        var rng = new Random(5);
        var u = Enumerable.Range(0, 8 * 6).Select(_ => (rng.NextDouble() * 8) - 4).ToArray();
        var z = Enumerable.Range(0, 8 * 6).Select(_ => (rng.NextDouble() * 8) - 4).ToArray();
        var d = InstanceDivergence.Categorical(tensor(u, new long[] { 8, 6 }), tensor(z, new long[] { 8, 6 })).data<double>().ToArray();
        for (var i = 0; i < 8; i++)
        {
            var expected = HandMath.Kl(HandMath.Softmax(u[(i * 6)..((i + 1) * 6)]), HandMath.Softmax(z[(i * 6)..((i + 1) * 6)]));
            Assert.Equal(expected, d[i], 12);
        }

        var same = InstanceDivergence.Categorical(tensor(u, new long[] { 8, 6 }), tensor(u, new long[] { 8, 6 }));
        Assert.All(same.data<double>().ToArray(), v => Assert.Equal(0.0, v));
    }

    [Fact]
    public void Categorical_is_finite_for_huge_logits_where_a_naive_softmax_overflows()
    {
        using var scope = NewDisposeScope();
        var u = tensor(new[] { 900.0, -900.0, 0.0, 50.0, -50.0, 10.0 }, new long[] { 2, 3 });
        var z = tensor(new[] { -900.0, 900.0, 0.0, -50.0, 50.0, 10.0 }, new long[] { 2, 3 });
        var d = InstanceDivergence.Categorical(u, z).data<double>().ToArray();

        // Row 0: p_u is a point mass on class 0, log p_z(0) = -1800: KL = 1800 nats.
        Assert.Equal(1800.0, d[0], 9);

        // Row 1 by hand with shifted exponents.
        var expected = HandMath.Kl(HandMath.Softmax([50, -50, 10]), HandMath.Softmax([-50, 50, 10]));
        Assert.Equal(expected, d[1], 9);
        Assert.True(double.IsFinite(expected));
    }

    [Fact]
    public void Categorical_temperature_divides_the_logits_and_the_dtype_follows_the_inputs()
    {
        using var scope = NewDisposeScope();
        var u = tensor(new[] { 1f, 2f, 3f }, new long[] { 1, 3 });
        var z = tensor(new[] { 3f, 2f, 1f }, new long[] { 1, 3 });
        var hot = InstanceDivergence.Categorical(u, z, temperature: 2.0);
        Assert.Equal(ScalarType.Float32, hot.dtype);
        var expected = HandMath.Kl(HandMath.Softmax([0.5, 1, 1.5]), HandMath.Softmax([1.5, 1, 0.5]));
        Assert.Equal(expected, hot.item<float>(), 6);
    }

    [Fact]
    public void Gaussian_mean_only_is_the_squared_difference_over_two_sigma_squared_for_both_shapes()
    {
        using var scope = NewDisposeScope();
        var u = tensor(new[] { 0.0, 1.0, -2.0 });
        var z = tensor(new[] { 0.5, 1.0, 2.0 });
        var flat = InstanceDivergence.Gaussian(u, z, sigma: 2.0).data<double>().ToArray();
        var column = InstanceDivergence.Gaussian(u.reshape(3, 1), z.reshape(3, 1), sigma: 2.0).data<double>().ToArray();
        Assert.Equal([0.25 / 8, 0.0, 16.0 / 8], flat);
        Assert.Equal(flat, column);
    }

    [Fact]
    public void Gaussian_with_log_variance_equals_the_closed_form()
    {
        using var scope = NewDisposeScope();
        double[] muU = [0.0, 1.0, -3.0], lvU = [0.0, Math.Log(4.0), -1.0], muZ = [1.0, 1.0, 2.0], lvZ = [Math.Log(2.0), 0.0, 1.5];
        var u = stack([tensor(muU), tensor(lvU)], 1);
        var z = stack([tensor(muZ), tensor(lvZ)], 1);
        var d = InstanceDivergence.Gaussian(u, z).data<double>().ToArray();
        for (var i = 0; i < 3; i++)
        {
            double su = Math.Exp(lvU[i] / 2), sz = Math.Exp(lvZ[i] / 2);
            var expected = Math.Log(sz / su) + (((su * su) + Math.Pow(muU[i] - muZ[i], 2)) / (2 * sz * sz)) - 0.5;
            Assert.Equal(expected, d[i], 12);
        }
    }

    [Fact]
    public void Gaussian_clamps_tiny_variances_instead_of_returning_infinity()
    {
        using var scope = NewDisposeScope();
        var u = tensor(new[] { 0.0, -1000.0 }, new long[] { 1, 2 });
        var z = tensor(new[] { 0.0, 0.0 }, new long[] { 1, 2 });
        var d = InstanceDivergence.Gaussian(u, z, varianceEpsilon: 1e-6).item<double>();
        var expected = (0.5 * Math.Log(1 / 1e-6)) + (1e-6 / 2) - 0.5;
        Assert.Equal(expected, d, 12);
    }

    [Fact]
    public void Bad_shapes_name_the_argument_and_both_shapes()
    {
        using var scope = NewDisposeScope();
        var ex = Assert.Throws<ArgumentException>(() => InstanceDivergence.Categorical(zeros(4, 3), zeros(4, 5)));
        Assert.Equal("multimodalLogits", ex.ParamName);
        Assert.Contains("[4, 3]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("[4, 5]", ex.Message, StringComparison.Ordinal);
        var reg = Assert.Throws<ArgumentException>(() => InstanceDivergence.Gaussian(zeros(4, 3), zeros(4, 3)));
        Assert.Equal("unimodal", reg.ParamName);
        Assert.Throws<ArgumentException>(() => InstanceDivergence.Categorical(zeros(new long[] { 4, 3 }, dtype: ScalarType.Int64), zeros(4, 3)));
        Assert.Throws<ArgumentOutOfRangeException>(() => InstanceDivergence.Categorical(zeros(4, 3), zeros(4, 3), temperature: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => InstanceDivergence.Gaussian(zeros(4), zeros(4), sigma: -1));
    }

    [Fact]
    public void No_gradient_flows_and_no_tensor_is_left_behind()
    {
        using var scope = NewDisposeScope();
        var u = randn(16, 4).requires_grad_(true);
        var z = randn(16, 4).requires_grad_(true);
        var before = TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        var d = InstanceDivergence.Categorical(u, z);
        Assert.False(d.requires_grad);
        Assert.Equal(before + 1, TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }
}

/// <summary>InstanceDivergence.Categorical against scipy.stats.entropy (Data/reference/kl_categorical.json, tests/reference/make_reference.py).</summary>
public class InstanceDivergenceReferenceTests
{
    private sealed record Case(string Name, double Temperature, double[] U, double[] Z, double Kl);

    private static Case[] Load()
    {
        var path = System.IO.Path.Combine(AppContext.BaseDirectory, "Data", "reference", "kl_categorical.json");
        using var doc = System.Text.Json.JsonDocument.Parse(System.IO.File.ReadAllText(path));
        return doc.RootElement.GetProperty("rows").EnumerateArray().Select(e => new Case(
            e.GetProperty("name").GetString()!,
            e.GetProperty("temperature").GetDouble(),
            e.GetProperty("u").EnumerateArray().Select(v => v.GetDouble()).ToArray(),
            e.GetProperty("z").EnumerateArray().Select(v => v.GetDouble()).ToArray(),
            e.GetProperty("kl").GetDouble())).ToArray();
    }

    [Fact]
    public void Categorical_equals_scipy_entropy_to_1e_5_relative_including_logits_up_to_50()
    {
        var cases = Load();
        Assert.True(cases.Length >= 60);
        Assert.Contains(cases, c => c.U.Concat(c.Z).Max(Math.Abs) >= 40);
        using var scope = NewDisposeScope();
        foreach (var group in cases.GroupBy(c => (c.U.Length, c.Temperature)))
        {
            var rows = group.ToArray();
            var classes = group.Key.Length;
            var u = tensor(rows.SelectMany(r => r.U).ToArray(), new long[] { rows.Length, classes });
            var z = tensor(rows.SelectMany(r => r.Z).ToArray(), new long[] { rows.Length, classes });
            var d = InstanceDivergence.Categorical(u, z, group.Key.Temperature).data<double>().ToArray();
            for (var i = 0; i < rows.Length; i++)
            {
                var tolerance = Math.Max(1e-5 * Math.Abs(rows[i].Kl), 1e-12);
                Assert.True(Math.Abs(d[i] - rows[i].Kl) <= tolerance, $"{rows[i].Name} T={rows[i].Temperature}: scipy {rows[i].Kl:R}, Btw {d[i]:R}");
            }
        }
    }

    [Fact]
    public void Categorical_from_float32_logits_stays_within_1e_5_relative_of_scipy_on_the_rounded_inputs()
    {
        // The weighter receives float32 logits; the divergence is still computed in float64 from them.
        using var scope = NewDisposeScope();
        foreach (var c in Load().Where(c => c.Kl > 1e-3))
        {
            var u = tensor(c.U.Select(v => (float)v).ToArray(), new long[] { 1, c.U.Length });
            var z = tensor(c.Z.Select(v => (float)v).ToArray(), new long[] { 1, c.Z.Length });
            var expected = Support.HandMath.Kl(
                Support.HandMath.Softmax(c.U.Select(v => (double)(float)v).ToArray(), c.Temperature),
                Support.HandMath.Softmax(c.Z.Select(v => (double)(float)v).ToArray(), c.Temperature));
            var actual = (double)InstanceDivergence.Categorical(u, z, c.Temperature).item<float>();
            Assert.True(Math.Abs(actual - expected) <= 1e-5 * expected, $"{c.Name}: expected {expected:R}, got {actual:R}");
        }
    }
}
