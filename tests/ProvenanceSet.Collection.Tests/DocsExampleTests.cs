using System.Text.RegularExpressions;
using ProvenanceSet.Collection.Collecting;
using ProvenanceSet.Collection.Prompts;

namespace ProvenanceSet.Collection.Tests;

/// <summary>Runs alone: the example writes relative paths and prints, so it owns the working folder and the console.</summary>
[CollectionDefinition(nameof(DocsExampleTests), DisableParallelization = true)]
public sealed class DocsExampleRunsAlone;

/// <summary>
/// The C# example of docs/collection.md is this file's <see cref="Example"/>, verbatim after its usings (this
/// file's) and its preamble (which only says where the models answer), and it runs against the local test server.
/// </summary>
[Collection(nameof(DocsExampleTests))]
public partial class DocsExampleTests
{
    [Fact]
    public void CollectionDocExample_IsTheCodeThatRuns()
    {
        Match block = ExampleBlock().Match(File.ReadAllText(Path.Combine(Repository.Root, "docs", "collection.md")).ReplaceLineEndings("\n"));
        Assert.True(block.Success, "docs/collection.md has no ```csharp block");
        string[] parts = block.Groups[1].Value.Split("\n\n", 3);
        Assert.Equal("using ProvenanceSet.Collection.Collecting;\nusing ProvenanceSet.Collection.Prompts;", parts[0]);
        Assert.Matches(PreambleShape(), parts[1]);
        Match body = ExampleBody().Match(File.ReadAllText(Path.Combine(Repository.Root, "tests", "ProvenanceSet.Collection.Tests", "DocsExampleTests.cs")).ReplaceLineEndings("\n"));
        Assert.True(body.Success);
        Assert.Equal(parts[2].Trim(), DocExamples.Dedent(body.Groups[1].Value).Trim());
    }

    [Fact]
    public async Task CollectionDocExample_CollectsEveryModelsAnswers()
    {
        await using var server = await FakeOpenAIServer.StartAsync();
        using var folder = new TempFolder();
        string savedFolder = Environment.CurrentDirectory;
        TextWriter savedOut = Console.Out;
        var printed = new StringWriter();
        try
        {
            Environment.CurrentDirectory = folder.Path;
            Console.SetOut(printed);
            await Example(server.BaseUrl, server.BaseUrl, server.BaseUrl, 30, null, CancellationToken.None);
        }
        finally
        {
            Console.SetOut(savedOut);
            Environment.CurrentDirectory = savedFolder;
        }

        var prompts = PromptFile.Read(folder.Combine("prompts.jsonl"));
        Assert.Equal(30, prompts.Count);
        OutputsLines.AssertExactlyOnce(folder.Combine("outputs.jsonl"), ["my-model", "llama3.1:8b", "gpt-4o-mini"], prompts, FakeOpenAIServer.EchoAnswer);
        Assert.Equal(["my-model: 30/30 ", "llama3.1:8b: 30/30 ", "gpt-4o-mini: 30/30 "], printed.ToString().ReplaceLineEndings("\n").TrimEnd('\n').Split('\n'));
        Assert.Equal(64, server.LastSettings.MaxTokens);
    }

    private static async Task Example(Uri local, Uri ollama, Uri openAI, int count, IProgress<CollectionProgress>? progress, CancellationToken cancellationToken)
    {
        // begin-docs
        IReadOnlyList<PromptRecord> prompts = PromptGenerator.Generate(count, seed: 1);
        PromptFile.Write("prompts.jsonl", prompts);

        using var target = CollectionModel.OpenAICompatible("my-model", local);
        using var parent = CollectionModel.OpenAICompatible("llama3.1:8b", ollama);
        using var hosted = CollectionModel.OpenAICompatible("gpt-4o-mini", openAI,
            apiKey: Environment.GetEnvironmentVariable("OPENAI_API_KEY"));

        var collector = new OutputCollector([target, parent, hosted], CollectionOptions.Default with { MaxOutputTokens = 64 });
        CollectionSummary summary = await collector.CollectAsync(prompts, "outputs.jsonl", progress, cancellationToken);
        foreach (ModelCollectionResult m in summary.Models)
        {
            Console.WriteLine($"{m.Name}: {m.Completed}/{m.Total} {m.Failure?.Message}");
        }

        // end-docs
    }

    [GeneratedRegex(@"```csharp\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex ExampleBlock();

    [GeneratedRegex(@"// begin-docs\n(.*?)\n\s*// end-docs", RegexOptions.Singleline)]
    private static partial Regex ExampleBody();

    [GeneratedRegex(@"^// .*\nUri local = new\(""[^""]+""\), ollama = new\(""[^""]+""\), openAI = new\(""[^""]+""\);\nint count = [0-9_]+;$")]
    private static partial Regex PreambleShape();
}
