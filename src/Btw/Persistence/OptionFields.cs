using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace Btw.Persistence;

/// <summary>
/// Every setting of <see cref="BtwOptions"/>, declared once, in the order of the saved format: how it is written and
/// read, and whether two weighters must agree on it to merge observations (it changes the observations or the fold).
/// </summary>
internal static class OptionFields
{
    public static readonly IReadOnlyList<OptionField> All =
    [
        Int(nameof(BtwOptions.Modalities), false, o => o.Modalities, (o, v) => o.Modalities = v),
        Choice<BtwTask>(nameof(BtwOptions.Task), false, o => o.Task, (o, v) => o.Task = v),
        Choice<BtwWeighting>(nameof(BtwOptions.Weighting), true, o => o.Weighting, (o, v) => o.Weighting = v),
        Real(nameof(BtwOptions.Alpha), true, o => o.Alpha, (o, v) => o.Alpha = v),
        Int(nameof(BtwOptions.Neighbors), true, o => o.Neighbors, (o, v) => o.Neighbors = v),
        Real(nameof(BtwOptions.Temperature), true, o => o.Temperature, (o, v) => o.Temperature = v),
        Real(nameof(BtwOptions.RegressionSigma), true, o => o.RegressionSigma, (o, v) => o.RegressionSigma = v),
        Choice<BtwScale>(nameof(BtwOptions.Scale), true, o => o.Scale, (o, v) => o.Scale = v),
        Choice<BtwNonFinitePolicy>(nameof(BtwOptions.NonFinite), false, o => o.NonFinite, (o, v) => o.NonFinite = v),
        Choice<BtwUnseenWeights>(nameof(BtwOptions.UnseenWeights), false, o => o.UnseenWeights, (o, v) => o.UnseenWeights = v),
        Int(nameof(BtwOptions.MinimumMiPairs), true, o => o.MinimumMiPairs, (o, v) => o.MinimumMiPairs = v),
        Real(nameof(BtwOptions.MiEpsilon), true, o => o.MiEpsilon, (o, v) => o.MiEpsilon = v),
        Real(nameof(BtwOptions.VarianceEpsilon), true, o => o.VarianceEpsilon, (o, v) => o.VarianceEpsilon = v),
        Int(nameof(BtwOptions.WarmupEpochs), true, o => o.WarmupEpochs, (o, v) => o.WarmupEpochs = v),
        Real(nameof(BtwOptions.Strength), true, o => o.Strength, (o, v) => o.Strength = v),
        Choice<BtwInstanceTerm>(nameof(BtwOptions.InstanceTerm), true, o => o.InstanceTerm, (o, v) => o.InstanceTerm = v),
        Real(nameof(BtwOptions.AlphaStep), true, o => o.AlphaStep, (o, v) => o.AlphaStep = v),
        Real(nameof(BtwOptions.AlphaMin), true, o => o.AlphaMin, (o, v) => o.AlphaMin = v),
        Real(nameof(BtwOptions.AlphaMax), true, o => o.AlphaMax, (o, v) => o.AlphaMax = v),
        Choice<BtwRegressionOutput>(nameof(BtwOptions.RegressionOutput), true, o => o.RegressionOutput, (o, v) => o.RegressionOutput = v),
        Flag(nameof(BtwOptions.AllowProbabilityOutputs), false, o => o.AllowProbabilityOutputs, (o, v) => o.AllowProbabilityOutputs = v),
        Choice<BtwShrinkage>(nameof(BtwOptions.Shrinkage), true, o => o.Shrinkage, (o, v) => o.Shrinkage = v),

        // Version 4. Files of version 3 were written by releases that estimated every statistic every epoch.
        Choice<BtwModalityStatistics>(nameof(BtwOptions.ModalityStatistics), false, o => o.ModalityStatistics, (o, v) => o.ModalityStatistics = v) with
        {
            Since = 4,
            Legacy = o => o.ModalityStatistics = BtwModalityStatistics.All,
        },
    ];

    public static void Write(BinaryWriter w, BtwOptions options)
    {
        foreach (var field in All)
        {
            field.Write(w, options);
        }
    }

    /// <summary>Reads the settings (those newer than the file's version from their <see cref="OptionField.Legacy"/> value) and validates them; an invalid one (out of range, or ignored by the task or mode yet not at its default) is an <see cref="InvalidDataException"/>.</summary>
    public static BtwOptions Read(StateReader r)
    {
        var options = new BtwOptions();
        foreach (var field in All)
        {
            if (r.Version >= field.Since)
            {
                field.Read(r, options);
            }
            else
            {
                field.Legacy!(options);
            }
        }

        try
        {
            options.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new InvalidDataException("The file is not a valid Btw weighter state: " + ex.Message, ex);
        }

        return options;
    }

    /// <summary>The first setting that changes observations or folds in which the two differ; null when all agree.</summary>
    public static (string Name, object Mine, object Theirs)? FirstFoldSettingThatDiffers(BtwOptions mine, BtwOptions theirs)
    {
        foreach (var field in All)
        {
            if (field.MustAgreeToMerge && !field.Get(mine).Equals(field.Get(theirs)))
            {
                return (field.Name, field.Get(mine), field.Get(theirs));
            }
        }

        return null;
    }

    private static OptionField Int(string name, bool mustAgree, Func<BtwOptions, int> get, Action<BtwOptions, int> set) =>
        new(name, mustAgree, o => get(o), (w, o) => w.Write(get(o)), (r, o) => set(o, r.ReadInt32()));

    private static OptionField Choice<T>(string name, bool mustAgree, Func<BtwOptions, T> get, Action<BtwOptions, T> set)
        where T : struct, Enum =>
        new(name, mustAgree, o => get(o), (w, o) => w.Write(Convert.ToInt32(get(o), CultureInfo.InvariantCulture)), (r, o) => set(o, (T)Enum.ToObject(typeof(T), r.ReadInt32())));

    private static OptionField Flag(string name, bool mustAgree, Func<BtwOptions, bool> get, Action<BtwOptions, bool> set) =>
        new(name, mustAgree, o => get(o), (w, o) => w.Write(get(o)), (r, o) => set(o, r.ReadFlag("a boolean setting") == 1));

    private static OptionField Real(string name, bool mustAgree, Func<BtwOptions, double> get, Action<BtwOptions, double> set) =>
        new(name, mustAgree, o => get(o), (w, o) => w.Write(get(o)), (r, o) => set(o, r.ReadDouble()));
}
