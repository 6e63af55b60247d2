using System;

namespace Btw.Tests.Support;

/// <summary>
/// The datasets of tests/reference/make_reference.py (functions <c>continuous</c> and <c>labels</c>),
/// regenerated from (generator, seed, n) with <see cref="ReferenceRandom"/> in the same draw order.
/// </summary>
internal static class ReferenceDatasets
{
    private static readonly int[] ExtremeA = [int.MinValue, -5, 0, 7, 1000000007, int.MaxValue];
    private static readonly int[] ExtremeB = [-1000000000, -1, 3, 11, 2000000000, int.MinValue + 1];

    /// <summary>Paired continuous samples. Generators: independent, linear, sine, heavy, ties, duplicates.</summary>
    public static (double[] X, double[] Y) Continuous(string generator, ulong seed, int n)
    {
        var rng = new ReferenceRandom(seed);
        var x = new double[n];
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            double xi;
            double yi;
            switch (generator)
            {
                case "independent":
                    xi = rng.NextNormal();
                    yi = rng.NextNormal();
                    break;
                case "linear":
                    xi = rng.NextNormal();
                    yi = xi + (0.5 * rng.NextNormal());
                    break;
                case "sine":
                    xi = rng.NextNormal();
                    yi = Math.Sin(3.0 * xi) + (0.3 * rng.NextNormal());
                    break;
                case "heavy":
                    xi = rng.NextStudentT3();
                    yi = xi + (0.5 * rng.NextCauchy());
                    break;
                case "ties":
                    xi = Math.Floor(4.0 * rng.NextNormal()) / 4.0;
                    yi = Math.Floor(4.0 * (xi + (0.5 * rng.NextNormal()))) / 4.0;
                    break;
                case "duplicates":
                    xi = Math.Floor(5.0 * rng.NextDouble());
                    yi = xi + Math.Floor(3.0 * rng.NextDouble());
                    break;
                default:
                    throw new ArgumentException($"Unknown generator '{generator}'.", nameof(generator));
            }

            x[i] = xi;
            y[i] = yi;
        }

        return (x, y);
    }

    /// <summary>A bivariate standard normal with correlation rho: x = z1, y = rho z1 + sqrt(1 - rho^2) z2.</summary>
    public static (double[] X, double[] Y) Gaussian(double rho, ulong seed, int n)
    {
        var rng = new ReferenceRandom(seed);
        var x = new double[n];
        var y = new double[n];
        double s = Math.Sqrt(1.0 - (rho * rho));
        for (int i = 0; i < n; i++)
        {
            x[i] = rng.NextNormal();
            y[i] = (rho * x[i]) + (s * rng.NextNormal());
        }

        return (x, y);
    }

    /// <summary>Paired labels. Generators: uniform, dependent, extreme, single, many, identical.</summary>
    public static (int[] A, int[] B) Labels(string generator, ulong seed, int n)
    {
        var rng = new ReferenceRandom(seed);
        var a = new int[n];
        var b = new int[n];
        for (int i = 0; i < n; i++)
        {
            switch (generator)
            {
                case "uniform":
                    a[i] = rng.NextInt(5);
                    b[i] = rng.NextInt(7);
                    break;
                case "dependent":
                    {
                        a[i] = rng.NextInt(10);
                        double u = rng.NextDouble();
                        b[i] = u < 0.7 ? a[i] : rng.NextInt(10);
                        break;
                    }

                case "extreme":
                    {
                        int ia = rng.NextInt(6);
                        double u = rng.NextDouble();
                        int ib = u < 0.6 ? ia : rng.NextInt(6);
                        a[i] = ExtremeA[ia];
                        b[i] = ExtremeB[ib];
                        break;
                    }

                case "single":
                    a[i] = 42;
                    b[i] = rng.NextInt(4);
                    break;
                case "many":
                    a[i] = rng.NextInt(300);
                    b[i] = ((a[i] * 7) + rng.NextInt(3)) % 400;
                    break;
                case "identical":
                    a[i] = rng.NextInt(8);
                    b[i] = a[i];
                    break;
                default:
                    throw new ArgumentException($"Unknown generator '{generator}'.", nameof(generator));
            }
        }

        return (a, b);
    }
}
