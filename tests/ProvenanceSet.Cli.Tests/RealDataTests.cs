using System.Text.Json;
using Xunit.Abstractions;

namespace ProvenanceSet.Cli.Tests;

/// <summary>
/// Real outputs of public chat models (optional): runs only when the development data set is
/// present, in the folder named by the environment variable PROVENANCESET_REALDATA or in
/// <c>shared/realdata</c> beside the repository. The data is never copied into the repository.
/// </summary>
public class RealDataTests(ITestOutputHelper log)
{
    internal static string? Folder()
    {
        string? configured = Environment.GetEnvironmentVariable("PROVENANCESET_REALDATA");
        if (!string.IsNullOrEmpty(configured))
        {
            return Directory.Exists(configured) ? configured : null;
        }

        return Repository.RealDataBeside();
    }

    internal sealed record Case(string Target, string[] Sources, string[] Related, bool Hard, string[] Pool);

    internal static List<Case> Cases(string folder)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "dev-cases.json")));
        string[] background = [.. doc.RootElement.GetProperty("background").EnumerateArray().Select(e => e.GetString()!)];
        var cases = new List<Case>();
        foreach (var c in doc.RootElement.GetProperty("cases").EnumerateArray())
        {
            string target = c.GetProperty("target").GetString()!;
            string[] extra = c.TryGetProperty("extra_candidates", out var x) && x.ValueKind == JsonValueKind.Array
                ? [.. x.EnumerateArray().Select(e => e.GetString()!)]
                : [];
            cases.Add(new Case(
                target,
                [.. c.GetProperty("sources").EnumerateArray().Select(e => e.GetString()!)],
                [.. c.GetProperty("related").EnumerateArray().Select(e => e.GetString()!)],
                c.GetProperty("hard").GetBoolean(),
                [.. background.Concat(extra).Where(m => m != target).Distinct()]));
        }

        return cases;
    }

    [SkippableFact]
    public void TokenAudit_PutsAListedSourceFirst_ExceptHardCases()
    {
        string? folder = Folder();
        Skip.If(folder is null, "the real-output development data is not present");
        string outputs = Path.Combine(folder, "alpacaeval-dev.jsonl");
        var failures = new List<string>();
        foreach (var c in Cases(folder))
        {
            using var dir = new TempFolder();
            var run = MpsProcess.Start(dir.Path, "audit", "--outputs", outputs, "--target", c.Target, "--candidates", string.Join(',', c.Pool),
                "--distance", "token", "--permutations", "200", "--json", "-");
            Assert.True(run.ExitCode == 0, run.Stderr);
            using var json = JsonDocument.Parse(run.Stdout);
            string[] set = [.. json.RootElement.GetProperty("set").EnumerateArray().Select(e => e.GetString()!)];
            string first = set.Length > 0 ? set[0] : "(empty)";
            bool ok = c.Sources.Contains(first);
            log.WriteLine($"{c.Target}{(c.Hard ? " [hard]" : "")}: first = {first} ({(ok ? "a listed source" : "not a listed source")}), "
                + $"set size {set.Length} of {c.Pool.Length}, sources in set: {c.Sources.Count(set.Contains)} of {c.Sources.Length}");
            if (!c.Hard && !ok)
            {
                failures.Add($"{c.Target}: first in the set is {first}, not one of {string.Join(", ", c.Sources)}");
            }
        }

        Assert.Empty(failures);
    }
}
