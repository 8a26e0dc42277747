using System.Text.Json.Nodes;

namespace ProvenanceSet.Cli.Tests;

/// <summary>
/// <c>mps screen</c> and <c>mps merge</c> through the real process, on the README's example outputs (12 models;
/// acme-chat-ft was fine-tuned from acme-chat, the ten others are unrelated).
/// </summary>
public class ScreenTests
{
    private static readonly string Outputs = Repository.File("docs/examples/outputs.jsonl");

    [Fact]
    public void Screen_FindsTheLineageBothWays_AndEachTargetsResultIsItsAudit()
    {
        using var dir = new TempFolder();
        var run = MpsProcess.Start(dir.Path, "screen", "--outputs", Outputs, "--json", "screen.json");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var screen = JsonNode.Parse(File.ReadAllText(Path.Combine(dir.Path, "screen.json")))!.AsArray();

        Assert.Equal(12, screen.Count);
        Assert.Equal(Enumerable.Range(0, 12), screen.Select(t => (int)t!["targetIndex"]!));
        Assert.Equal(["acme-chat-ft"], Set(screen, "acme-chat"));
        Assert.Equal(["acme-chat"], Set(screen, "acme-chat-ft"));
        Assert.All(screen.Where(t => !((string)t!["target"]!).StartsWith("acme-chat", StringComparison.Ordinal)), t => Assert.Empty(t!["set"]!.AsArray()));

        // Every target's object is what 'mps audit' writes for that target, apart from the run record and the screen's own fields.
        foreach (var target in screen)
        {
            string name = (string)target!["target"]!;
            var audit = MpsProcess.Start(dir.Path, "audit", "--outputs", Outputs, "--target", name, "--json", "-", "--quiet");
            Assert.True(audit.ExitCode == 0, audit.Stderr);
            var expected = JsonNode.Parse(audit.Stdout)!.AsObject();
            var actual = target.AsObject().DeepClone().AsObject();
            foreach (string field in new[] { "targetIndex", "targetCount", "rawMeanDistances" })
            {
                actual.Remove(field);
            }

            expected.Remove("run");
            actual.Remove("run");
            var differing = expected.Select(kv => kv.Key).Union(actual.Select(kv => kv.Key))
                .Where(k => !JsonNode.DeepEquals(expected[k], actual[k])).ToList();
            Assert.True(differing.Count == 0, $"screen and audit differ for '{name}' in {string.Join(", ", differing)}: {string.Join(" | ", differing.Select(k => $"{expected[k]?.ToJsonString()} vs {actual[k]?.ToJsonString()}"))}");
        }
    }

    [Fact]
    public void ThreeShardsMerged_AreOneRun_WhateverTheThreads()
    {
        using var dir = new TempFolder();
        Assert.Equal(0, MpsProcess.Start(dir.Path, "screen", "--outputs", Outputs, "--json", "one.json", "--dot", "one.dot", "--quiet").ExitCode);
        for (int k = 1; k <= 3; k++)
        {
            var shard = MpsProcess.Start(dir.Path, "screen", "--outputs", Outputs, "--shard", $"{k}/3", "--threads", k.ToString(System.Globalization.CultureInfo.InvariantCulture), "--json", $"shard{k}.json", "--quiet");
            Assert.True(shard.ExitCode == 0, shard.Stderr);
        }

        var merge = MpsProcess.Start(dir.Path, "merge", "shard3.json", "shard1.json", "shard2.json", "--json", "all.json", "--dot", "all.dot", "--report", "all.html");
        Assert.True(merge.ExitCode == 0, merge.Stderr);
        Assert.Equal(WithoutRun("one.json", dir), WithoutRun("all.json", dir));
        Assert.Equal(File.ReadAllText(Path.Combine(dir.Path, "one.dot")), File.ReadAllText(Path.Combine(dir.Path, "all.dot")));
        Assert.Contains("<svg", File.ReadAllText(Path.Combine(dir.Path, "all.html")), StringComparison.Ordinal);

        var incomplete = MpsProcess.Start(dir.Path, "merge", "shard1.json", "shard3.json", "--json", "part.json");
        Assert.Equal(2, incomplete.ExitCode);
        Assert.Contains("4 of 12 targets are missing (target indices 1, 4, 7, 10)", incomplete.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(dir.Path, "part.json")));

        var twice = MpsProcess.Start(dir.Path, "merge", "shard1.json", "shard1.json", "--json", "twice.json");
        Assert.Equal(2, twice.ExitCode);
        Assert.Contains("is also in shard1.json", twice.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Screen_WritesTheReportAndTheDotGraph_WithTheMutualPair()
    {
        using var dir = new TempFolder();
        var run = MpsProcess.Start(dir.Path, "screen", "--outputs", Outputs, "--report", "screen.html", "--dot", "lineage.dot", "--quiet");
        Assert.True(run.ExitCode == 0, run.Stderr);
        string dot = File.ReadAllText(Path.Combine(dir.Path, "lineage.dot"));
        Assert.Contains("digraph lineage {", dot, StringComparison.Ordinal);
        Assert.Matches(@"""acme-chat(-ft)?"" -> ""acme-chat(-ft)?"" \[[^\]]*dir=both", dot);
        string html = File.ReadAllText(Path.Combine(dir.Path, "screen.html"));
        Assert.Contains("<svg", html, StringComparison.Ordinal);
        Assert.Contains("not a joint guarantee", html, StringComparison.Ordinal);
        Assert.Contains("nimbus-7b", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--targets", "acme-chat,nobody", "--targets: the outputs have no model 'nobody'")]
    [InlineData("--pool", "ghost", "--pool: the outputs have no model 'ghost'")]
    [InlineData("--shard", "4/3", "--shard must be K/N with 1 <= K <= N")]
    [InlineData("--family-alpha", "1.5", "--family-alpha must lie strictly between 0 and 1")]
    public void BadScreenOptions_NameTheProblem(string option, string value, string expected)
    {
        using var dir = new TempFolder();
        var run = MpsProcess.Start(dir.Path, "screen", "--outputs", Outputs, option, value, "--json", "s.json");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected, run.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(dir.Path, "s.json")));
    }

    [Fact]
    public void FamilyAlpha_SplitsAlphaOverTheTargets_AndTargetsKeepFileOrder()
    {
        using var dir = new TempFolder();
        var run = MpsProcess.Start(dir.Path, "screen", "--outputs", Outputs, "--targets", "acme-chat-ft,acme-chat", "--family-alpha", "0.1", "--json", "-", "--quiet");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var screen = JsonNode.Parse(run.Stdout)!.AsArray();
        Assert.Equal(["acme-chat", "acme-chat-ft"], screen.Select(t => (string)t!["target"]!));
        Assert.All(screen, t => Assert.Equal(0.05, (double)t!["alpha"]!));
    }

    private static string[] Set(JsonArray screen, string target) =>
        [.. screen.Single(t => (string)t!["target"]! == target)!["set"]!.AsArray().Select(s => (string)s!)];

    private static string WithoutRun(string file, TempFolder dir)
    {
        var array = JsonNode.Parse(File.ReadAllText(Path.Combine(dir.Path, file)))!.AsArray();
        foreach (var item in array)
        {
            item!.AsObject().Remove("run");
        }

        return array.ToJsonString();
    }
}
