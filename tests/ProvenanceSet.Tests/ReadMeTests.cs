using System.Text.RegularExpressions;
using ProvenanceSet.Simulation;

namespace ProvenanceSet.Tests;

/// <summary>The README's C# example is this file's <see cref="Example"/>, verbatim, and it runs.</summary>
public partial class ReadMeTests
{
    [Fact]
    public void ReadMeExample_IsTheCodeThatRuns()
    {
        string readme = File.ReadAllText(Repository.File("README.md"));
        Match block = ExampleBlock().Match(readme);
        Assert.True(block.Success, "README.md has no ```csharp block after <!-- readme:example -->");
        string source = File.ReadAllText(Repository.File("tests/ProvenanceSet.Tests/ReadMeTests.cs"));
        Match body = ExampleBody().Match(source);
        Assert.True(body.Success);
        string usings = "using ProvenanceSet;\nusing ProvenanceSet.Data;\nusing ProvenanceSet.Simulation;\n\n";
        Assert.Equal(Normalize(block.Groups[1].Value), Normalize(usings + DocExamples.Dedent(body.Groups[1].Value)));
    }

    [Fact]
    public void ReadMeExample_FindsTheSimulatedSources()
    {
        var output = new StringWriter();
        var saved = Console.Out;
        Console.SetOut(output);
        try
        {
            Example();
        }
        finally
        {
            Console.SetOut(saved);
        }

        var pool = new PoolSimulation { Candidates = 20, Prompts = 1000, Seed = 7 }.Generate();
        string setLine = output.ToString().ReplaceLineEndings("\n").Split('\n').Single(l => l.StartsWith("Provenance set: ", StringComparison.Ordinal));
        Assert.Equal(pool.Sources.Order(), setLine["Provenance set: ".Length..].Split(", ").Order());
        Assert.Contains("NI-Score = 0.999", output.ToString(), StringComparison.Ordinal);
    }

    private static void Example()
    {
        // begin-readme
        // 20 candidates, 2 of them true sources, 1 000 prompts. With your own data:
        // IDistanceMatrix matrix = DistanceMatrix.ReadCsv("distances.csv");
        SimulatedPool pool = new PoolSimulation { Candidates = 20, Prompts = 1000, Seed = 7 }.Generate();

        ProvenanceResult result = ModelProvenanceSet.Compute(pool.Matrix, ProvenanceOptions.Default with { Alpha = 0.05, Seed = 1 });

        Console.WriteLine($"Provenance set: {string.Join(", ", result.Set)}");
        foreach (CandidateResult c in result.Candidates.Where(c => c.InSet))
        {
            Console.WriteLine($"{c.Name}: inclusion p = {c.InclusionPValue:0.000}, NI-Score = {c.NiScore:0.000}");
        }

        // end-readme
    }

    private static string Normalize(string code) => code.ReplaceLineEndings("\n").Trim();

    [GeneratedRegex(@"<!-- readme:example -->\s*```csharp\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex ExampleBlock();

    [GeneratedRegex(@"// begin-readme\n(.*?)\n\s*// end-readme", RegexOptions.Singleline)]
    private static partial Regex ExampleBody();
}
