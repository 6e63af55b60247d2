using System;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Btw.Internal;

/// <summary>
/// Copies a tensor's elements to host memory in one block (row-major), without TorchSharp's per-element accessor,
/// which costs tens of nanoseconds per element.
/// </summary>
internal static class HostCopy
{
    /// <summary>
    /// Copies the <paramref name="destination"/>.Length elements of <paramref name="source"/> (any device or layout; its
    /// dtype must be the one of <typeparamref name="T"/>) into <paramref name="destination"/> in row-major order.
    /// </summary>
    public static void CopyTo<T>(Tensor source, Span<T> destination)
        where T : unmanaged
    {
        if (destination.IsEmpty)
        {
            return;
        }

        if (source.device_type == DeviceType.CPU && source.is_contiguous())
        {
            // Already in host memory, row-major: read it in place (no tensor, no dispose scope).
            MemoryMarshal.Cast<byte, T>(source.bytes).CopyTo(destination);
            return;
        }

        using var scope = NewDisposeScope();
        var host = source.cpu().contiguous();
        MemoryMarshal.Cast<byte, T>(host.bytes).CopyTo(destination);
    }

    /// <summary>A new float32 tensor [rows, columns] on <paramref name="device"/> holding <paramref name="values"/> (row-major), written straight into the tensor's memory.</summary>
    public static Tensor ToTensor(ReadOnlySpan<float> values, int rows, int columns, Device device)
    {
        var host = empty(new long[] { rows, columns }, ScalarType.Float32);
        if (!values.IsEmpty)
        {
            values.CopyTo(MemoryMarshal.Cast<byte, float>(host.bytes));
        }

        if (device.type == DeviceType.CPU)
        {
            return host;
        }

        using (host)
        {
            return host.to(device);
        }
    }
}
