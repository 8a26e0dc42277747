using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Mathematics;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace ProvenanceSet.Benchmarks;

/// <summary>
/// Short runs (3 warm-ups, 5 measured iterations, one process) so that the 135 kernel cases finish in
/// well under an hour on two cores; GitHub-markdown reports; the cell-rate column; speed-up over the baseline.
/// </summary>
public class KernelConfig : ManualConfig
{
    public KernelConfig()
    {
        AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(5));
        AddColumn(new CellRateColumn());
        AddExporter(MarkdownExporter.GitHub);
        SummaryStyle = SummaryStyle.Default.WithRatioStyle(RatioStyle.Trend);
    }
}

/// <summary>Seconds-long operations with a cell rate: one warm-up and ten measured runs.</summary>
public class StepThroughputConfig : ManualConfig
{
    public StepThroughputConfig()
    {
        AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(10).WithInvocationCount(1).WithUnrollFactor(1));
        AddColumn(new CellRateColumn());
        AddColumn(StatisticColumn.Min, StatisticColumn.Max);
        AddExporter(MarkdownExporter.GitHub);
    }
}

/// <summary>End-to-end runs take seconds each: one warm-up and five measured runs.</summary>
public class EndToEndConfig : ManualConfig
{
    public EndToEndConfig()
    {
        AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(5).WithInvocationCount(1).WithUnrollFactor(1));
        AddExporter(MarkdownExporter.GitHub);
    }
}

/// <summary>A rate column: what one operation does over its measured time (BenchmarkDotNet's plumbing written once).</summary>
public abstract class RateColumn(string columnName, string legend) : IColumn
{
    public string Id => GetType().Name;

    public string ColumnName => columnName;

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => legend;

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) =>
        summary[benchmarkCase]?.ResultStatistics is { } statistics ? Rate(benchmarkCase, statistics) : "-";

    public abstract bool IsSupported(BenchmarkCase benchmarkCase);

    /// <summary>The rate, formatted, from the case's parameters and its time statistics (nanoseconds).</summary>
    protected abstract string Rate(BenchmarkCase benchmarkCase, Statistics statistics);
}

/// <summary>Cell-permutations per second: m × N × rounds per operation / mean time.</summary>
public class CellRateColumn() : RateColumn("Gcells/s", "10^9 cell-permutations per second (active candidates × prompts × rounds per operation / mean)")
{
    public override bool IsSupported(BenchmarkCase benchmarkCase) => benchmarkCase.Parameters.Items.Any(p => p.Name == "M");

    protected override string Rate(BenchmarkCase benchmarkCase, Statistics statistics)
    {
        int m = Convert.ToInt32(benchmarkCase.Parameters["M"], CultureInfo.InvariantCulture);
        int n = Convert.ToInt32(benchmarkCase.Parameters["N"], CultureInfo.InvariantCulture);
        Type type = benchmarkCase.Descriptor.Type;
        int rounds = type == typeof(AllCoresBenchmarks) ? AllCoresBenchmarks.Rounds
            : type == typeof(StepThroughputBenchmarks) ? StepThroughputBenchmarks.Rounds
            : KernelBenchmarksBase.Rounds;
        double seconds = statistics.Mean / 1e9;
        return ((double)m * n * rounds / seconds / 1e9).ToString("F3", CultureInfo.InvariantCulture);
    }
}
