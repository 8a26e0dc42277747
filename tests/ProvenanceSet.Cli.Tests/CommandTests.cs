using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ProvenanceSet.Cli.Tests;

public class CommandTests
{
    /// <summary>A matrix where c2 and c4 are clearly closer: a small deterministic Gaussian-like pool.</summary>
    private static string MatrixCsv(int n = 120, string[]? names = null, double scale = 1)
    {
        names ??= ["c1", "c2", "c3", "c4", "c5", "c6"];
        var sb = new StringBuilder("prompt_id," + string.Join(",", names) + "\n");
        ulong state = 12345;
        double Next()
        {
            // A tiny LCG-based uniform for test data only; values in [0, 1).
            state = (state * 6364136223846793005UL) + 1442695040888963407UL;
            return (state >> 11) * (1.0 / (1UL << 53));
        }

        for (int t = 0; t < n; t++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"p{t}");
            for (int i = 0; i < names.Length; i++)
            {
                double v = scale * (0.6 + (0.2 * (Next() - 0.5)) - (i is 1 or 3 ? 0.15 : 0));
                sb.Append(',').Append(v.ToString("R", CultureInfo.InvariantCulture));
            }

            sb.Append('\n');
        }

        return sb.ToString();
    }

    [Fact]
    public void Demo_FindsBothSimulatedSources()
    {
        using var dir = new TempFolder();
        var run = MpsProcess.Start(dir.Path, "demo", "--json", "demo.json");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Provenance set (2 of 50): model-31, model-38", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("the target was derived from model-31 and model-38", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("Both true sources are in the set", run.Stdout, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.Path, "demo.json")));
        Assert.Equal(["model-31", "model-38"], json.RootElement.GetProperty("set").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(50, json.RootElement.GetProperty("candidates").GetArrayLength());
    }

    [Fact]
    public void Test_PrintsTheSetAndWritesTheSpecJson()
    {
        using var dir = new TempFolder();
        string csv = dir.File("m.csv", MatrixCsv());
        var run = MpsProcess.Start(dir.Path, "test", "--matrix", csv, "--permutations", "199", "--seed", "3", "--json", "out.json");
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("Provenance set (2 of 6): c", run.Stdout, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.Path, "out.json")));
        var root = json.RootElement;
        Assert.Equal(0.05, root.GetProperty("alpha").GetDouble());
        Assert.Equal(199, root.GetProperty("permutations").GetInt32());
        Assert.Equal(3UL, root.GetProperty("seed").GetUInt64());
        Assert.Equal("faithful", root.GetProperty("variant").GetString());
        Assert.Equal(["c2", "c4"], root.GetProperty("set").EnumerateArray().Select(e => e.GetString()).Order());
        var step = root.GetProperty("steps")[0];
        foreach (string field in new[] { "candidate", "activeCount", "tStatistic", "pValue", "pValueMonotone", "included", "permutationsRun" })
        {
            Assert.True(step.TryGetProperty(field, out _), $"steps[].{field} missing");
        }

        Assert.Equal(6, step.GetProperty("activeCount").GetInt32());
        Assert.Equal(0.005, step.GetProperty("pValue").GetDouble());
        var candidate = root.GetProperty("candidates")[1];
        foreach (string field in new[] { "name", "meanDistance", "inclusionPValue", "niScore", "inSet" })
        {
            Assert.True(candidate.TryGetProperty(field, out _), $"candidates[].{field} missing");
        }

        Assert.Equal("c2", candidate.GetProperty("name").GetString());
        Assert.True(candidate.GetProperty("inSet").GetBoolean());
        Assert.Equal(JsonValueKind.Array, root.GetProperty("diagnostics").ValueKind);
    }

    [Fact]
    public void Test_HugeFiniteCells_GiveTheSameSet_AndJsonOfNumbers()
    {
        // Cells near 1e300 overflowed the sums of squares: T was not finite and the JSON writer threw.
        using var dir = new TempFolder();
        string csv = dir.File("m.csv", MatrixCsv(scale: 1e300));
        var run = MpsProcess.Start(dir.Path, "test", "--matrix", csv, "--permutations", "199", "--seed", "3", "--json", "-");
        Assert.True(run.ExitCode == 0, run.Stderr);
        using var json = JsonDocument.Parse(run.Stdout);
        var root = json.RootElement;
        Assert.Equal(["c2", "c4"], root.GetProperty("set").EnumerateArray().Select(e => e.GetString()).Order());
        var step = root.GetProperty("steps")[0];
        Assert.Equal(JsonValueKind.Number, step.GetProperty("tStatistic").ValueKind);
        Assert.True(double.IsFinite(step.GetProperty("tStatistic").GetDouble()));
        Assert.Equal(0.005, step.GetProperty("pValue").GetDouble());
        Assert.All(step.GetProperty("tStatistics").EnumerateArray(), t => Assert.Equal(JsonValueKind.Number, t.ValueKind));
        double mean = root.GetProperty("candidates")[0].GetProperty("meanDistance").GetDouble();
        Assert.InRange(mean, 0.5e300, 0.7e300);
    }

    [Fact]
    public void Test_LargeMatrix_ReadWhileTheCoreIsWarmed_GivesTheLibrarysResult()
    {
        // Above 4 MiB of input, mps compiles the procedure on the idle core (a run on a small synthetic matrix) while it
        // reads the CSV: the result must be the library's, step by step, to the bit.
        using var dir = new TempFolder();
        string csv = dir.File("large.csv", MatrixCsv(40_000));
        Assert.True(new FileInfo(csv).Length > 4 << 20, "the matrix must be large enough for the warm-up");
        var run = MpsProcess.Start(dir.Path, "test", "--matrix", csv, "--permutations", "99", "--seed", "5", "--json", "-");
        Assert.True(run.ExitCode == 0, run.Stderr);
        using var json = JsonDocument.Parse(run.Stdout);
        var expected = ModelProvenanceSet.Compute(Data.DistanceMatrix.ReadCsv(csv), ProvenanceOptions.Default with { Permutations = 99, Seed = 5 });
        var steps = json.RootElement.GetProperty("steps");
        Assert.Equal(expected.Steps.Count, steps.GetArrayLength());
        for (int s = 0; s < expected.Steps.Count; s++)
        {
            Assert.Equal(expected.Steps[s].PValue, steps[s].GetProperty("pValue").GetDouble());
            Assert.Equal(expected.Steps[s].Statistic, steps[s].GetProperty("tStatistic").GetDouble());
            Assert.Equal(expected.Steps[s].PermutationsRun, steps[s].GetProperty("permutationsRun").GetInt64());
        }

        Assert.Equal(expected.Set, json.RootElement.GetProperty("set").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void Test_SeveralMatrices_GiveAJsonArrayInOrder_AndJsonDashKeepsStdoutMachineReadable()
    {
        using var dir = new TempFolder();
        string a = dir.File("a.csv", MatrixCsv());
        string b = dir.File("b.csv", MatrixCsv(60, ["x1", "x2", "x3", "x4"]));
        var run = MpsProcess.Start(dir.Path, "test", "--matrix", a, "--matrix", b, "--permutations", "99", "--json", "-");
        Assert.True(run.ExitCode == 0, run.Stderr);
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.Equal(2, json.RootElement.GetArrayLength());
        Assert.Equal("c1", json.RootElement[0].GetProperty("candidates")[0].GetProperty("name").GetString());
        Assert.Equal("x1", json.RootElement[1].GetProperty("candidates")[0].GetProperty("name").GetString());
        Assert.Contains("Provenance set", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Test_SameSeed_SameJson_WhateverTheThreads()
    {
        using var dir = new TempFolder();
        string csv = dir.File("m.csv", MatrixCsv());
        var one = MpsProcess.Start(dir.Path, "test", "--matrix", csv, "--permutations", "299", "--threads", "1", "--full-path", "--json", "-");
        var two = MpsProcess.Start(dir.Path, "test", "--matrix", csv, "--permutations", "299", "--threads", "2", "--full-path", "--json", "-");
        Assert.Equal(0, one.ExitCode);
        // Everything but the run record (its time and command line differ by design).
        Assert.Equal(WithoutRun(one.Stdout), WithoutRun(two.Stdout));
    }

    private static string WithoutRun(string json)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();
        Assert.True(node.Remove("run"));
        return node.ToJsonString();
    }

    [Fact]
    public void Test_EarlyStopping_DecidedStopsTheLastStep_NoneRunsEveryRound_SameSet()
    {
        using var dir = new TempFolder();
        string csv = dir.File("m.csv", MatrixCsv());
        var decided = MpsProcess.Start(dir.Path, "test", "--matrix", csv, "--permutations", "999", "--json", "-");
        var none = MpsProcess.Start(dir.Path, "test", "--matrix", csv, "--permutations", "999", "--early-stopping", "none", "--json", "-");
        Assert.True(decided.ExitCode == 0, decided.Stderr);
        Assert.True(none.ExitCode == 0, none.Stderr);
        using var a = JsonDocument.Parse(decided.Stdout);
        using var b = JsonDocument.Parse(none.Stdout);
        static int[] Rounds(JsonDocument d) => [.. d.RootElement.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("permutationsRun").GetInt32())];
        static string[] Set(JsonDocument d) => [.. d.RootElement.GetProperty("set").EnumerateArray().Select(e => e.GetString()!)];
        Assert.All(Rounds(b), r => Assert.Equal(999, r));
        // The step that does not reject stops as soon as p > alpha is certain; the steps before it run every round.
        Assert.True(Rounds(a)[^1] < 999, $"last step ran {Rounds(a)[^1]} rounds");
        Assert.Equal(Rounds(b)[..^1], Rounds(a)[..^1]);
        Assert.Equal(Set(b), Set(a));
        // The report's reproduce command carries the option.
        Assert.Contains("--early-stopping none", ReportText(dir, csv), StringComparison.Ordinal);
    }

    private static string ReportText(TempFolder dir, string csv)
    {
        var run = MpsProcess.Start(dir.Path, "test", "--matrix", csv, "--permutations", "99", "--early-stopping", "none", "--quiet", "--report", "r.html");
        Assert.True(run.ExitCode == 0, run.Stderr);
        return File.ReadAllText(Path.Combine(dir.Path, "r.html"));
    }

    [Fact]
    public void Test_WithGroupsAndExact_Runs()
    {
        using var dir = new TempFolder();
        string csv = dir.File("m.csv", MatrixCsv(8, ["a", "b", "c"]));
        string groups = dir.File("g.csv", "prompt_id,group\n" + string.Concat(Enumerable.Range(0, 8).Select(t => $"p{t},g{t / 2}\n")));
        var run = MpsProcess.Start(dir.Path, "test", "--matrix", csv, "--groups", groups, "--exact", "--alpha", "0.2", "--json", "-");
        Assert.True(run.ExitCode == 0, run.Stderr);
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.Equal(4, json.RootElement.GetProperty("groupCount").GetInt32());
        Assert.Equal(1296, json.RootElement.GetProperty("steps")[0].GetProperty("permutationsRun").GetInt32());
    }

    [Theory]
    [InlineData("missing-file", "no such file")]
    [InlineData("nan-cell", "line 3, column 3: 'NaN' is not a finite number (candidate 'c2', prompt 'p1')")]
    [InlineData("ragged", "line 2: expected 7 fields")]
    [InlineData("alpha", "--alpha must lie strictly between 0 and 1, got 1.5")]
    [InlineData("threads", "--threads must be -1 (all cores) or at least 1, got 0")]
    [InlineData("permutations-zero", "--permutations must be at least 1, got 0")]
    [InlineData("permutations-too-few", "Use at least 19 permutations")]
    [InlineData("target-among-candidates", "The target 'c3' is listed among its own candidates")]
    [InlineData("unknown-option", "--bogus")]
    [InlineData("no-matrix", "--matrix")]
    [InlineData("robust-too-small", "The robust variant needs at least 4 candidates")]
    [InlineData("exact-too-large", "more than 1,000,000")]
    [InlineData("groups-missing", "--groups: nowhere.csv: no such file")]
    [InlineData("duplicate-candidate", "duplicate candidate name 'c1'")]
    [InlineData("not-a-number", "--permutations")]
    public void BadInput_ExitsTwo_WithOneLineNamingTheProblem(string scenario, string expected)
    {
        using var dir = new TempFolder();
        string good = dir.File("m.csv", MatrixCsv(30));
        string[] args = scenario switch
        {
            "missing-file" => ["test", "--matrix", "absent.csv"],
            "nan-cell" => ["test", "--matrix", dir.File("bad.csv", "prompt_id,c1,c2\np0,0.5,0.4\np1,0.5,NaN\n")],
            "ragged" => ["test", "--matrix", dir.File("bad.csv", "prompt_id,c1,c2,c3,c4,c5,c6\np0,1,2\n")],
            "alpha" => ["test", "--matrix", good, "--alpha", "1.5"],
            "threads" => ["test", "--matrix", good, "--threads", "0"],
            "permutations-zero" => ["test", "--matrix", good, "--permutations", "0"],
            "permutations-too-few" => ["test", "--matrix", good, "--permutations", "10"],
            "target-among-candidates" => ["test", "--matrix", good, "--target", "c3"],
            "unknown-option" => ["test", "--matrix", good, "--bogus"],
            "no-matrix" => ["test"],
            "robust-too-small" => ["test", "--matrix", dir.File("small.csv", "prompt_id,a,b,c\np1,1,2,3\np2,2,3,4\n"), "--variant", "robust"],
            "exact-too-large" => ["test", "--matrix", good, "--exact"],
            "groups-missing" => ["test", "--matrix", good, "--groups", "nowhere.csv"],
            "duplicate-candidate" => ["test", "--matrix", dir.File("bad.csv", "prompt_id,c1,c1\np,1,2\n")],
            "not-a-number" => ["test", "--matrix", good, "--permutations", "many"],
            _ => throw new ArgumentOutOfRangeException(nameof(scenario)),
        };
        var run = MpsProcess.Start(dir.Path, args);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected, run.Stderr, StringComparison.Ordinal);
        Assert.StartsWith("mps: error: ", run.Stderr, StringComparison.Ordinal);
        Assert.Single(run.Stderr.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void FailedRun_LeavesNoHalfWrittenJson()
    {
        using var dir = new TempFolder();
        string good = dir.File("a.csv", MatrixCsv());
        string bad = dir.File("b.csv", "prompt_id,c1,c2\np,1,\n");
        var run = MpsProcess.Start(dir.Path, "test", "--matrix", good, "--matrix", bad, "--json", "out.json");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("b.csv, line 2, column 3: empty cell", run.Stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(dir.Path, "*.json*"));
        Assert.Empty(Directory.GetFiles(dir.Path, ".*tmp"));
    }

    [Fact]
    public void PValueEstimatorAndBackgroundOptions_ReachTheResult()
    {
        using var dir = new TempFolder();
        string csv = dir.File("m.csv", MatrixCsv());
        var proportion = MpsProcess.Start(dir.Path, "test", "--matrix", csv, "--permutations", "99", "--p-value", "proportion", "--json", "-");
        using (var json = JsonDocument.Parse(proportion.Stdout))
        {
            Assert.Equal("proportion", json.RootElement.GetProperty("pValueEstimator").GetString());
            Assert.Equal(0.0, json.RootElement.GetProperty("steps")[0].GetProperty("pValue").GetDouble());
            Assert.Contains(json.RootElement.GetProperty("diagnostics").EnumerateArray(), d => d.GetString()!.Contains("plain proportion", StringComparison.Ordinal));
        }

        var normal = MpsProcess.Start(dir.Path, "test", "--matrix", csv, "--variant", "robust", "--background", "normal", "--permutations", "999", "--json", "-");
        var heavy = MpsProcess.Start(dir.Path, "test", "--matrix", csv, "--variant", "robust", "--background", "t4", "--permutations", "999", "--json", "-");
        var clustered = MpsProcess.Start(dir.Path, "test", "--matrix", csv, "--variant", "robust", "--permutations", "999", "--json", "-");
        using var n = JsonDocument.Parse(normal.Stdout);
        using var h = JsonDocument.Parse(heavy.Stdout);
        using var c = JsonDocument.Parse(clustered.Stdout);
        Assert.Equal("robust", n.RootElement.GetProperty("variant").GetString());
        Assert.Equal("normal", n.RootElement.GetProperty("background").GetString());
        Assert.Equal("t4", h.RootElement.GetProperty("background").GetString());
        Assert.Equal("clustered", c.RootElement.GetProperty("background").GetString());
        Assert.True(c.RootElement.GetProperty("steps")[0].GetProperty("backgroundGroups").GetInt32() >= 1);
        // Heavier-tailed calibration: the same z is less surprising, so its p-value is larger.
        Assert.True(h.RootElement.GetProperty("steps")[0].GetProperty("pValue").GetDouble() > n.RootElement.GetProperty("steps")[0].GetProperty("pValue").GetDouble());
    }

    [Fact]
    public void DemoSeed_ChangesThePool()
    {
        using var dir = new TempFolder();
        var run = MpsProcess.Start(dir.Path, "demo", "--seed", "5", "--json", "-");
        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.Equal(5UL, json.RootElement.GetProperty("seed").GetUInt64());
        Assert.NotEqual(["model-31", "model-38"], json.RootElement.GetProperty("set").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void Quiet_PrintsNothing_ButStillWritesJson()
    {
        using var dir = new TempFolder();
        string csv = dir.File("m.csv", MatrixCsv());
        var run = MpsProcess.Start(dir.Path, "test", "--matrix", csv, "--permutations", "99", "--quiet", "--json", "out.json");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Stdout);
        Assert.Equal("", run.Stderr);
        Assert.True(File.Exists(Path.Combine(dir.Path, "out.json")));
        var demo = MpsProcess.Start(dir.Path, "demo", "-q", "--json", "-");
        using var json = JsonDocument.Parse(demo.Stdout);
        Assert.Equal(2, json.RootElement.GetProperty("set").GetArrayLength());
        Assert.Equal("", demo.Stderr);
    }

    [Fact]
    public void RedirectedOutput_HasNoColourCodes()
    {
        using var dir = new TempFolder();
        var run = MpsProcess.Start(dir.Path, "demo");
        Assert.DoesNotContain("\u001b[", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("NI-Score", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Version_IsPrinted()
    {
        using var dir = new TempFolder();
        var run = MpsProcess.Start(dir.Path, "--version");
        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+", run.Stdout);
    }

    [Theory]
    [InlineData("demo")]
    [InlineData("test")]
    [InlineData("audit")]
    [InlineData("prompts")]
    [InlineData("collect")]
    public void EveryCommandsHelp_HasExamples(string command)
    {
        using var dir = new TempFolder();
        var run = MpsProcess.Start(dir.Path, command, "--help");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Example", run.Stdout, StringComparison.Ordinal);
        Assert.Contains($"mps {command}", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_ListsCommandsAndExamples()
    {
        using var dir = new TempFolder();
        var root = MpsProcess.Start(dir.Path, "--help");
        Assert.Equal(0, root.ExitCode);
        Assert.Contains("demo", root.Stdout, StringComparison.Ordinal);
        Assert.Contains("test", root.Stdout, StringComparison.Ordinal);
        var test = MpsProcess.Start(dir.Path, "test", "--help");
        Assert.Contains("mps test --matrix distances.csv", test.Stdout, StringComparison.Ordinal);
        Assert.Contains("--permutations", test.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_ShowsTheLibraryDefaultsAndIds()
    {
        using var dir = new TempFolder();
        var help = MpsProcess.Start(dir.Path, "test", "--help").Stdout;
        var defaults = ProvenanceOptions.Default;
        foreach (string shown in new[]
        {
            string.Create(CultureInfo.InvariantCulture, $"[default: {defaults.Alpha}]"),
            $"[default: {defaults.Permutations}]",
            $"[default: {EnumIds.ToId(defaults.Background)}]",
            $"[default: {EnumIds.ToId(defaults.PValueEstimator)}]",
            $"[default: {EnumIds.ToId(defaults.EarlyStopping)}]",
            // The help lists the accepted ids in alphabetical order.
            $"<{string.Join('|', EnumIds.Ids<RobustBackground>().Order(StringComparer.Ordinal))}>",
            $"<{string.Join('|', EnumIds.Ids<EarlyStopping>().Order(StringComparer.Ordinal))}>",
        })
        {
            Assert.Contains(shown, help, StringComparison.Ordinal);
        }
    }
}
