using System;
using System.Collections.Generic;
using System.Linq;

namespace Btw.Demo.Data;

/// <summary>
/// z-scoring fitted on a training split only: x' = (x - mean) / sd, with the population standard
/// deviation; a column (or view) whose sd is below 1e-8 is only centred. Regression targets are not
/// touched (metrics are reported in the target's own units).
/// </summary>
internal sealed class Standardizer
{
    private const double MinimumStdDev = 1e-8;
    private readonly double[][] _means;
    private readonly double[][] _stdDevs;

    private Standardizer(double[][] means, double[][] stdDevs)
    {
        _means = means;
        _stdDevs = stdDevs;
    }

    /// <summary>Per view, per column, the fitted mean (PerView: the same value repeated).</summary>
    public IReadOnlyList<double[]> Means => _means;

    /// <summary>Per view, per column, the fitted standard deviation after the 1e-8 floor (replaced by 1).</summary>
    public IReadOnlyList<double[]> StdDevs => _stdDevs;

    public static Standardizer Fit(MultiViewDataset train, StandardizationMode mode)
    {
        ArgumentNullException.ThrowIfNull(train);
        var means = new double[train.Views.Count][];
        var sds = new double[train.Views.Count][];
        for (var v = 0; v < train.Views.Count; v++)
        {
            var view = train.Views[v];
            means[v] = new double[view.Width];
            sds[v] = new double[view.Width];
            if (mode == StandardizationMode.PerView)
            {
                var (mean, sd) = MeanStd(view.Values, 0, 1);
                Array.Fill(means[v], mean);
                Array.Fill(sds[v], sd);
            }
            else
            {
                for (var c = 0; c < view.Width; c++)
                {
                    (means[v][c], sds[v][c]) = MeanStd(view.Values, c, view.Width);
                }
            }
        }

        return new Standardizer(means, sds);
    }

    public MultiViewDataset Apply(MultiViewDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Views.Count != _means.Length)
        {
            throw new ArgumentException($"Expected {_means.Length} views, found {data.Views.Count}.", nameof(data));
        }

        var views = data.Views.Select((view, v) =>
        {
            if (view.Width != _means[v].Length)
            {
                throw new ArgumentException($"View '{view.Name}': expected width {_means[v].Length}, found {view.Width}.", nameof(data));
            }

            var values = new float[view.Values.Length];
            for (var i = 0; i < values.Length; i++)
            {
                var c = i % view.Width;
                values[i] = (float)((view.Values[i] - _means[v][c]) / _stdDevs[v][c]);
            }

            return view.WithValues(values);
        }).ToArray();
        return data.WithViews(views);
    }

    private static (double Mean, double StdDev) MeanStd(float[] values, int start, int stride)
    {
        double sum = 0;
        var n = 0;
        for (var i = start; i < values.Length; i += stride)
        {
            sum += values[i];
            n++;
        }

        var mean = n == 0 ? 0 : sum / n;
        double squares = 0;
        for (var i = start; i < values.Length; i += stride)
        {
            var d = values[i] - mean;
            squares += d * d;
        }

        var sd = n == 0 ? 0 : Math.Sqrt(squares / n);
        return (mean, sd < MinimumStdDev ? 1.0 : sd);
    }
}
