using System;
using System.IO;
using System.Threading.Tasks;
using Btw.Information;
using Btw.Kernels;
using Btw.Persistence;
using System.Runtime.CompilerServices;

namespace Btw.Weighting.State;

/// <summary>
/// The modality-level statistics of an epoch: the mutual information I^m between unimodal
/// and multimodal predictions and the Pearson correlation, over the examples where modality m is present, and their
/// normalised forms. The M modalities are estimated in parallel; each estimate is deterministic and reads the examples
/// in id order, so the result depends neither on the number of threads nor on the order of observation. A statistic
/// that comes out non-finite (sums overflowing on outputs near the float64 range) is treated as undefined. Each
/// statistic comes with its standard error from the same epoch's pairs (<see cref="GroupedResampling"/>: a delete-a-group
/// jackknife over 10 disjoint random groups below 5,000 pairs, the disjoint-group estimate above), and under
/// <see cref="BtwShrinkage.EmpiricalBayes"/> the normalised forms are computed from the shrunk statistics
/// (<see cref="EmpiricalBayesShrinkage"/>). A statistic that <see cref="BtwOptions.ModalityStatistics"/> leaves out is not
/// estimated at all: its values stay those of <see cref="Uniform"/> (0, shares 1/M).
/// </summary>
internal sealed class ModalityEstimates
{
    private ModalityEstimates(int modalities)
    {
        MutualInformation = new double[modalities];
        NormalizedMutualInformation = new double[modalities];
        Defined = new bool[modalities];
        Correlation = new double[modalities];
        NormalizedCorrelation = new double[modalities];
        PresentCount = new int[modalities];
        MutualInformationStandardError = new double[modalities];
        CorrelationStandardError = new double[modalities];
        MutualInformationShrinkage = new double[modalities];
        CorrelationShrinkage = new double[modalities];
        CorrelationDefined = new bool[modalities];
    }

    public double[] MutualInformation { get; }

    public double[] NormalizedMutualInformation { get; }

    public bool[] Defined { get; }

    public double[] Correlation { get; }

    /// <summary>Whether each modality's correlation was estimated and defined (not saved: only the report of the epoch that estimated it reads it).</summary>
    public bool[] CorrelationDefined { get; }

    /// <summary>Whether the MI was estimated this epoch (<see cref="BtwOptions.EstimatesMutualInformation"/>; not saved).</summary>
    public bool MutualInformationEstimated { get; private set; }

    /// <summary>Whether the correlation was estimated this epoch (<see cref="BtwOptions.EstimatesCorrelation"/>; not saved).</summary>
    public bool CorrelationEstimated { get; private set; }

    public double[] NormalizedCorrelation { get; }

    public int[] PresentCount { get; }

    /// <summary>Standard error of <see cref="MutualInformation"/> in nats (0 when undefined).</summary>
    public double[] MutualInformationStandardError { get; }

    /// <summary>Standard error of <see cref="Correlation"/> (0 when undefined).</summary>
    public double[] CorrelationStandardError { get; }

    /// <summary>Shrinkage factor B in [0, 1] applied to the MI before normalisation (0 without shrinkage).</summary>
    public double[] MutualInformationShrinkage { get; }

    /// <summary>Shrinkage factor B in [0, 1] applied to the clipped correlation before normalisation (0 without shrinkage).</summary>
    public double[] CorrelationShrinkage { get; }

    /// <summary>Bytes per modality in the saved format: MI, Ibar, defined flag, correlation, normalised correlation, present count, then the two standard errors and the two shrinkage factors.</summary>
    public const int SavedBytesPerModality = 8 + 8 + 1 + 8 + 8 + 4 + (4 * 8);

    /// <summary>Uniform statistics (Ibar = 1/M): the state before the first epoch has ended.</summary>
    public static ModalityEstimates Uniform(int modalities)
    {
        var s = new ModalityEstimates(modalities);
        Array.Fill(s.NormalizedMutualInformation, 1.0 / modalities);
        Array.Fill(s.NormalizedCorrelation, 1.0 / modalities);
        return s;
    }

