using System;
using System.IO;

namespace Btw.Persistence;

/// <summary>One setting of <see cref="BtwOptions"/> as <see cref="OptionFields"/> declares it.</summary>
internal sealed record OptionField(string Name, bool MustAgreeToMerge, Func<BtwOptions, object> Get, Action<BinaryWriter, BtwOptions> Write,
    Action<StateReader, BtwOptions> Read);
