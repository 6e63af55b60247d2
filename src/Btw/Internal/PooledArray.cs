using System;
using System.Buffers;

namespace Btw.Internal;

/// <summary>
/// A buffer of <see cref="Length"/> elements rented from <see cref="ArrayPool{T}.Shared"/> for the duration of one call
/// (per-batch scratch space without a per-call allocation); <see cref="Dispose"/> returns it. Not to be copied after
/// disposal or disposed twice.
/// </summary>
internal readonly struct PooledArray<T> : IDisposable
{
    private readonly T[] _array;

    private PooledArray(T[] array, int length)
    {
        _array = array;
        Length = length;
    }

    /// <summary>The number of elements in use (the rented array may be longer).</summary>
    public int Length { get; }

    /// <summary>The elements in use.</summary>
    public Span<T> Span => _array.AsSpan(0, Length);

    /// <summary>Element <paramref name="index"/> (bounds-checked against <see cref="Length"/>).</summary>
    public ref T this[int index] => ref Span[index];

    /// <summary>Rents a buffer of <paramref name="length"/> elements; its contents are unspecified (not cleared).</summary>
    public static PooledArray<T> Rent(int length) => new(length == 0 ? [] : ArrayPool<T>.Shared.Rent(length), length);

    /// <summary>Elements <paramref name="start"/> to <paramref name="start"/> + <paramref name="length"/> - 1.</summary>
    public Span<T> AsSpan(int start, int length) => Span.Slice(start, length);

    /// <summary>Returns the array to the pool.</summary>
    public void Dispose()
    {
        if (_array is { Length: > 0 })
        {
            ArrayPool<T>.Shared.Return(_array);
        }
    }
}