    /// <summary>Estimates the statistics over the rows of <paramref name="observations"/>, taken in the order <paramref name="rowOrder"/> (see <see cref="EpochObservations.RowsInIdOrder"/>); with no rows every statistic asked for is undefined and every share 1/M.</summary>
    public static ModalityEstimates Estimate(EpochObservations observations, int[] rowOrder, BtwOptions options, ITaskKernel kernel)
    {
        var m = observations.Modalities;
        var s = Uniform(m);
        var minimum = options.EffectiveMinimumPairs;
        var correlationDefined = s.CorrelationDefined;
        var shrink = options.Shrinkage == BtwShrinkage.EmpiricalBayes;
        var standardErrors = shrink || options.EstimateStandardErrors;
        var estimateMi = s.MutualInformationEstimated = options.EstimatesMutualInformation;
        var estimateCorrelation = s.CorrelationEstimated = options.EstimatesCorrelation;
        Parallel.For(0, m, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (modality) =>
        {
            var present = CountPresent(observations, rowOrder, modality);
            s.PresentCount[modality] = present;
            if (present < minimum || !(estimateMi || estimateCorrelation))
            {
                return;
            }

            var (uni, multi, uniAgree, multiAgree) = PresentPairs(observations, rowOrder, modality, present, estimateMi, estimateCorrelation);
            var plan = standardErrors ? GroupedResampling.Plan(present, (ulong)modality) : null;
            var mi = estimateMi ? kernel.MutualInformation(uni, multi) : double.NaN;
            if (double.IsFinite(mi))
            {
                s.Defined[modality] = true;
                s.MutualInformation[modality] = Math.Max(mi, 0.0);
                s.MutualInformationStandardError[modality] = plan is null ? 0.0 : GroupedResampling.StandardError(plan,
                    rows => kernel.UnclippedMutualInformation(GroupedResampling.Take(uni, rows), GroupedResampling.Take(multi, rows)));
            }

            if (!estimateCorrelation)
            {
                return;
            }

            var r = ModalityShares.Pearson(uniAgree, multiAgree);
            s.Correlation[modality] = r ?? 0.0;
            correlationDefined[modality] = r.HasValue;
            if (r.HasValue && plan is not null)
            {
                s.CorrelationStandardError[modality] = GroupedResampling.StandardError(plan,
                    rows => ModalityShares.Pearson(GroupedResampling.Take(uniAgree, rows), GroupedResampling.Take(multiAgree, rows)) ?? 0.0);
            }
        });

        var values = (double[])s.MutualInformation.Clone();
        if (shrink && estimateMi)
        {
            EmpiricalBayesShrinkage.Shrink(s.MutualInformation, s.MutualInformationStandardError, s.Defined, values, s.MutualInformationShrinkage);
        }

        ModalityShares.Normalize(values, s.Defined, options.MiEpsilon, s.NormalizedMutualInformation);
        var clipped = new double[m];
        for (var i = 0; i < m; i++)
        {
            clipped[i] = Math.Max(s.Correlation[i], 0.0);
        }

        if (shrink && estimateCorrelation)
        {
            EmpiricalBayesShrinkage.Shrink(clipped, s.CorrelationStandardError, correlationDefined, clipped, s.CorrelationShrinkage);
        }

        ModalityShares.Normalize(clipped, correlationDefined, options.MiEpsilon, s.NormalizedCorrelation);
        return s;
    }

    /// <summary>The report of modality <paramref name="modality"/> for a fold under <paramref name="weighting"/> whose weights had these mean and spread.</summary>
    public BtwModalityReport Report(int modality, double meanWeight, double weightStdDev, int observed, int minimumPairs, BtwWeighting weighting)
    {
        var correlationShare = weighting == BtwWeighting.Correlation;
        var reason = ReportReasons.Modality(PresentCount[modality], minimumPairs,
            correlationShare ? CorrelationEstimated : MutualInformationEstimated,
            correlationShare ? CorrelationDefined[modality] : Defined[modality]);
        var mi = MutualInformation[modality];
        var se = MutualInformationStandardError[modality];
        var q = GroupedResampling.IntervalQuantile(PresentCount[modality]);
        return new BtwModalityReport(modality, mi, NormalizedMutualInformation[modality], Defined[modality], Correlation[modality], meanWeight,
            weightStdDev, observed, PresentCount[modality], NormalizedCorrelation[modality], reason)
        {
            MutualInformationEstimated = MutualInformationEstimated,
            CorrelationEstimated = CorrelationEstimated,
            MutualInformationStandardError = se,
            MutualInformationLower = Math.Max(0.0, mi - (q * se)),
            MutualInformationUpper = mi + (q * se),
            CorrelationStandardError = CorrelationStandardError[modality],
            MutualInformationShrinkage = MutualInformationShrinkage[modality],
            CorrelationShrinkage = CorrelationShrinkage[modality],
        };
    }

