using System.Security.Cryptography;
using System.Text.Json;

namespace ProvenanceSet.Cli.Tests;

/// <summary>
/// What a command writes: never over one of its inputs or over its other outputs, never half a set of
/// files, and a record of what it read (SHA-256, size), when, and with which tool and command.
/// </summary>
public class OutputSafetyTests
{
    private static readonly string Matrix = "prompt_id,c1,c2,c3,c4,c5\n" + string.Concat(Enumerable.Range(0, 30).Select(t =>
        $"p{t},{0.60 + (t % 3 * 0.01)},{0.40 + (t % 5 * 0.01)},{0.61 + (t % 4 * 0.01)},{0.62 + (t % 2 * 0.01)},{0.63 + (t % 7 * 0.01)}\n"));

    /// <summary>Every file in the folder (hidden ones too) with its bytes, to show what a run changed.</summary>
    private static Dictionary<string, string> Snapshot(string folder) =>
        Directory.GetFiles(folder, "*", SearchOption.AllDirectories).ToDictionary(f => Path.GetRelativePath(folder, f), f => Convert.ToHexString(File.ReadAllBytes(f)));

    private static void AssertOneErrorLine(MpsProcess.Run run, params string[] expected)
    {
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("mps: error: ", run.Stderr, StringComparison.Ordinal);
        Assert.Single(run.Stderr.TrimEnd('\n').Split('\n'));
        foreach (string part in expected)
        {
            Assert.Contains(part, run.Stderr, StringComparison.Ordinal);
        }

        Assert.Equal("", run.Stdout);
    }

    [SkippableTheory]
    [InlineData("test-json", "--json", "--matrix")]
    [InlineData("test-report", "--report", "--matrix")]
    [InlineData("test-report-spelled-differently", "--report", "--matrix")]
    [InlineData("test-json-symlink", "--json", "--matrix")]
    [InlineData("test-json-hard-link", "--json", "--matrix")]
    [InlineData("test-groups", "--report", "--groups")]
    [InlineData("audit-matrix-out", "--matrix-out", "--outputs")]
    [InlineData("audit-json-second-outputs", "--json", "--outputs")]
    [InlineData("prompts-from", "--out", "--from")]
    [InlineData("collect-prompts", "--out", "--prompts")]
    public void OutputNamingAnInput_ExitsTwo_NamingBoth_AndLeavesEveryFileUntouched(string scenario, string outputOption, string inputOption)
    {
        using var dir = new TempFolder();
        string matrix = dir.File("m.csv", Matrix);
        string outputs = dir.File("outputs.jsonl", AuditTests.LineageJsonl(20));
        string second = dir.File("more.jsonl", AuditTests.LineageJsonl(20, child: false).Replace("\"q", "\"r", StringComparison.Ordinal));
        dir.File("prompts.txt", "one\ntwo\n");
        dir.File("prompts.jsonl", "{\"prompt_id\": \"p1\", \"prompt\": \"one\"}\n");
        dir.File("g.csv", "prompt_id,group\n" + string.Concat(Enumerable.Range(0, 30).Select(t => $"p{t},g{t / 2}\n")));
        Directory.CreateDirectory(Path.Combine(dir.Path, "sub"));
        if (scenario == "test-json-symlink")
        {
            File.CreateSymbolicLink(Path.Combine(dir.Path, "link.csv"), matrix);
        }

        if (scenario == "test-json-hard-link")
        {
            Skip.IfNot(OperatingSystem.IsLinux(), "hard links are made with ln here");
            Assert.Equal(0, MpsProcess.Exec("ln", dir.Path, TimeSpan.FromSeconds(30), "m.csv", "hard.csv").ExitCode);
        }

        (string[] Args, string ShownPath) c = scenario switch
        {
            "test-json" => (["test", "--matrix", "m.csv", "--permutations", "99", "--json", "m.csv"], "m.csv"),
            "test-report" => (["test", "--matrix", matrix, "--permutations", "99", "--report", "m.csv"], "m.csv"),
            "test-report-spelled-differently" => (["test", "--matrix", "m.csv", "--permutations", "99", "--report", "sub/../m.csv"], "sub/../m.csv"),
            "test-json-symlink" => (["test", "--matrix", "m.csv", "--permutations", "99", "--json", "link.csv"], "link.csv"),
            "test-json-hard-link" => (["test", "--matrix", "m.csv", "--permutations", "99", "--json", "hard.csv"], "hard.csv"),
            "test-groups" => (["test", "--matrix", "m.csv", "--groups", "g.csv", "--permutations", "99", "--report", "g.csv"], "g.csv"),
            "audit-matrix-out" => (["audit", "--outputs", outputs, "--target", "child", "--tokenizer", "words", "--matrix-out", "outputs.jsonl"], "outputs.jsonl"),
            "audit-json-second-outputs" => (["audit", "--outputs", outputs, "--outputs", second, "--target", "child", "--tokenizer", "words", "--json", "more.jsonl"], "more.jsonl"),
            "prompts-from" => (["prompts", "--from", "prompts.txt", "--out", "prompts.txt"], "prompts.txt"),
            "collect-prompts" => (["collect", "--prompts", "prompts.jsonl", "--out", "prompts.jsonl", "--model", "m=http://127.0.0.1:9/v1"], "prompts.jsonl"),
            _ => throw new ArgumentOutOfRangeException(nameof(scenario)),
        };
        var before = Snapshot(dir.Path);
        var run = MpsProcess.Start(dir.Path, c.Args);
        AssertOneErrorLine(run, $"{outputOption} {c.ShownPath} is the {inputOption} input", "would replace the input");
        Assert.Equal(before, Snapshot(dir.Path));
    }

