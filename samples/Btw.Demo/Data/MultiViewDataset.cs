using System;
using System.Collections.Generic;
using System.Linq;

namespace Btw.Demo.Data;

/// <summary>
/// A supervised multimodal data set: several views of the same rows and one target per row, either a
/// class label (<see cref="BtwTask.Classification"/>) or a real value (<see cref="BtwTask.Regression"/>).
/// </summary>
internal sealed class MultiViewDataset
{
    private MultiViewDataset(string name, BtwTask task, IReadOnlyList<DatasetView> views, int[]? labels, IReadOnlyList<string> classNames, float[]? targets)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(views);
        if (views.Count == 0)
        {
            throw new ArgumentException($"Data set '{name}' has no views.", nameof(views));
        }

        var rows = task == BtwTask.Classification ? labels!.Length : targets!.Length;
        foreach (var view in views)
        {
            if (view.Rows != rows)
            {
                throw new ArgumentException($"Data set '{name}': view '{view.Name}' has {view.Rows} rows, the targets have {rows}.", nameof(views));
            }
        }

        Name = name;
        Task = task;
        Views = views;
        Labels = labels;
        ClassNames = classNames;
        Targets = targets;
    }

    public string Name { get; }

    public BtwTask Task { get; }

    public IReadOnlyList<DatasetView> Views { get; }

    /// <summary>Class labels in [0, <see cref="Classes"/>) for classification; null for regression.</summary>
    public int[]? Labels { get; }

    /// <summary>Real targets for regression; null for classification.</summary>
    public float[]? Targets { get; }

    public IReadOnlyList<string> ClassNames { get; }

    public int Classes => ClassNames.Count;

    public int Rows => Views[0].Rows;

    public IReadOnlyList<string> ViewNames => Views.Select(v => v.Name).ToArray();

    public static MultiViewDataset Classification(string name, IReadOnlyList<DatasetView> views, int[] labels, IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(classNames);
        for (var i = 0; i < labels.Length; i++)
        {
            if (labels[i] < 0 || labels[i] >= classNames.Count)
            {
                throw new ArgumentException($"Data set '{name}': label {labels[i]} of row {i} is outside [0, {classNames.Count}).", nameof(labels));
            }
        }

        return new MultiViewDataset(name, BtwTask.Classification, views, labels, classNames, null);
    }

    public static MultiViewDataset Regression(string name, IReadOnlyList<DatasetView> views, float[] targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        return new MultiViewDataset(name, BtwTask.Regression, views, null, Array.Empty<string>(), targets);
    }

    /// <summary>A new data set holding the given rows, in the given order.</summary>
    public MultiViewDataset Select(IReadOnlyList<int> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var views = Views.Select(v => v.Select(rows)).ToArray();
        return Task == BtwTask.Classification
            ? Classification(Name, views, rows.Select(r => Labels![r]).ToArray(), ClassNames)
            : Regression(Name, views, rows.Select(r => Targets![r]).ToArray());
    }

    /// <summary>The same rows and targets with new views (for standardised copies).</summary>
    public MultiViewDataset WithViews(IReadOnlyList<DatasetView> views) =>
        Task == BtwTask.Classification
            ? Classification(Name, views, Labels!, ClassNames)
            : Regression(Name, views, Targets!);
}
