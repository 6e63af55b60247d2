using System;
using System.IO;

namespace Btw.Persistence;

/// <summary>
/// One setting of <see cref="BtwOptions"/> as <see cref="OptionFields"/> declares it. A setting added in format version
/// <see cref="Since"/> is absent from older files, which load with <see cref="Legacy"/> (what the releases that wrote them did).
/// </summary>
internal sealed record OptionField(string Name, bool MustAgreeToMerge, Func<BtwOptions, object> Get, Action<BinaryWriter, BtwOptions> Write,
    Action<StateReader, BtwOptions> Read)
{
    /// <summary>The first format version that holds the setting.</summary>
    public uint Since { get; init; } = 1;

    /// <summary>Sets the value a file older than <see cref="Since"/> implies; null for settings every readable version holds.</summary>
    public Action<BtwOptions>? Legacy { get; init; }
}
