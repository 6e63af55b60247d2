namespace Btw.Demo.Data;

/// <summary>How <see cref="Standardizer"/> computes its statistics.</summary>
internal enum StandardizationMode
{
    /// <summary>One mean and standard deviation per feature column (tabular data).</summary>
    PerFeature,

    /// <summary>One mean and standard deviation per view over all its columns (images: keeps pixel contrast).</summary>
    PerView,
}
