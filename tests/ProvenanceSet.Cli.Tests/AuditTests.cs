using System.Text;
using System.Text.Json;

namespace ProvenanceSet.Cli.Tests;

/// <summary><c>mps audit</c> on outputs built to have a known lineage.</summary>
public class AuditTests
{
    private static readonly string[] Words =
    [
        "the", "model", "answer", "river", "green", "quickly", "seven", "paper", "light", "stone", "music", "winter",
        "garden", "number", "simple", "bright", "table", "ocean", "small", "history", "window", "silver", "travel", "question",
    ];

    /// <summary>
    /// 60 prompts. "parent" writes random sentences; "child" (the target) keeps the parent's first
    /// eight words and changes the rest; three unrelated models write their own random sentences.
    /// </summary>
    internal static string LineageJsonl(int prompts = 60, bool child = true)
    {
        ulong state = 99;
        string Word()
        {
            state = (state * 6364136223846793005UL) + 1442695040888963407UL;
            return Words[(int)((state >> 33) % (ulong)Words.Length)];
        }

        string Sentence(int n) => string.Join(' ', Enumerable.Range(0, n).Select(_ => Word()));
        var sb = new StringBuilder();
        void Add(string model, int p, string text) =>
            sb.Append(JsonSerializer.Serialize(new Dictionary<string, string> { ["model"] = model, ["prompt_id"] = $"q{p}", ["output"] = text })).Append('\n');

        for (int p = 0; p < prompts; p++)
        {
            string parent = Sentence(30);
            Add("parent", p, parent);
            if (child)
            {
                Add("child", p, string.Join(' ', parent.Split(' ').Take(8)) + " " + Sentence(22));
            }

            foreach (string other in new[] { "other-a", "other-b", "other-c" })
            {
                Add(other, p, Sentence(30));
            }
        }

        return sb.ToString();
    }

