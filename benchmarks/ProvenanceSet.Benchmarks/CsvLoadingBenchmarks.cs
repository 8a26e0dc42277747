using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Mathematics;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using ProvenanceSet.Data;

namespace ProvenanceSet.Benchmarks;

/// <summary>
/// Loading the wide distance CSV (<see cref="DistanceMatrix.ReadCsv(string, string?)"/>): a 50 × 100 000 matrix
/// of the simulated pool, written by the benchmark itself to a temporary file, once with every double at
/// round-trip precision (<c>R</c>, what <see cref="DistanceMatrix.WriteCsv"/> and Python's <c>repr</c> write:
/// about 18 characters a cell) and once with six decimals (<c>F6</c>: 8 characters a cell). The MB/s column
/// is the file's size over the mean time. The file is read from the page cache: this measures the parser,
/// not the disk.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(CsvLoadingConfig))]
public class CsvLoadingBenchmarks
{
    private string _path = null!;

    [Params(50)]
    public int M { get; set; }

    [Params(100_000)]
    public int N { get; set; }

    [Params("R", "F6")]
    public string Format { get; set; } = "R";

    /// <summary>The size of the file read, for the MB/s column (one benchmark process per case).</summary>
    public static long FileBytes { get; private set; }

    [GlobalSetup]
    public void Setup()
    {
        _path = Path.Combine(Path.GetTempPath(), $"provenanceset-csv-bench-{Environment.ProcessId}-{Format}.csv");
        FileBytes = CsvLoading.Write(_path, M, N, Format);
    }

    [GlobalCleanup]
    public void Cleanup() => File.Delete(_path);

    [Benchmark(Description = "ReadCsv(path)")]
    public int ReadCsv() => DistanceMatrix.ReadCsv(_path).PromptCount;
}

/// <summary>A few seconds per case: one warm-up and ten measured reads, each a single call.</summary>
public class CsvLoadingConfig : ManualConfig
{
    public CsvLoadingConfig()
    {
        AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(2).WithIterationCount(10).WithInvocationCount(1).WithUnrollFactor(1));
        AddColumn(new CsvRateColumn());
        AddColumn(StatisticColumn.Median, StatisticColumn.Min, StatisticColumn.Max);
        AddExporter(MarkdownExporter.GitHub);
    }
}

/// <summary>MB (10⁶ bytes) of CSV per second: the file's size over the median time of a read.</summary>
public class CsvRateColumn() : RateColumn("MB/s", "10^6 bytes of CSV per second (file size / median)")
{
    public override bool IsSupported(BenchmarkCase benchmarkCase) => benchmarkCase.Descriptor.Type == typeof(CsvLoadingBenchmarks);

    protected override string Rate(BenchmarkCase benchmarkCase, Statistics statistics)
    {
        // The summary runs in the host process: the file's size is recomputed from the case's parameters.
        int m = Convert.ToInt32(benchmarkCase.Parameters["M"], CultureInfo.InvariantCulture);
        int n = Convert.ToInt32(benchmarkCase.Parameters["N"], CultureInfo.InvariantCulture);
        string format = (string)benchmarkCase.Parameters["Format"];
        double seconds = statistics.Median / 1e9;
        return (CsvLoading.Size(m, n, format) / seconds / 1e6).ToString("F0", CultureInfo.InvariantCulture);
    }
}

/// <summary>
/// Writes the benchmark's CSV files, and the quick line: <c>csv m=&lt;m&gt; n=&lt;n&gt; format=&lt;R|F6&gt; threads=1 &lt;number&gt; MB/s</c>
/// (median of five reads of the file), and <c>--export-csv FILE [m n [format]]</c> for the end-to-end runs of <c>mps test</c>.
/// </summary>
internal static class CsvLoading
{
    private static readonly Dictionary<(int, int, string), long> Sizes = [];

    /// <summary>Writes the simulated pool's m × n matrix as the wide CSV; returns the file's size in bytes.</summary>
    public static long Write(string path, int m, int n, string format)
    {
        var matrix = Shapes.Pool(m, n);
        using (var writer = new StreamWriter(path, append: false, new System.Text.UTF8Encoding(false), 1 << 16))
        {
            if (format == "R")
            {
                matrix.WriteCsv(writer);
            }
            else
            {
                writer.Write(DistanceMatrixCsv.PromptIdHeader);
                foreach (string name in matrix.CandidateNames)
                {
                    writer.Write(',');
                    writer.Write(name);
                }

                writer.Write('\n');
                for (int t = 0; t < n; t++)
                {
                    writer.Write(matrix.PromptIds[t]);
                    for (int i = 0; i < m; i++)
                    {
                        writer.Write(',');
                        writer.Write(matrix[i, t].ToString(format, CultureInfo.InvariantCulture));
                    }

                    writer.Write('\n');
                }
            }
        }

        return new FileInfo(path).Length;
    }

    /// <summary>The size of the file <see cref="Write"/> makes (written once to a temporary file and remembered).</summary>
    public static long Size(int m, int n, string format)
    {
        lock (Sizes)
        {
            if (!Sizes.TryGetValue((m, n, format), out long size))
            {
                string path = Path.GetTempFileName();
                try
                {
                    Sizes[(m, n, format)] = size = Write(path, m, n, format);
                }
                finally
                {
                    File.Delete(path);
                }
            }

            return size;
        }
    }

    public static int Quick(TextWriter output, int m = 50, int n = 100_000)
    {
        foreach (string format in new[] { "R", "F6" })
        {
            string path = Path.Combine(Path.GetTempPath(), $"provenanceset-csv-quick-{Environment.ProcessId}-{format}.csv");
            try
            {
                long bytes = Write(path, m, n, format);
                DistanceMatrix.ReadCsv(path); // warm-up: the JIT's tiers and the page cache
                var rates = new double[5];
                for (int rep = 0; rep < rates.Length; rep++)
                {
                    var clock = Stopwatch.StartNew();
                    DistanceMatrix.ReadCsv(path);
                    rates[rep] = bytes / clock.Elapsed.TotalSeconds / 1e6;
                }

                Array.Sort(rates);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"csv m={m} n={n} format={format} threads=1 {rates[rates.Length / 2]:F0} MB/s ({bytes / 1e6:F1} MB)"));
            }
            finally
            {
                File.Delete(path);
            }
        }

        return 0;
    }

    public static int Export(string[] args)
    {
        var (path, m, n) = Shapes.ExportArguments(args, "--export-csv", 20_000);
        int at = Array.IndexOf(args, "--export-csv");
        string format = args.Length > at + 4 ? args[at + 4] : "R";
        long bytes = Write(path, m, n, format);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wrote {m} x {n} ({format}) to {path}: {bytes / 1e6:F1} MB"));
        return 0;
    }
}
