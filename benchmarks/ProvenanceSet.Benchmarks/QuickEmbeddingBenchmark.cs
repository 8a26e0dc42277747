using System.Diagnostics;
using System.Globalization;
using ProvenanceSet.Embeddings.MiniLM;

namespace ProvenanceSet.Benchmarks;

/// <summary>
/// The quick embedding mode (<c>--quick-embeddings</c>): for each batch size and thread count one
/// line <c>minilm texts=&lt;n&gt; max-tokens=128 batch=&lt;b&gt; threads=&lt;t&gt; &lt;number&gt; outputs/s</c>,
/// where an output is one synthetic chat answer of about 800 characters (more than 128 tokens).
/// Each configuration is warmed up, then timed over whole calls of n texts for about 3 seconds.
/// </summary>
internal static class QuickEmbeddingBenchmark
{
    private const int Texts = MiniLmEmbeddingBenchmarks.TextsPerOperation;
    private static readonly int[] BatchSizes = [1, 8, 16, 32, 64];

    public static int Run(TextWriter output)
    {
        var texts = ChatAnswerTexts.Generate(Texts);
        int[] threadCounts = [.. MiniLmEmbeddingBenchmarks.ThreadCounts.Reverse()];
        foreach (int threads in threadCounts)
        {
            foreach (int batch in BatchSizes)
            {
                var options = MiniLmEmbeddingOptions.Default with { BatchSize = batch, MaxDegreeOfParallelism = threads };
                using var generator = new MiniLmEmbeddingGenerator(options);
                generator.GenerateAsync(texts).GetAwaiter().GetResult();

                int calls = 0;
                var clock = Stopwatch.StartNew();
                while (calls < 2 || clock.Elapsed.TotalSeconds < 3)
                {
                    generator.GenerateAsync(texts).GetAwaiter().GetResult();
                    calls++;
                }

                double perSecond = calls * (double)Texts / clock.Elapsed.TotalSeconds;
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"minilm texts={Texts} max-tokens={options.MaxTokens} batch={batch} threads={threads} {perSecond:F1} outputs/s"));
            }
        }

        return 0;
    }
}