    [Theory]
    [InlineData("demo", "--json", "--report")]
    [InlineData("test", "--json", "--report")]
    [InlineData("audit", "--report", "--matrix-out")]
    public void TwoOutputsOnOneFile_ExitsTwo_NamingBothOptions_AndWritesNothing(string command, string first, string second)
    {
        using var dir = new TempFolder();
        dir.File("m.csv", Matrix);
        dir.File("outputs.jsonl", AuditTests.LineageJsonl(20));
        string[] args = command switch
        {
            "demo" => ["demo", first, "x", second, "x"],
            "test" => ["test", "--matrix", "m.csv", "--permutations", "99", first, "out.json", second, "./out.json"],
            _ => ["audit", "--outputs", "outputs.jsonl", "--target", "child", "--tokenizer", "words", first, "x.csv", second, Path.Combine(dir.Path, "x.csv")],
        };
        var before = Snapshot(dir.Path);
        var run = MpsProcess.Start(dir.Path, args);
        AssertOneErrorLine(run, first, second, "are the same file");
        Assert.Equal(before, Snapshot(dir.Path));
    }

    [Theory]
    [InlineData("demo", "--report")]
    [InlineData("test", "--json")]
    [InlineData("audit", "--matrix-out")]
    [InlineData("prompts", "--out")]
    [InlineData("collect", "--out")]
    public void OutputThatIsAFolder_ExitsTwo_NamingTheOption(string command, string option)
    {
        using var dir = new TempFolder();
        dir.File("m.csv", Matrix);
        dir.File("outputs.jsonl", AuditTests.LineageJsonl(20));
        dir.File("prompts.jsonl", "{\"prompt_id\": \"p1\", \"prompt\": \"one\"}\n");
        Directory.CreateDirectory(Path.Combine(dir.Path, "folder"));
        string[] args = command switch
        {
            "demo" => ["demo", option, "folder"],
            "test" => ["test", "--matrix", "m.csv", "--permutations", "99", option, "folder"],
            "audit" => ["audit", "--outputs", "outputs.jsonl", "--target", "child", "--tokenizer", "words", option, "folder"],
            "prompts" => ["prompts", "--count", "3", option, "folder"],
            _ => ["collect", "--prompts", "prompts.jsonl", "--model", "m=http://127.0.0.1:9/v1", option, "folder"],
        };
        var before = Snapshot(dir.Path);
        var run = MpsProcess.Start(dir.Path, args);
        AssertOneErrorLine(run, $"{option} folder is a folder");
        Assert.Equal(before, Snapshot(dir.Path));
    }

