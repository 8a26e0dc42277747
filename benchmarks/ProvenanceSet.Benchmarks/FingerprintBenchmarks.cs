using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using ProvenanceSet.Data;
using ProvenanceSet.Fingerprints;
using ProvenanceSet.Fingerprints.Tokens;
using ProvenanceSet.Outputs;

namespace ProvenanceSet.Benchmarks;

/// <summary>The token provider end to end (indexing, tokenization, distances) on in-memory outputs.</summary>
[MemoryDiagnoser]
public class TokenProviderBenchmarks
{
    private List<ModelOutput> _outputs = null!;

    [Params(TokenizerKind.Cl100k, TokenizerKind.O200k, TokenizerKind.Words)]
    public TokenizerKind Tokenizer { get; set; }

    [GlobalSetup]
    public void Setup() => _outputs = SyntheticOutputs.Generate(models: 21, prompts: 1000, characters: 800);

    /// <summary>20 candidates × 1000 prompts = 20 000 candidate–target pairs per operation.</summary>
    [Benchmark]
    public DistanceMatrix TokenDisagreement20() =>
        new TokenDistanceProvider(TokenDistanceOptions.Default with { Tokenizer = Tokenizer })
            .ComputeAsync(_outputs, new DistanceRequest { Target = "target" }).GetAwaiter().GetResult().Matrix;
}

/// <summary>Quick mode for fingerprints: candidate–target pairs per second, tokenization included.</summary>
internal static class QuickFingerprintBenchmark
{
    /// <summary>Synthetic outputs by default; <c>--outputs FILE --target NAME</c> measures on real outputs instead.</summary>
    public static int Run(TextWriter output, string[] args)
    {
        int at = Array.IndexOf(args, "--outputs");
        string? file = at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
        int targetAt = Array.IndexOf(args, "--target");
        string target = targetAt >= 0 && targetAt + 1 < args.Length ? args[targetAt + 1] : "target";
        var outputs = file is null ? SyntheticOutputs.Generate(21, 5000, characters: 800) : [.. ModelOutputReader.ReadJsonLines([file])];
        int models = outputs.Select(o => o.Model).Distinct().Count();
        int prompts = outputs.Where(o => o.Model == target).Select(o => o.PromptId).Distinct().Count();
        int pairs = (models - 1) * prompts;
        string source = file is null ? "synthetic chars=800" : "outputs=" + Path.GetFileName(file);
        foreach (var kind in new[] { TokenizerKind.Cl100k, TokenizerKind.O200k, TokenizerKind.Gpt2, TokenizerKind.Words })
        {
            foreach (var distance in new[] { TokenDistanceKind.Disagreement, TokenDistanceKind.EditDistance })
            {
                double best = double.MaxValue;
                string name = "";
                for (int repeat = 0; repeat < 6; repeat++)
                {
                    // A fresh provider each time: nothing is cached between runs.
                    var provider = new TokenDistanceProvider(TokenDistanceOptions.Default with { Tokenizer = kind, Distance = distance });
                    var clock = Stopwatch.StartNew();
                    provider.ComputeAsync(outputs, new DistanceRequest { Target = target }).GetAwaiter().GetResult();
                    if (repeat > 0)
                    {
                        // The first run loads the tokenizer's data and warms the JIT.
                        best = Math.Min(best, clock.Elapsed.TotalSeconds);
                    }

                    name = provider.Name;
                }

                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{name} candidates={models - 1} prompts={prompts} {source} threads={Environment.ProcessorCount} {pairs / best:F0} pairs/s"));
            }
        }

        return 0;
    }
}
