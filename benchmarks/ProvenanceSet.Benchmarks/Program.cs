using BenchmarkDotNet.Running;
using ProvenanceSet.Benchmarks;

if (args.Contains("--quick-embeddings"))
{
    return QuickEmbeddingBenchmark.Run(Console.Out);
}

if (args.Contains("--ab"))
{
    return AlternatingBuilds.Run(Console.Out, args);
}

if (args.Contains("--throughput"))
{
    return QuickBenchmark.Throughput(Console.Out, args);
}

if (args.Contains("--quick"))
{
    return QuickBenchmark.Run(Console.Out) | CsvLoading.Quick(Console.Out);
}

if (args.Contains("--quick-csv"))
{
    return CsvLoading.Quick(Console.Out);
}

if (args.Contains("--end-to-end"))
{
    return EndToEndBenchmark.Run(Console.Out, args);
}

if (args.Contains("--export-csv"))
{
    return CsvLoading.Export(args);
}

if (args.Contains("--column-paths"))
{
    return ColumnPathsBenchmark.Run(Console.Out);
}

if (args.Contains("--clock"))
{
    return ClockBenchmark.Run(Console.Out);
}

if (args.Contains("--paper"))
{
    return PaperSetting.Run(Console.Out);
}

if (args.Contains("--export-matrix"))
{
    return PaperSetting.Export(args);
}

if (args.Contains("--quick-fingerprints"))
{
    return QuickFingerprintBenchmark.Run(Console.Out, args);
}

BenchmarkSwitcher.FromAssembly(typeof(QuickBenchmark).Assembly).Run(args);
return 0;
