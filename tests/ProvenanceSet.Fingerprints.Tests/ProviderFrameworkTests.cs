using Microsoft.Extensions.AI;
using ProvenanceSet.Fingerprints.Semantic;
using ProvenanceSet.Outputs;

namespace ProvenanceSet.Fingerprints.Tests;

/// <summary>Alignment, batching, normalisation and caching, through small providers with known fingerprints.</summary>
public class ProviderFrameworkTests
{
    /// <summary>Fingerprint = the output parsed as a number; distance = |a − b|. Counts every fingerprint made.</summary>
    private sealed class NumberProvider : FingerprintDistanceProvider<double>
    {
        public int Fingerprinted;
        public HashSet<string> ModelsSeen { get; } = [];

        public override string Name => "number";

        protected override int BatchSize => 3;

        protected override Task<IReadOnlyList<double>> FingerprintAsync(IReadOnlyList<ModelOutput> outputs, CancellationToken cancellationToken)
        {
            Interlocked.Add(ref Fingerprinted, outputs.Count);
            lock (ModelsSeen)
            {
                foreach (var o in outputs)
                {
                    ModelsSeen.Add(o.Model);
                }
            }

            return Task.FromResult<IReadOnlyList<double>>([.. outputs.Select(o => double.Parse(o.Output, System.Globalization.CultureInfo.InvariantCulture))]);
        }

        protected override double Distance(double a, double b) => Math.Abs(a - b);
    }