    [Fact]
    public void Audit_FindsTheParent_AndWritesJsonWithTheDistance()
    {
        using var dir = new TempFolder();
        string file = dir.File("outputs.jsonl", LineageJsonl());
        var run = MpsProcess.Start(dir.Path, "audit", "--outputs", file, "--target", "child", "--tokenizer", "words", "--permutations", "199", "--json", "r.json",
            "--variant", "faithful", "--token-distance", "disagreement", "--normalize", "false");
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("Audit of 'child': 4 candidates x 60 prompts, distance token-disagreement@20/words", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("Provenance set (1 of 4): parent", run.Stdout, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.Path, "r.json")));
        Assert.Equal("token-disagreement@20/words", json.RootElement.GetProperty("distance").GetString());
        Assert.Equal("child", json.RootElement.GetProperty("target").GetString());
        Assert.Equal(["parent"], json.RootElement.GetProperty("set").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void Audit_CandidatesMaxPromptsAndNormalize()
    {
        using var dir = new TempFolder();
        string file = dir.File("outputs.jsonl", LineageJsonl());
        var run = MpsProcess.Start(dir.Path, "audit", "--outputs", file, "--target", "child", "--candidates", "other-a,parent,other-b",
            "--max-prompts", "40", "--normalize", "--token-distance", "edit", "--tokens", "12", "--tokenizer", "cl100k", "--permutations", "199", "--json", "-",
            "--variant", "faithful");
        Assert.True(run.ExitCode == 0, run.Stderr);
        using var json = JsonDocument.Parse(run.Stdout);
        var root = json.RootElement;
        Assert.Equal(["other-a", "parent", "other-b"], root.GetProperty("candidates").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        Assert.Equal(40, root.GetProperty("promptCount").GetInt32());
        Assert.Equal("parent", root.GetProperty("set")[0].GetString());
        Assert.Equal("token-edit@12/cl100k", root.GetProperty("distance").GetString());
        var diagnostics = root.GetProperty("diagnostics").EnumerateArray().Select(d => d.GetString()).ToList();
        Assert.Contains(diagnostics, d => d!.Contains("first 40 aligned prompts", StringComparison.Ordinal));
        Assert.Contains(diagnostics, d => d!.Contains("pairwise-normalised", StringComparison.Ordinal));
    }

    [Fact]
    public void SemanticAudit_WithTheOfflineModel_FindsTheParaphrasingParent()
    {
        // The child says what the parent says in other words; two unrelated models talk about something else.
        string[] topics = ["baking bread", "the French revolution", "photosynthesis", "learning to swim", "black holes", "the stock market",
            "growing tomatoes", "the history of jazz", "saving money", "training a puppy", "volcanoes", "writing a resume"];
        string[] other = ["football tactics", "medieval castles", "coffee brewing", "knitting patterns", "car engines", "bird migration",
            "chess openings", "ocean tides", "ancient Rome", "solar panels", "mountain hiking", "origami"];
        var lines = new List<string>();
        void Add(string model, int p, string text) => lines.Add(JsonSerializer.Serialize(new Dictionary<string, string> { ["model"] = model, ["prompt_id"] = $"p{p}", ["output"] = text }));
        for (int p = 0; p < topics.Length; p++)
        {
            Add("parent", p, $"Here is a short guide to {topics[p]}: start with the basics and practise every day.");
            Add("child", p, $"A brief introduction to {topics[p]}: learn the fundamentals first, then practise daily.");
            Add("other-a", p, $"Let me tell you about {other[p]}, which people have studied for centuries.");
            Add("other-b", p, $"{other[(p + 5) % other.Length]} is a topic with many surprising facts.");
        }

        using var dir = new TempFolder();
        string file = dir.File("outputs.jsonl", string.Join('\n', lines) + "\n");
        var run = MpsProcess.Start(dir.Path, "audit", "--outputs", file, "--target", "child", "--distance", "semantic", "--permutations", "199", "--json", "-",
            "--variant", "faithful", "--normalize", "false");
        Assert.True(run.ExitCode == 0, run.Stderr);
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.Equal("semantic-cosine/all-MiniLM-L6-v2", json.RootElement.GetProperty("distance").GetString());
        Assert.Equal(["parent"], json.RootElement.GetProperty("set").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void Audit_WithoutTheSource_GivesAnEmptySet_UsuallyAtLeast()
    {
        // No derived model in the pool: the set is empty unless the test errs (probability ≤ alpha).
        using var dir = new TempFolder();
        string file = dir.File("outputs.jsonl", LineageJsonl(child: false));
        var run = MpsProcess.Start(dir.Path, "audit", "--outputs", file, "--target", "other-c", "--candidates", "other-a,other-b,parent",
            "--tokenizer", "words", "--permutations", "199", "--seed", "1", "--variant", "faithful", "--token-distance", "disagreement", "--normalize", "false");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Provenance set: empty", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Audit_MatrixOut_WritesTheDistances_ThatTestReproduces()
    {
        using var dir = new TempFolder();
        string file = dir.File("outputs.jsonl", LineageJsonl());
        var audit = MpsProcess.Start(dir.Path, "audit", "--outputs", file, "--target", "child", "--tokenizer", "words", "--permutations", "199",
            "--matrix-out", "d.csv", "--json", "a.json", "--quiet", "--variant", "faithful");
        Assert.True(audit.ExitCode == 0, audit.Stderr);
        string header = File.ReadLines(Path.Combine(dir.Path, "d.csv")).First();
        Assert.Equal("prompt_id,parent,other-a,other-b,other-c", header);
        var test = MpsProcess.Start(dir.Path, "test", "--matrix", "d.csv", "--permutations", "199", "--json", "t.json", "--quiet");
        Assert.True(test.ExitCode == 0, test.Stderr);
        using var a = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.Path, "a.json")));
        using var t = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.Path, "t.json")));
        // Same distances, same seed: the same steps and p-values.
        Assert.Equal(a.RootElement.GetProperty("steps").GetRawText(), t.RootElement.GetProperty("steps").GetRawText());
    }

    [Fact]
    public void Audit_WithNoVariantDistanceOrNormalisationFlags_RunsTheRealPoolMethod()
    {
        // The defaults: the robust variant (clustered calibration) on pairwise-normalised edit distances.
        // docs/examples/outputs.jsonl: acme-chat-ft was fine-tuned from acme-chat; ten unrelated models, each with a style.
        string file = Path.Combine(Repository.Root, "docs", "examples", "outputs.jsonl");
        using var dir = new TempFolder();
        var run = MpsProcess.Start(dir.Path, "audit", "--outputs", file, "--target", "acme-chat-ft", "--json", "-");
        Assert.True(run.ExitCode == 0, run.Stderr);
        using var json = JsonDocument.Parse(run.Stdout);
        var root = json.RootElement;
        Assert.Equal("robust", root.GetProperty("variant").GetString());
        Assert.Equal("clustered", root.GetProperty("background").GetString());
        Assert.Equal("token-edit@20/cl100k", root.GetProperty("distance").GetString());
        Assert.Contains(root.GetProperty("diagnostics").EnumerateArray(), d => d.GetString()!.Contains("pairwise-normalised", StringComparison.Ordinal));
        Assert.Equal(["acme-chat"], root.GetProperty("set").EnumerateArray().Select(e => e.GetString()));
        var check = Assert.Single(root.GetProperty("assumptions").EnumerateArray());
        Assert.Equal("background-groups", check.GetProperty("name").GetString());
        Assert.True(check.GetProperty("holds").GetBoolean());
        Assert.Contains("bounds the chance that an unrelated model enters the set", run.Stderr, StringComparison.Ordinal);

        // The paper's procedure on the same pool: its equidistance check fails, and the confidence
        // statement gives way to a warning that names the assumption and the real-pool method.
        var faithful = MpsProcess.Start(dir.Path, "audit", "--outputs", file, "--target", "acme-chat-ft", "--variant", "faithful");
        Assert.True(faithful.ExitCode == 0, faithful.Stderr);
        Assert.Contains("Warning: the assumption 'equidistant-background' does not hold on this data", faithful.Stdout, StringComparison.Ordinal);
        Assert.Contains("--variant robust", faithful.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("At confidence", faithful.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("missing-file", "--outputs: absent.jsonl: no such file")]
    [InlineData("max-tokens", "--max-tokens must lie between 3 and 512 for the MiniLM model, got 1")]
    [InlineData("malformed-line", "bad.jsonl, line 2, column")]
    [InlineData("unknown-target", "The target 'nobody' has no outputs; models present: parent, child, other-a")]
    [InlineData("unknown-candidate", "The candidate 'ghost' has no outputs")]
    [InlineData("duplicate-record", "duplicate record for model 'm', prompt '1' (first seen at")]
    [InlineData("max-prompts", "--max-prompts must be at least 1")]
    [InlineData("missing-error", "Missing outputs: candidate 'parent' has no output for prompt 'q-extra'")]
    [InlineData("target-among-candidates", "The target 'child' is listed among its own candidates")]
    [InlineData("empty-outputs", "empty.jsonl: the file has no records (it is empty or blank). Each line must be one JSON object such as {\"model\": \"my-model\", \"prompt_id\": \"p1\", \"output\": \"...\"}")]
    [InlineData("missing-error-one", "Missing outputs: candidate 'a' has no output for prompt 'p3'; missing prompts were asked to be an error")]
    public void Audit_BadInput_ExitsTwo(string scenario, string expected)
    {
        using var dir = new TempFolder();
        string good = dir.File("outputs.jsonl", LineageJsonl(12));
        string[] args = scenario switch
        {
            "missing-file" => ["audit", "--outputs", "absent.jsonl", "--target", "child"],
            "malformed-line" => ["audit", "--outputs", dir.File("bad.jsonl", "{\"model\": \"m\", \"prompt_id\": \"1\", \"output\": \"x\"}\n{\"model\": \"m\", \"prompt_id\": \"2\", \"output\": \"x\"\n"), "--target", "m"],
            "unknown-target" => ["audit", "--outputs", good, "--target", "nobody"],
            "unknown-candidate" => ["audit", "--outputs", good, "--target", "child", "--candidates", "parent,ghost"],
            "duplicate-record" => ["audit", "--outputs", dir.File("dup.jsonl", "{\"model\": \"m\", \"prompt_id\": \"1\", \"output\": \"x\"}\n{\"model\": \"m\", \"prompt_id\": \"1\", \"output\": \"y\"}\n"), "--target", "m"],
            "max-prompts" => ["audit", "--outputs", good, "--target", "child", "--max-prompts", "0"],
            // The target answered one more prompt than every candidate.
            "missing-error" => ["audit", "--outputs", good, "--outputs", dir.File("more.jsonl", "{\"model\": \"child\", \"prompt_id\": \"q-extra\", \"output\": \"x\"}\n"), "--target", "child", "--missing", "error"],
            "target-among-candidates" => ["audit", "--outputs", good, "--target", "child", "--candidates", "parent,child"],
            "max-tokens" => ["audit", "--outputs", good, "--target", "child", "--distance", "semantic", "--max-tokens", "1"],
            "empty-outputs" => ["audit", "--outputs", dir.File("empty.jsonl", string.Empty), "--target", "x"],

            // Exactly one output is missing: candidate a never answered p3.
            "missing-error-one" => ["audit", "--outputs", dir.File("one-missing.jsonl", string.Concat(
                new[] { ("t", "p1"), ("t", "p2"), ("t", "p3"), ("a", "p1"), ("a", "p2"), ("b", "p1"), ("b", "p2"), ("b", "p3") }
                .Select(r => $"{{\"model\": \"{r.Item1}\", \"prompt_id\": \"{r.Item2}\", \"output\": \"x\"}}\n"))), "--target", "t", "--missing", "error"],
            _ => throw new ArgumentOutOfRangeException(nameof(scenario)),
        };
        var run = MpsProcess.Start(dir.Path, args);
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("mps: error: ", run.Stderr, StringComparison.Ordinal);
        Assert.Contains(expected, run.Stderr, StringComparison.Ordinal);
        Assert.Single(run.Stderr.TrimEnd('\n').Split('\n'));

        // One position per message, and no count of zero more.
        Assert.DoesNotContain("BytePositionInLine", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("(and 0 more", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("models present: .", run.Stderr, StringComparison.Ordinal);
    }
}
