using System;
using Btw.Kernels;
using Xunit;

namespace Btw.Tests.Kernels;

/// <summary>
/// A row's statistics on the categorical host path are a function of that row alone, to the bit: the same logits give
/// the same divergence, confidence and agreement whatever the rows next to them (NaN rows, -inf logits, spreads of
/// logits beyond 708 nats whose exponentials underflow) and wherever the pooled buffers lie. The vectorised exponential
/// alone (TensorPrimitives.Exp) fails this: a vector holding one out-of-range argument is computed on another path that
/// rounds some ordinary lanes differently, and which values share a vector follows the buffer's address, so the
/// weighter's saved state changed from run to run for classification batches with NaN rows or large logits.
/// </summary>
public class CategoricalRowIndependenceTests
{
    private const int Modalities = 2;
    private const int Classes = 2;   // a row of 2 logits: every 4- or 8-lane window of the interleaved batch holds an out-of-range value
    private const int Rows = 256;

    public static TheoryData<double> Neighbours => new() { double.NaN, double.NegativeInfinity, -709.5, -1000.0 };

    [Theory]
    [MemberData(nameof(Neighbours))]
    public void A_rows_statistics_do_not_depend_on_its_neighbours(double outlier)
    {
        var kernel = new CategoricalKernel(1.0);
        var random = new Random(5);
        var ordinary = new double[(Modalities + 1) * Rows * Classes];
        for (var k = 0; k < ordinary.Length; k++)
        {
            ordinary[k] = (random.NextDouble() * 24) - 12;   // shifted log-probabilities down to about -24: the ordinary vectorised range
        }

        // The same rows, each followed by a row whose second logit is the outlier (0 and -1000 or NaN or -inf, per output).
        var interleaved = new double[2 * ordinary.Length];
        for (var j = 0; j <= Modalities; j++)
        {
            for (var i = 0; i < Rows; i++)
            {
                var source = ((j * Rows) + i) * Classes;
                var target = ((j * 2 * Rows) + (2 * i)) * Classes;
                ordinary.AsSpan(source, Classes).CopyTo(interleaved.AsSpan(target, Classes));
                interleaved[target + Classes] = 0.0;
                interleaved[target + Classes + 1] = outlier;
            }
        }

        using var alone = BatchStatistics.FillOnHost(ordinary, Classes, Rows, Modalities, kernel);
        for (var trial = 0; trial < 4; trial++)
        {
            PoisonPool(random, interleaved.Length);   // other pooled arrays at other addresses, full of garbage
            using var mixed = BatchStatistics.FillOnHost(interleaved, Classes, 2 * Rows, Modalities, kernel);
            for (var i = 0; i < Rows; i++)
            {
                for (var j = 0; j <= Modalities; j++)
                {
                    foreach (var column in ObservationColumns.All)
                    {
                        if (j == Modalities && !column.HasMultimodal)
                        {
                            continue;
                        }

                        var expected = alone[column, i, j];
                        var actual = mixed[column, 2 * i, j];
                        Assert.True(
                            BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(actual),
                            $"{column.Name} of row {i}, output {j}: {actual:R} next to a row with {outlier}, {expected:R} alone (trial {trial})");
                    }

                    Assert.Equal(alone.IsFinite(i, j), mixed.IsFinite(2 * i, j));
                }
            }
        }
    }

    [Fact]
    public void HostMath_Exp_gives_each_element_the_value_it_gets_among_ordinary_neighbours()
    {
        var random = new Random(9);
        var x = new double[1024];
        for (var k = 0; k < x.Length; k++)
        {
            x[k] = -random.NextDouble() * 40;
        }

        var alone = new double[x.Length];
        HostMath.Exp(x, alone);
        var withOutliers = (double[])x.Clone();
        double[] outliers = [double.NaN, double.NegativeInfinity, double.PositiveInfinity, -708.5, -745.5, -2000.0, 709.5];
        for (var k = 3; k < x.Length; k += 5)
        {
            withOutliers[k] = outliers[k % outliers.Length];
        }

        var result = new double[x.Length];
        HostMath.Exp(withOutliers, result);
        for (var k = 0; k < x.Length; k++)
        {
            var expected = (k >= 3 && (k - 3) % 5 == 0) ? Math.Exp(withOutliers[k]) : alone[k];
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(result[k]));
        }
    }

    // Rents and returns arrays of the sizes the host path rents, filled with NaN and huge values, so that the next rents
    // return arrays at other addresses that hold garbage.
    private static void PoisonPool(Random random, int length)
    {
        var held = new double[6][];
        for (var h = 0; h < held.Length; h++)
        {
            held[h] = System.Buffers.ArrayPool<double>.Shared.Rent(length + random.Next(0, 64));
            for (var k = 0; k < held[h].Length; k++)
            {
                held[h][k] = (k % 3) switch { 0 => double.NaN, 1 => -1e300, _ => random.NextDouble() };
            }
        }

        for (var h = held.Length - 1; h >= 0; h--)
        {
            System.Buffers.ArrayPool<double>.Shared.Return(held[h]);
        }
    }
}