    [Theory]
    [InlineData("demo", "--json")]
    [InlineData("audit", "--matrix-out")]
    [InlineData("prompts", "--out")]
    [InlineData("collect", "--out")]
    public void OutputInAMissingFolder_ExitsTwo_NamingTheOptionAndTheFolder(string command, string option)
    {
        using var dir = new TempFolder();
        dir.File("outputs.jsonl", AuditTests.LineageJsonl(20));
        dir.File("prompts.jsonl", "{\"prompt_id\": \"p1\", \"prompt\": \"one\"}\n");
        string target = Path.Combine("missing", "x.out");
        string[] args = command switch
        {
            "demo" => ["demo", option, target],
            "audit" => ["audit", "--outputs", "outputs.jsonl", "--target", "child", "--tokenizer", "words", option, target],
            "prompts" => ["prompts", "--count", "3", option, target],
            _ => ["collect", "--prompts", "prompts.jsonl", "--model", "m=http://127.0.0.1:9/v1", option, target],
        };
        var before = Snapshot(dir.Path);
        var run = MpsProcess.Start(dir.Path, args);
        AssertOneErrorLine(run, $"{option} {target}: the folder {Path.Combine(dir.Path, "missing")} does not exist");
        Assert.Equal(before, Snapshot(dir.Path));
    }

    [SkippableFact]
    public void ReportThatCannotBeWritten_ExitsTwo_BeforeAnyWork_AndLeavesNoJson()
    {
        // /proc takes no new files, not even from root: a folder that exists but refuses the report.
        Skip.IfNot(OperatingSystem.IsLinux() && Directory.Exists("/proc"), "needs Linux's /proc");
        using var dir = new TempFolder();
        var run = MpsProcess.Start(dir.Path, "demo", "--json", "a.json", "--report", "/proc/r.html");
        AssertOneErrorLine(run, "--report /proc/r.html: cannot create a file in the folder /proc");
        Assert.Empty(Directory.GetFiles(dir.Path, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void FailureAfterTheDistances_LeavesNoMatrixOutAndNoJson()
    {
        using var dir = new TempFolder();
        dir.File("outputs.jsonl", AuditTests.LineageJsonl(20));
        var before = Snapshot(dir.Path);
        // The distances are computed, then the robust variant refuses three candidates: no output of the run may remain.
        var run = MpsProcess.Start(dir.Path, "audit", "--outputs", "outputs.jsonl", "--target", "child", "--candidates", "parent,other-a,other-b",
            "--tokenizer", "words", "--variant", "robust", "--matrix-out", "d.csv", "--json", "r.json", "--report", "r.html");
        AssertOneErrorLine(run, "at least 4 candidates");
        Assert.Equal(before, Snapshot(dir.Path));
    }

    [Fact]
    public void SuccessfulRun_ReplacesOldOutputs_AndSaysWhatItWrote_OnStderrOnly()
    {
        using var dir = new TempFolder();
        dir.File("outputs.jsonl", AuditTests.LineageJsonl(20));
        dir.File("r.json", "old");
        var run = MpsProcess.Start(dir.Path, "audit", "--outputs", "outputs.jsonl", "--target", "child", "--tokenizer", "words", "--permutations", "99",
            "--matrix-out", "d.csv", "--json", "r.json", "--report", "r.html");
        Assert.True(run.ExitCode == 0, run.Stderr);
        string[] wrote = [.. run.Stderr.Split('\n').Where(l => l.StartsWith("wrote ", StringComparison.Ordinal))];
        Assert.Equal(["wrote r.json (result JSON)", "wrote r.html (report)", "wrote d.csv (distance matrix)"], wrote);
        Assert.DoesNotContain("wrote", run.Stdout, StringComparison.Ordinal);
        using (JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.Path, "r.json"))))
        {
        }

        Assert.Equal(["d.csv", "outputs.jsonl", "r.html", "r.json"], Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));

