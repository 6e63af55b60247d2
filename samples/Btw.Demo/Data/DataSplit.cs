using System;

namespace Btw.Demo.Data;

/// <summary>A fixed train / validation / test split of one data set, and a sentence that says how it was made.</summary>
internal sealed class DataSplit
{
    public DataSplit(MultiViewDataset train, MultiViewDataset validation, MultiViewDataset test, string description)
    {
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

    public string Name => Train.Name;

    /// <summary>Standardises every split with statistics of the training split only.</summary>
    public DataSplit Standardize(StandardizationMode mode)
    {
        var standardizer = Standardizer.Fit(Train, mode);
        return new DataSplit(standardizer.Apply(Train), standardizer.Apply(Validation), standardizer.Apply(Test), Description);
    }
}
