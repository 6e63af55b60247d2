using System;
using System.Globalization;

namespace Btw.Internal;

/// <summary>The one way the options classes (<see cref="BtwOptions"/>, <see cref="BtwLossOptions"/>, <see cref="BtwMoEOptions"/>) check a setting.</summary>
internal static class OptionCheck
{
    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> "<paramref name="owner"/>.<paramref name="name"/> must be <paramref name="expected"/>; got value." unless <paramref name="condition"/> holds.</summary>
    public static void Require(bool condition, string owner, string name, object value, string expected)
    {
        if (!condition)
        {
            throw new ArgumentOutOfRangeException(name, value, string.Create(CultureInfo.InvariantCulture, $"{owner}.{name} must be {expected}; got {value}."));
        }
    }
}