        // JSON on stdout: stdout holds the JSON alone; --quiet silences the "wrote" lines too.
        var piped = MpsProcess.Start(dir.Path, "demo", "--json", "-", "--report", "demo.html");
        Assert.Equal(0, piped.ExitCode);
        using (JsonDocument.Parse(piped.Stdout))
        {
        }

        Assert.Contains("wrote demo.html (report)", piped.Stderr, StringComparison.Ordinal);
        var quiet = MpsProcess.Start(dir.Path, "demo", "--quiet", "--report", "demo.html");
        Assert.Equal("", quiet.Stderr);
    }

    [Fact]
    public void Json_RecordsEveryInputByHash_AndTheRun()
    {
        using var dir = new TempFolder();
        string a = dir.File("a.csv", Matrix);
        string b = dir.File("b.csv", Matrix.Replace("c5", "c6", StringComparison.Ordinal));
        string groups = dir.File("g.csv", "prompt_id,group\n" + string.Concat(Enumerable.Range(0, 30).Select(t => $"p{t},g{t / 2}\n")));
        DateTime start = DateTime.UtcNow.AddSeconds(-1);
        var run = MpsProcess.Start(dir.Path, "test", "--matrix", "a.csv", "--matrix", "b.csv", "--groups", "g.csv", "--permutations", "99", "--json", "-");
        Assert.True(run.ExitCode == 0, run.Stderr);
        using var json = JsonDocument.Parse(run.Stdout);
        static string Sha(string file) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file)));
        string[][] expected = [[a, groups], [b, groups]];
        for (int k = 0; k < 2; k++)
        {
            var result = json.RootElement[k];
            var inputs = result.GetProperty("inputs").EnumerateArray().ToList();
            Assert.Equal(expected[k], inputs.Select(i => i.GetProperty("path").GetString()));
            Assert.Equal(expected[k].Select(Sha), inputs.Select(i => i.GetProperty("sha256").GetString()));
            Assert.Equal(expected[k].Select(f => new FileInfo(f).Length), inputs.Select(i => i.GetProperty("bytes").GetInt64()));

            var record = result.GetProperty("run");
            DateTime created = DateTime.Parse(record.GetProperty("createdUtc").GetString()!, System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AdjustToUniversal);
            Assert.InRange(created, start, DateTime.UtcNow.AddSeconds(1));
            Assert.EndsWith("Z", record.GetProperty("createdUtc").GetString(), StringComparison.Ordinal);
            Assert.Equal("mps", record.GetProperty("tool").GetString());
            Assert.Matches(@"^\d+\.\d+\.\d+", record.GetProperty("version").GetString());
            // Built from the repository's git checkout: the commit is known.
            Assert.Matches("^[0-9a-f]{40}$", record.GetProperty("commit").GetString());
            Assert.Equal("mps test --matrix a.csv --matrix b.csv --groups g.csv --permutations 99 --json -", record.GetProperty("commandLine").GetString());
            Assert.Equal(dir.Path, record.GetProperty("workingDirectory").GetString());
        }

        // A simulation reads no file.
        var demo = MpsProcess.Start(dir.Path, "demo", "--json", "-", "--quiet");
        using var demoJson = JsonDocument.Parse(demo.Stdout);
        Assert.Equal(0, demoJson.RootElement.GetProperty("inputs").GetArrayLength());
    }
}
