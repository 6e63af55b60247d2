namespace Btw.Demo.Scenarios;

/// <summary>
/// Named presets of <see cref="ScenarioOptions"/>: the cases where the paper says weighting modalities matters
/// (extra modalities bring more noise than information). Each is built on a real data set the repo ships.
/// </summary>
internal enum ScenarioKind
{
    /// <summary>The data set as shipped.</summary>
    Clean,

    /// <summary>Pure-noise views (N(0, 1), independent of the labels) added to every split.</summary>
    NoiseViews,

    /// <summary>One real view replaced by N(0, 1) noise on a random fraction of the rows of every split (train, validation and test).</summary>
    Corruption,

    /// <summary>A small stratified training subset plus pure-noise views, so that the noise can be fitted.</summary>
    SmallTrain,

    /// <summary>Each view of each row missing with probability 0.3 at train and test time (the missing-modality study).</summary>
    Missing,
}
