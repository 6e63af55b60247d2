using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Exporters.Csv;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;
using Perfolizer.Metrology;

namespace Btw.Benchmarks;

/// <summary>
/// A short job (1 launch, 2 warm-up and 5 measured iterations of about 250 ms, in process) so that the whole suite runs
/// in a few minutes on 2 cores, with the memory diagnoser and a CSV export in fixed units (microseconds, bytes, no unit
/// suffixes, ';'-separated) that benchmarks/run.sh reads.
/// </summary>
public sealed class ShortRunConfig : ManualConfig
{
    public ShortRunConfig()
    {
        var style = SummaryStyle.Default
            .WithCultureInfo(CultureInfo.InvariantCulture)
            .WithTimeUnit(TimeUnit.Microsecond)
            .WithSizeUnit(SizeUnit.B);
        AddJob(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(2)
            .WithIterationCount(5)
            .WithIterationTime(TimeInterval.FromMilliseconds(250))
            .WithId("Short"));
        AddDiagnoser(MemoryDiagnoser.Default);
        AddExporter(new CsvExporter(CsvSeparator.Semicolon, new SummaryStyle(CultureInfo.InvariantCulture, printUnitsInHeader: true, sizeUnit: SizeUnit.B, timeUnit: TimeUnit.Microsecond, printUnitsInContent: false)));
        AddExporter(MarkdownExporter.GitHub);
        WithSummaryStyle(style);
    }
}