    /// <summary>The number of rows in which <paramref name="modality"/> is present.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int CountPresent(EpochObservations o, int[] rowOrder, int modality)
    {
        var m = o.Modalities;
        var flags = o.PresentFlags;
        var count = 0;
        foreach (var r in rowOrder)
        {
            count += flags[(r * m) + modality];
        }

        return count;
    }

    /// <summary>The (unimodal, multimodal) values and agreements of the <paramref name="count"/> rows where <paramref name="modality"/> is present, in row order; the pairs of a statistic not asked for are empty.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (double[] Uni, double[] Multi, double[] UniAgree, double[] MultiAgree) PresentPairs(EpochObservations o, int[] rowOrder, int modality, int count,
        bool values, bool agreement)
    {
        var m = o.Modalities;
        var flags = o.PresentFlags;
        var uni = values ? new double[count] : [];
        var multi = values ? new double[count] : [];
        var uniAgree = agreement ? new double[count] : [];
        var multiAgree = agreement ? new double[count] : [];
        var valueColumn = o.Column(ObservationColumns.Value);           // width M + 1: the multimodal value last
        var agreementColumn = o.Column(ObservationColumns.Agreement);   // width M + 1
        var j = 0;
        foreach (var r in rowOrder)
        {
            if (flags[(r * m) + modality] == 0)
            {
                continue;
            }

            if (values)
            {
                uni[j] = valueColumn[(r * (m + 1)) + modality];
                multi[j] = valueColumn[(r * (m + 1)) + m];
            }

            if (agreement)
            {
                uniAgree[j] = agreementColumn[(r * (m + 1)) + modality];
                multiAgree[j] = agreementColumn[(r * (m + 1)) + m];
            }

            j++;
        }

        return (uni, multi, uniAgree, multiAgree);
    }

    /// <summary>Writes, per modality: MI, Ibar, defined flag, correlation, normalised correlation, present count, the standard errors of MI and correlation, their shrinkage factors.</summary>
    public void Write(BinaryWriter w)
    {
        for (var j = 0; j < MutualInformation.Length; j++)
        {
            w.Write(MutualInformation[j]);
            w.Write(NormalizedMutualInformation[j]);
            w.Write(Defined[j]);
            w.Write(Correlation[j]);
            w.Write(NormalizedCorrelation[j]);
            w.Write(PresentCount[j]);
            w.Write(MutualInformationStandardError[j]);
            w.Write(CorrelationStandardError[j]);
            w.Write(MutualInformationShrinkage[j]);
            w.Write(CorrelationShrinkage[j]);
        }
    }

    /// <summary>Reads what <see cref="Write"/> wrote, checking every value's range.</summary>
    public static ModalityEstimates Read(StateReader r, int modalities)
    {
        var s = Uniform(modalities);
        for (var j = 0; j < modalities; j++)
        {
            s.MutualInformation[j] = r.ReadDouble(0, double.MaxValue, "a mutual information");
            s.NormalizedMutualInformation[j] = r.ReadDouble(0, 1, "a normalised mutual information");
            s.Defined[j] = r.ReadFlag("a boolean") == 1;
            s.Correlation[j] = r.ReadDouble(-1, 1, "a correlation");
            s.NormalizedCorrelation[j] = r.ReadDouble(0, 1, "a normalised correlation");
            s.PresentCount[j] = r.ReadInt32();
            r.Require(s.PresentCount[j] >= 0, "a negative present count");
            s.MutualInformationStandardError[j] = r.ReadDouble(0, double.PositiveInfinity, "a standard error of a mutual information");
            s.CorrelationStandardError[j] = r.ReadDouble(0, double.PositiveInfinity, "a standard error of a correlation");
            s.MutualInformationShrinkage[j] = r.ReadDouble(0, 1, "a shrinkage factor");
            s.CorrelationShrinkage[j] = r.ReadDouble(0, 1, "a shrinkage factor");
        }

        return s;
    }
}
