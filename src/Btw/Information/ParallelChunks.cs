using System;
using System.Threading.Tasks;

namespace Btw.Information;

/// <summary>
/// Runs a body over a fixed number of chunks on up to a given number of threads. The chunks are fixed by the
/// caller (never by the thread count), and every chunk writes only its own outputs, so what is computed does not
/// depend on the number of threads; only the order in which chunks run does.
/// </summary>
internal static class ParallelChunks
{
    /// <summary>The number of chunks of <paramref name="chunkSize"/> elements that cover <paramref name="n"/> elements.</summary>
    internal static int Count(int n, int chunkSize) => (int)(((long)n + chunkSize - 1) / chunkSize);

    /// <summary>
    /// Whether a pass over <paramref name="chunks"/> chunks should take its sequential code path: one thread (unless
    /// <see cref="ParallelRegionClock"/> is measuring the parallel paths on one thread) or a single chunk.
    /// </summary>
    internal static bool Sequential(int maxDegreeOfParallelism, int chunks) =>
        chunks <= 1 || (maxDegreeOfParallelism <= 1 && !ParallelRegionClock.IsOn);

    /// <summary>Runs <paramref name="body"/> for every chunk index in [0, <paramref name="chunks"/>).</summary>
    /// <param name="chunks">The number of chunks.</param>
    /// <param name="maxDegreeOfParallelism">At most this many threads; 1 (or less) runs the chunks in order on the calling thread.</param>
    /// <param name="body">The work of one chunk, given its index.</param>
    internal static void For(int chunks, int maxDegreeOfParallelism, Action<int> body)
    {
        if (maxDegreeOfParallelism <= 1 || chunks <= 1)
        {
            long start = ParallelRegionClock.Enter();
            for (int c = 0; c < chunks; c++)
            {
                body(c);
            }

            ParallelRegionClock.Leave(start);
            return;
        }

        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism }, body);
    }
}
