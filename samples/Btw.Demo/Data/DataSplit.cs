using System;

namespace Btw.Demo.Data;

/// <summary>A fixed train / validation / test split of one data set, and a sentence that says how it was made.</summary>
internal sealed class DataSplit
{
    public DataSplit(MultiViewDataset train, MultiViewDataset validation, MultiViewDataset test, string description, bool[,]? trainCorrupted = null)
    {
        if (trainCorrupted is not null && (trainCorrupted.GetLength(0) != train.Rows || trainCorrupted.GetLength(1) != train.Views.Count))
        {
            throw new ArgumentException($"Corruption flags are [{trainCorrupted.GetLength(0)}, {trainCorrupted.GetLength(1)}], expected [{train.Rows}, {train.Views.Count}].", nameof(trainCorrupted));
        }

        TrainCorrupted = trainCorrupted;
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(validation);
        ArgumentNullException.ThrowIfNull(test);
        Train = train;
        Validation = validation;
        Test = test;
        Description = description;
    }

    public MultiViewDataset Train { get; }

    public MultiViewDataset Validation { get; }

    public MultiViewDataset Test { get; }

    public string Description { get; }

    /// <summary>Synthetic data only: [training row, modality] = the view of that row was replaced by noise.</summary>
    public bool[,]? TrainCorrupted { get; }

    public string Name => Train.Name;

    /// <summary>Standardises every split with statistics of the training split only.</summary>
    public DataSplit Standardize(StandardizationMode mode)
    {
        var standardizer = Standardizer.Fit(Train, mode);
        return new DataSplit(standardizer.Apply(Train), standardizer.Apply(Validation), standardizer.Apply(Test), Description, TrainCorrupted);
    }
}
