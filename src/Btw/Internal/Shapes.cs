using System;
using System.Globalization;
using TorchSharp;

namespace Btw.Internal;

/// <summary>Small helpers that describe tensor shapes in exception messages.</summary>
internal static class Shapes
{
    /// <summary>Formats a shape as [d0, d1, ...].</summary>
    public static string Format(ReadOnlySpan<long> shape)
    {
        var parts = new string[shape.Length];
        for (var i = 0; i < shape.Length; i++)
        {
            parts[i] = shape[i].ToString(CultureInfo.InvariantCulture);
        }

        return "[" + string.Join(", ", parts) + "]";
    }

    /// <summary>Formats the shape of a tensor as [d0, d1, ...].</summary>
    public static string Of(torch.Tensor tensor) => Format(tensor.shape);

    /// <summary>Formats a message with the invariant culture.</summary>
    public static string Message(FormattableString message) => message.ToString(CultureInfo.InvariantCulture);

    /// <summary>Whether the tensor holds floating-point values.</summary>
    public static bool IsFloating(torch.Tensor tensor) => torch.is_floating_point(tensor);
}
