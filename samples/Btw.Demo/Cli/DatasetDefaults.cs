namespace Btw.Demo.Cli;

/// <summary>
/// Per data set defaults, sized so that a default run stays short on 2 CPU cores (the segment default,
/// 6 modes x 5 seeds, must finish within 5 minutes including the first build).
/// </summary>
internal static class DatasetDefaults
{
    public static int Epochs(string dataset) => dataset.ToUpperInvariant() switch
    {
        "SEGMENT" => 25,
        "DIABETES" => 60,
        "MNIST" => 12,
        _ => 25,
    };

    public static int BatchSize(string dataset) => dataset.ToUpperInvariant() switch
    {
        "DIABETES" => 32,
        "MNIST" => 128,
        _ => 64,
    };

    public static double LearningRate(string dataset) => dataset.ToUpperInvariant() switch
    {
        _ => 3e-3,
    };
}