    private static List<ModelOutput> Pool(params (string Model, string Prompt, double Value)[] cells) =>
        [.. cells.Select(c => new ModelOutput(c.Model, c.Prompt, c.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)))];

    private static readonly List<ModelOutput> Three = Pool(
        ("t", "p1", 0), ("a", "p1", 1), ("b", "p1", 3), ("c", "p1", 6),
        ("t", "p2", 10), ("a", "p2", 10), ("b", "p2", 12), ("c", "p2", 20),
        ("unused", "p1", 99), ("unused", "p2", 99));

    [Fact]
    public async Task EachNeededOutput_IsFingerprintedOnce_AndOthersNever()
    {
        var provider = new NumberProvider();
        var result = await provider.ComputeAsync(Three, new DistanceRequest { Target = "t", Candidates = ["a", "b", "c"] });
        Assert.Equal(8, provider.Fingerprinted);   // (3 candidates + target) × 2 prompts
        Assert.DoesNotContain("unused", provider.ModelsSeen);
        Assert.Equal([1.0, 0.0], result.Matrix.GetRow(0).ToArray());
        Assert.Equal([3.0, 2.0], result.Matrix.GetRow(1).ToArray());
        Assert.Equal([6.0, 10.0], result.Matrix.GetRow(2).ToArray());
    }

    [Fact]
    public async Task Normalize_SubtractsEachCandidatesMeanDistanceToTheOthers()
    {
        var result = await new NumberProvider().ComputeAsync(Three, new DistanceRequest { Target = "t", Candidates = ["a", "b", "c"], Normalize = true });
        // p1: values a=1, b=3, c=6. Mean distance to the others: a (2+5)/2, b (2+3)/2, c (5+3)/2.
        Assert.Equal(1 - 3.5, result.Matrix[0, 0]);
        Assert.Equal(3 - 2.5, result.Matrix[1, 0]);
        Assert.Equal(6 - 4.0, result.Matrix[2, 0]);
        // p2: a=10, b=12, c=20 → a (2+10)/2, b (2+8)/2, c (10+8)/2.
        Assert.Equal(0 - 6.0, result.Matrix[0, 1]);
        Assert.Equal(2 - 5.0, result.Matrix[1, 1]);
        Assert.Equal(10 - 9.0, result.Matrix[2, 1]);
        Assert.Contains(result.Notes, n => n.Contains("pairwise-normalised", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MissingPrompts_AreDroppedForEveryone_AndReported()
    {
        var outputs = Pool(("t", "p1", 0), ("t", "p2", 0), ("t", "p3", 0), ("t", "p4", 0),
            ("a", "p1", 1), ("a", "p2", 1), ("a", "p4", 1), ("a", "extra", 1),
            ("b", "p1", 2), ("b", "p2", 2), ("b", "p3", 2), ("b", "p4", 2));
        var result = await new NumberProvider().ComputeAsync(outputs, new DistanceRequest { Target = "t" });
        Assert.Equal(["p1", "p2", "p4"], result.Matrix.PromptIds);
        Assert.Equal(1, result.PromptsDropped);
        Assert.Contains(result.Notes, n => n.Contains("1 of 4 prompts were dropped", StringComparison.Ordinal) && n.Contains("'a' lacks 1 (p3)", StringComparison.Ordinal));
        Assert.Contains(result.Notes, n => n.Contains("not by the target", StringComparison.Ordinal) && n.Contains("extra", StringComparison.Ordinal));

        var ex = await Assert.ThrowsAsync<ArgumentException>(() =>
            new NumberProvider().ComputeAsync(outputs, new DistanceRequest { Target = "t", MissingPrompts = MissingPromptPolicy.Error }));
        Assert.Contains("candidate 'a' has no output for prompt 'p3' (and 1 more missing);", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingPrompts_AsAnError_SaysAndNMoreOnlyWhenThereAreMore()
    {
        var outputs = Pool(("t", "p1", 0), ("t", "p2", 0), ("t", "p3", 0),
            ("a", "p1", 1), ("a", "p2", 1),
            ("b", "p1", 2), ("b", "p2", 2), ("b", "p3", 2));
        var ex = await Assert.ThrowsAsync<ArgumentException>(() =>
            new NumberProvider().ComputeAsync(outputs, new DistanceRequest { Target = "t", MissingPrompts = MissingPromptPolicy.Error }));
        Assert.StartsWith("Missing outputs: candidate 'a' has no output for prompt 'p3'; missing prompts were asked to be an error", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("more missing", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoRecordsAtAll_SaysSo_InsteadOfAnEmptyListOfModels()
    {
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => new NumberProvider().ComputeAsync([], new DistanceRequest { Target = "x" }));
        Assert.StartsWith("The outputs hold no records, so the target 'x' has none; give outputs with one record per model and prompt, such as {\"model\":", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("models present", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MaxPrompts_KeepsTheFirstInTheTargetsOrder()
    {
        var outputs = Pool(("a", "z", 1), ("b", "z", 2), ("a", "y", 1), ("b", "y", 2), ("a", "x", 1), ("b", "x", 2),
            ("t", "y", 0), ("t", "x", 0), ("t", "z", 0));
        var result = await new NumberProvider().ComputeAsync(outputs, new DistanceRequest { Target = "t", MaxPrompts = 2 });
        Assert.Equal(["y", "x"], result.Matrix.PromptIds);
        Assert.Equal(1, result.PromptsBeyondLimit);
    }

    [Theory]
    [InlineData("nobody", null, "The target 'nobody' has no outputs; models present: t, a, b, c, unused")]
    [InlineData("t", "a,ghost", "The candidate 'ghost' has no outputs")]
    [InlineData("t", "a,t", "The target 't' is listed among its own candidates")]
    [InlineData("t", "a,a", "Duplicate candidate 'a'")]
    [InlineData("t", "a", "Only 1 candidate(s) besides the target 't'")]
    public async Task BadRequests_NameTheProblem(string target, string? candidates, string expected)
    {
        var request = new DistanceRequest { Target = target, Candidates = candidates?.Split(',') };
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => new NumberProvider().ComputeAsync(Three, request));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancellation_Stops()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var many = Enumerable.Range(0, 100_000).Select(i => new ModelOutput(i % 3 == 0 ? "t" : i % 3 == 1 ? "a" : "b", $"{i / 3}", "1"));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new NumberProvider().ComputeAsync(many, new DistanceRequest { Target = "t" }, null, cts.Token));
    }

    [Fact]
    public async Task ProgressReportsEveryStage()
    {
        var stages = new List<DistanceProgress>();
        var progress = new Inline<DistanceProgress>(p => { lock (stages) { stages.Add(p); } });
        await new NumberProvider().ComputeAsync(Three, new DistanceRequest { Target = "t" }, progress);
        Assert.Contains(stages, s => s.Stage == DistanceStage.Indexing && s.Completed == 10);
        Assert.Contains(stages, s => s.Stage == DistanceStage.Fingerprinting && s.Completed == 10 && s.Total == 10);
        Assert.Contains(stages, s => s.Stage == DistanceStage.Distances && s.Completed == 2);
    }

    [Fact]
    public async Task Semantic_CosineDistances_AndEmbeddingsCachedPerModelAndPrompt()
    {
        var generator = new TableGenerator(new()
        {
            ["north"] = [0, 1],
            ["east"] = [1, 0],
            ["north-east"] = [1, 1],
            ["south"] = [0, -2],
        });
        var outputs = new List<ModelOutput>
        {
            new("t", "1", "north"), new("a", "1", "north-east"), new("b", "1", "south"),
            new("t", "2", "east"), new("a", "2", "east"), new("b", "2", "north"),
        };
        var provider = new SemanticDistanceProvider(generator);
        var m = (await provider.ComputeAsync(outputs, new DistanceRequest { Target = "t" })).Matrix;
        Assert.Equal(1 - Math.Sqrt(0.5), m[0, 0], 6);
        Assert.Equal(2.0, m[1, 0], 12);
        Assert.Equal(0.0, m[0, 1], 12);
        Assert.Equal(1.0, m[1, 1], 12);
        Assert.Equal(6, generator.Embedded);
        Assert.Equal("semantic-cosine/table", provider.Name);

        // A second audit with another target embeds nothing again.
        await provider.ComputeAsync(outputs, new DistanceRequest { Target = "a" });
        Assert.Equal(6, generator.Embedded);
        // A changed text for the same (model, prompt) is embedded afresh.
        outputs[1] = new ModelOutput("a", "1", "east");
        await provider.ComputeAsync(outputs, new DistanceRequest { Target = "t" });
        Assert.Equal(7, generator.Embedded);
    }

    private sealed class TableGenerator(Dictionary<string, float[]> table) : IEmbeddingGenerator<string, Embedding<float>>
    {
        public int Embedded;

        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            var list = values.ToList();
            Interlocked.Add(ref Embedded, list.Count);
            return Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(list.Select(v => new Embedding<float>(table[v]))));
        }

        public object? GetService(Type serviceType, object? serviceKey = null) =>
            serviceType == typeof(EmbeddingGeneratorMetadata) ? new EmbeddingGeneratorMetadata("table-provider", null, "table") : null;

        public void Dispose()
        {
        }
    }

    private sealed class Inline<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
