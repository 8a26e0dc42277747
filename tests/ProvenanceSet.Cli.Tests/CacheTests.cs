using System.Text.Json.Nodes;
using ProvenanceSet.Testing;

namespace ProvenanceSet.Cli.Tests;

/// <summary>
/// The fingerprint cache of <c>mps audit</c>, process by process: a cached run gives the result of
/// an uncached one byte for byte, a warm run fingerprints nothing, processes share a cache folder,
/// a damaged cache file is set aside, the size cap holds. Every cache is in a temporary folder.
/// </summary>
public class CacheTests
{
    private static readonly string Outputs = Repository.File("docs/examples/outputs.jsonl");

    private sealed record Audit(MpsProcess.Run Run, string Json, string Matrix);

    /// <summary>Runs an audit of the walkthrough's outputs; the JSON without its "run" object (the only part that may differ) and the matrix CSV.</summary>
    private static Audit RunAudit(string folder, string name, IReadOnlyDictionary<string, string>? environment, params string[] extra)
    {
        string json = Path.Combine(folder, name + ".json"), matrix = Path.Combine(folder, name + ".csv");
        var run = MpsProcess.StartWith(environment ?? new Dictionary<string, string>(), folder,
            ["audit", "--outputs", Outputs, "--target", "acme-chat-ft", "--json", json, "--matrix-out", matrix, .. extra]);
        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}: {run.Stderr}");
        var node = JsonNode.Parse(File.ReadAllText(json))!.AsObject();
        Assert.True(node.Remove("run"), "the result JSON has a run object");
        return new Audit(run, node.ToJsonString(), File.ReadAllText(matrix));
    }

    private static Audit RunAudit(string folder, string name, params string[] extra) => RunAudit(folder, name, null, extra);

    private static void AssertSameResult(Audit expected, Audit actual)
    {
        Assert.Equal(expected.Json, actual.Json);
        Assert.Equal(expected.Matrix, actual.Matrix);
    }

    private static string CacheFile(string folder) => Path.Combine(folder, "fingerprints.db");

    [Fact]
    public void A_warm_token_audit_fingerprints_nothing_and_gives_the_cold_and_the_uncached_result_byte_for_byte()
    {
        using var dir = new TempFolder();
        string cache = Path.Combine(dir.Path, "cache");
        var uncached = RunAudit(dir.Path, "uncached", "--no-cache");
        var cold = RunAudit(dir.Path, "cold", "--cache", cache);
        var warm = RunAudit(dir.Path, "warm", "--cache", cache);

        Assert.Contains("Fingerprints: 1800 outputs; 1800 fingerprinted, 0 from the cache, 0 identical to another output (cache ", cold.Run.Stdout, StringComparison.Ordinal);
        Assert.Contains("Fingerprints: 1800 outputs; 0 fingerprinted, 1800 from the cache, 0 identical to another output (cache ", warm.Run.Stdout, StringComparison.Ordinal);
        Assert.Contains("(no cache).", uncached.Run.Stdout, StringComparison.Ordinal);
        AssertSameResult(uncached, cold);
        AssertSameResult(uncached, warm);
        Assert.True(File.Exists(CacheFile(cache)));
    }

    [Fact]
    public void A_warm_semantic_audit_embeds_nothing_and_gives_the_cold_result_byte_for_byte()
    {
        using var dir = new TempFolder();
        string cache = Path.Combine(dir.Path, "cache");
        string[] semantic = ["--distance", "semantic", "--max-prompts", "10", "--cache", cache];
        var cold = RunAudit(dir.Path, "cold", semantic);
        var warm = RunAudit(dir.Path, "warm", semantic);
        Assert.Contains("Fingerprints: 120 outputs; 120 fingerprinted, 0 from the cache", cold.Run.Stdout, StringComparison.Ordinal);
        Assert.Contains("Fingerprints: 120 outputs; 0 fingerprinted, 120 from the cache", warm.Run.Stdout, StringComparison.Ordinal);
        AssertSameResult(cold, warm);

        // Another token budget is another embedding: nothing of the first runs may be used.
        var longer = RunAudit(dir.Path, "longer", [.. semantic, "--max-tokens", "64"]);
        Assert.Contains("Fingerprints: 120 outputs; 120 fingerprinted, 0 from the cache", longer.Run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_processes_on_one_cache_folder_both_succeed_with_the_uncached_result()
    {
        using var dir = new TempFolder();
        string cache = Path.Combine(dir.Path, "cache");
        var uncached = RunAudit(dir.Path, "uncached", "--no-cache");
        var runs = await Task.WhenAll(
            Task.Run(() => RunAudit(dir.Path, "first", "--cache", cache)),
            Task.Run(() => RunAudit(dir.Path, "second", "--cache", cache)));
        foreach (var run in runs)
        {
            AssertSameResult(uncached, run);
            Assert.DoesNotContain("warning", run.Run.Stderr, StringComparison.Ordinal);
        }

        var warm = RunAudit(dir.Path, "warm", "--cache", cache);
        Assert.Contains("0 fingerprinted, 1800 from the cache", warm.Run.Stdout, StringComparison.Ordinal);
        AssertSameResult(uncached, warm);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("truncated")]
    public void A_damaged_cache_file_is_set_aside_with_a_warning_and_the_result_is_unchanged(string damage)
    {
        using var dir = new TempFolder();
        string cache = Path.Combine(dir.Path, "cache");
        var uncached = RunAudit(dir.Path, "uncached", "--no-cache");
        if (damage == "garbage")
        {
            Directory.CreateDirectory(cache);
            File.WriteAllText(CacheFile(cache), string.Concat(Enumerable.Repeat("not a database, ", 2000)));
        }
        else
        {
            RunAudit(dir.Path, "fill", "--cache", cache);
            using var stream = new FileStream(CacheFile(cache), FileMode.Open);
            stream.SetLength(stream.Length / 3);
        }

        var damaged = RunAudit(dir.Path, "damaged", "--cache", cache);
        Assert.Contains("warning: The fingerprint cache ", damaged.Run.Stderr, StringComparison.Ordinal);
        Assert.Contains("moved aside", damaged.Run.Stderr, StringComparison.Ordinal);
        AssertSameResult(uncached, damaged);
        Assert.Single(Directory.GetFiles(cache, "fingerprints.db.damaged-*"));

        // The new file is a sound cache.
        var warm = RunAudit(dir.Path, "warm", "--cache", cache);
        Assert.DoesNotContain("warning", warm.Run.Stderr, StringComparison.Ordinal);
        Assert.Contains("0 fingerprinted, 1800 from the cache", warm.Run.Stdout, StringComparison.Ordinal);
        AssertSameResult(uncached, warm);
    }

    [Fact]
    public void A_tiny_cap_keeps_the_file_under_it_and_the_result_unchanged()
    {
        using var dir = new TempFolder();
        string cache = Path.Combine(dir.Path, "cache");
        const double capMb = 0.08;
        long cap = (long)(capMb * 1024 * 1024);
        var uncached = RunAudit(dir.Path, "uncached", "--no-cache");
        var cold = RunAudit(dir.Path, "cold", "--cache", cache, "--cache-max-mb", "0.08");
        AssertSameResult(uncached, cold);
        Assert.InRange(new FileInfo(CacheFile(cache)).Length, 1, cap);

        // Fingerprints were evicted (1800 of them take about four times the cap): the warm run computes what is gone.
        var warm = RunAudit(dir.Path, "warm", "--cache", cache, "--cache-max-mb", "0.08");
        AssertSameResult(uncached, warm);
        Assert.DoesNotContain("1800 from the cache", warm.Run.Stdout, StringComparison.Ordinal);
        Assert.InRange(new FileInfo(CacheFile(cache)).Length, 1, cap);
    }

    [Fact]
    public void The_default_cache_is_in_XDG_CACHE_HOME_and_no_cache_leaves_no_file()
    {
        using var dir = new TempFolder();
        string home = Path.Combine(dir.Path, "xdg");
        var environment = new Dictionary<string, string> { ["XDG_CACHE_HOME"] = home };
        RunAudit(dir.Path, "none", environment, "--no-cache");
        Assert.False(Directory.Exists(home), "--no-cache created a cache folder");

        var run = RunAudit(dir.Path, "default", environment);
        string file = Path.Combine(home, "provenanceset", "fingerprints.db");
        Assert.True(File.Exists(file));
        Assert.Contains($"(cache {file}).", run.Run.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--no-cache", "--cache", "somewhere")]
    [InlineData("--cache-max-mb", "0")]
    [InlineData("--cache-max-mb", "-1")]
    public void Contradictory_or_impossible_cache_options_are_usage_errors(params string[] options)
    {
        using var dir = new TempFolder();
        var run = MpsProcess.Start(dir.Path, ["audit", "--outputs", Outputs, "--target", "acme-chat-ft", .. options]);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("cache", run.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "somewhere")));
    }

    [Fact]
    public void Help_and_README_name_the_same_cache_options()
    {
        using var dir = new TempFolder();
        var help = MpsProcess.Start(dir.Path, "audit", "--help");
        string readme = File.ReadAllText(Repository.File("README.md"));
        foreach (string option in new[] { "--cache", "--no-cache", "--cache-max-mb" })
        {
            Assert.Contains(option + " ", help.Stdout, StringComparison.Ordinal);
            Assert.Contains($"`{option}", readme, StringComparison.Ordinal);
        }

        foreach (string place in new[] { "$XDG_CACHE_HOME/provenanceset", "~/.cache/provenanceset" })
        {
            Assert.Contains(place, help.Stdout.Replace("\n", " ", StringComparison.Ordinal), StringComparison.Ordinal);
            Assert.Contains(place, readme, StringComparison.Ordinal);
        }
    }
}
