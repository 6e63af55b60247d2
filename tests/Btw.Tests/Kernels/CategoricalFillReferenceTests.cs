using System;
using System.Collections.Generic;
using Btw.Kernels;
using Xunit;

namespace Btw.Tests.Kernels;

/// <summary>
/// The classification kernel's host path (four rows per vector, classes in order) gives, for every row, the bits of
/// the straightforward loops over one row at a time (below: the formulas of <see cref="CategoricalKernel"/>'s summary,
/// row-major, one dependent chain per row, the exponentials through <see cref="HostMath.Exp"/>): every column and the
/// finite flags, for batch sizes that leave 0 to 3 padded lanes, one to seventeen classes, three temperatures, ties,
/// NaN and infinite logits and spreads whose exponentials underflow.
/// </summary>
public class CategoricalFillReferenceTests
{
    public static TheoryData<int, int, int, double> Shapes()
    {
        var data = new TheoryData<int, int, int, double>();
        foreach (var (m, batch, classes) in new[] { (1, 5, 2), (2, 1, 3), (2, 2, 10), (2, 3, 1), (3, 4, 17), (4, 7, 10), (4, 64, 10), (1, 257, 3), (5, 33, 5) })
        {
            foreach (var temperature in new[] { 1.0, 0.5, 3.0 })
            {
                data.Add(m, batch, classes, temperature);
            }
        }

        return data;
    }

    /// <summary>Chunk and block boundaries: every batch size that leaves a partial block, a partial last chunk (32 rows), or several chunks, for one to five modalities.</summary>
    public static TheoryData<int, int> ModalitiesAndClasses()
    {
        var data = new TheoryData<int, int>();
        for (var m = 1; m <= 5; m++)
        {
            data.Add(m, 2);
            data.Add(m, 10);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Every_rows_statistics_are_the_bits_of_the_row_by_row_loops(int modalities, int batch, int classes, double temperature) =>
        Check(modalities, batch, classes, temperature);

    [Theory]
    [MemberData(nameof(ModalitiesAndClasses))]
    public void Every_chunk_and_block_boundary_gives_the_bits_of_the_row_by_row_loops(int modalities, int classes)
    {
        int[] batches = [1, 2, 3, 4, 5, 6, 7, 8, 9, 31, 32, 33, 34, 35, 45, 63, 64, 65, 66, 67, 95, 257];
        foreach (var batch in batches)
        {
            Check(modalities, batch, classes, batch % 2 == 0 ? 1.0 : 0.7);
        }
    }

    private static void Check(int modalities, int batch, int classes, double temperature)
    {
        var random = new Random((modalities * 1000) + (batch * 10) + classes);
        var outputs = new double[(modalities + 1) * batch * classes];
        for (var k = 0; k < outputs.Length; k++)
        {
            outputs[k] = (random.Next(6)) switch
            {
                0 => Math.Round(random.NextDouble() * 4),   // ties
                _ => (random.NextDouble() * 16) - 8,
            };
        }

        // Some rows with NaN, infinities or a spread beyond 708 nats (not in every output, so both paths of each check run).
        double[] specials = [double.NaN, double.PositiveInfinity, double.NegativeInfinity, -1000.0, 750.0];
        for (var r = 0; r < (modalities + 1) * batch; r += 5)
        {
            outputs[(r * classes) + random.Next(classes)] = specials[random.Next(specials.Length)];
        }

        var kernel = new CategoricalKernel(temperature, allowProbabilities: true);
        using var actual = BatchStatistics.FillOnHost(outputs, classes, batch, modalities, kernel);
        var expected = Reference(outputs, classes, batch, modalities, temperature);
        foreach (var column in ObservationColumns.All)
        {
            for (var j = 0; j <= modalities; j++)
            {
                if (j == modalities && !column.HasMultimodal)
                {
                    continue;
                }

                for (var i = 0; i < batch; i++)
                {
                    var want = expected[(column.Name, i, j)];
                    var got = actual[column, i, j];
                    Assert.True(
                        BitConverter.DoubleToInt64Bits(want) == BitConverter.DoubleToInt64Bits(got) || (double.IsNaN(want) && double.IsNaN(got)),
                        $"{column.Name}, row {i}, output {j} (M = {modalities}, B = {batch}, C = {classes}, T = {temperature}): {got:R}, row by row {want:R}");
                }
            }
        }

        for (var j = 0; j <= modalities; j++)
        {
            for (var i = 0; i < batch; i++)
            {
                Assert.True(expected[("finite", i, j)] != 0 == actual.IsFinite(i, j), $"finite, row {i}, output {j} (M = {modalities}, B = {batch}, C = {classes})");
            }
        }
    }

    // The straightforward loops: log_softmax(x / T) and softmax per row; KL(p_u || p_z), argmax, log C - H(p_u), p_u(argmax z).
    private static Dictionary<(string, int, int), double> Reference(double[] outputs, int classes, int batch, int m, double temperature)
    {
        var rows = (m + 1) * batch;
        var logP = new double[outputs.Length];
        var p = new double[outputs.Length];
        for (var r = 0; r < rows; r++)
        {
            var max = double.NegativeInfinity;
            for (var c = 0; c < classes; c++)
            {
                var v = temperature == 1.0 ? outputs[(r * classes) + c] : outputs[(r * classes) + c] * (1.0 / temperature);
                logP[(r * classes) + c] = v;
                max = v > max || double.IsNaN(v) ? v : max;
            }

            for (var c = 0; c < classes; c++)
            {
                logP[(r * classes) + c] -= max;
            }
        }

        HostMath.Exp(logP, p);
        for (var r = 0; r < rows; r++)
        {
            double sum = 0;
            for (var c = 0; c < classes; c++)
            {
                sum += p[(r * classes) + c];
            }

            var logSum = Math.Log(sum);
            var inverseSum = 1.0 / sum;
            for (var c = 0; c < classes; c++)
            {
                logP[(r * classes) + c] -= logSum;
                p[(r * classes) + c] *= inverseSum;
            }
        }

        var result = new Dictionary<(string, int, int), double>();
        for (var i = 0; i < batch; i++)
        {
            var z = outputs.AsSpan(((m * batch) + i) * classes, classes);
            var label = HostMath.ArgMax(z);
            result[(ObservationColumns.Value.Name, i, m)] = label;
            result[(ObservationColumns.Agreement.Name, i, m)] = p[(((m * batch) + i) * classes) + label];
            result[("finite", i, m)] = HostMath.AllFinite(z) ? 1 : 0;
            for (var j = 0; j < m; j++)
            {
                var offset = ((j * batch) + i) * classes;
                var zOffset = ((m * batch) + i) * classes;
                double kl = 0, negativeEntropy = 0;
                for (var c = 0; c < classes; c++)
                {
                    kl += p[offset + c] * (logP[offset + c] - logP[zOffset + c]);
                    negativeEntropy += p[offset + c] * logP[offset + c];
                }

                var u = outputs.AsSpan(offset, classes);
                result[(ObservationColumns.Divergence.Name, i, j)] = HostMath.ClampMin(kl, 0.0);
                result[(ObservationColumns.Value.Name, i, j)] = HostMath.ArgMax(u);
                result[(ObservationColumns.Confidence.Name, i, j)] = HostMath.ClampMin(negativeEntropy + Math.Log(classes), 0.0);
                result[(ObservationColumns.Agreement.Name, i, j)] = p[offset + label];
                result[("finite", i, j)] = HostMath.AllFinite(u) ? 1 : 0;
            }
        }

        return result;
    }
}
