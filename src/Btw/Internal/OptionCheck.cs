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

    /// <summary>
    /// Throws <see cref="ArgumentException"/> "<paramref name="owner"/>.<paramref name="name"/> = value applies only to
    /// <paramref name="appliesTo"/> ..." unless <paramref name="condition"/> holds: a setting the chosen task or mode ignores
    /// was given a value other than its default.
    /// </summary>
    public static void RequireDefault(bool condition, string owner, string name, object value, object defaultValue, string appliesTo)
    {
        if (!condition)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"{owner}.{name} = {value} would be ignored: it applies only to {appliesTo}. Leave it at its default {defaultValue}, or choose the task or mode it is meant for."),
                name);
        }
    }
}
