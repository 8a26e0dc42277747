using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Jobs;
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

/// <summary>Cell-permutations per second: m × N × rounds per operation / mean time.</summary>
public class CellRateColumn : IColumn
{
    public string Id => nameof(CellRateColumn);

    public string ColumnName => "Gcells/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "10^9 cell-permutations per second (active candidates × prompts × rounds per operation / mean)";

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var report = summary[benchmarkCase];
        if (report?.ResultStatistics is null)
        {
            return "-";
        }

        int m = Convert.ToInt32(benchmarkCase.Parameters["M"], CultureInfo.InvariantCulture);
        int n = Convert.ToInt32(benchmarkCase.Parameters["N"], CultureInfo.InvariantCulture);
        Type type = benchmarkCase.Descriptor.Type;
        int rounds = type == typeof(AllCoresBenchmarks) ? AllCoresBenchmarks.Rounds
            : type == typeof(StepThroughputBenchmarks) ? StepThroughputBenchmarks.Rounds
            : KernelBenchmarksBase.Rounds;
        double seconds = report.ResultStatistics.Mean / 1e9;
        return ((double)m * n * rounds / seconds / 1e9).ToString("F3", CultureInfo.InvariantCulture);
    }

    public bool IsSupported(BenchmarkCase benchmarkCase) => benchmarkCase.Parameters.Items.Any(p => p.Name == "M");
}
