using System.Text.RegularExpressions;

namespace ProvenanceSet.Cli.Tests;

/// <summary>
/// <c>--progress auto|bar|lines|none</c>: where the status lines go when nobody watches a terminal. The tests
/// shorten the interval between lines (MPS_PROGRESS_SECONDS) so that runs of a few seconds report.
/// </summary>
public partial class ProgressTests
{
    private static readonly Dictionary<string, string> Often = new() { ["MPS_PROGRESS_SECONDS"] = "0.05" };

    [Fact]
    public void AuditRedirectedToAFile_WritesProgressLinesIntoTheLogBeforeTheResult()
    {
        using var dir = new TempFolder();
        string outputs = Repository.File("docs/examples/outputs.jsonl");
        var run = MpsProcess.Shell(new Dictionary<string, string> { ["MPS_PROGRESS_SECONDS"] = "0.3" }, dir.Path,
            $"dotnet \"$MPS\" audit --outputs '{outputs}' --target acme-chat-ft --distance semantic --max-prompts 20 --no-cache > log.txt");

        Assert.True(run.ExitCode == 0, run.Stderr);
        string[] log = File.ReadAllLines(Path.Combine(dir.Path, "log.txt"));
        int firstResult = Array.FindIndex(log, l => l.StartsWith("Audit of", StringComparison.Ordinal));
        int[] progress = [.. log.Select((l, i) => (l, i)).Where(x => FingerprintLine().IsMatch(x.l)).Select(x => x.i)];
        Assert.True(progress.Length >= 1, "no progress line in the log:\n" + string.Join('\n', log));
        Assert.True(firstResult > progress[^1], "progress lines must come before the result in the log");
        // stderr is a pipe here, not the log: it gets the lines too, once.
        Assert.Matches(FingerprintLine(), run.Stderr);
    }

    [Fact]
    public void ProgressLines_GoToStderr_AndLeaveStdoutAsWithoutThem()
    {
        using var dir = new TempFolder();
        var plain = MpsProcess.StartWith(Often, dir.Path, "demo", "--progress", "none");
        var lines = MpsProcess.StartWith(Often, dir.Path, "demo", "--progress", "lines");

        Assert.Equal(0, lines.ExitCode);
        Assert.Equal(plain.Stdout, lines.Stdout);
        Assert.Empty(plain.Stderr);
        Assert.Matches(StepLine(), lines.Stderr);
    }

    [Fact]
    public void Auto_WritesLinesWhenStderrIsNotATerminal_QuietSilencesIt_UnlessAsked()
    {
        using var dir = new TempFolder();
        var auto = MpsProcess.StartWith(Often, dir.Path, "demo");
        var quiet = MpsProcess.StartWith(Often, dir.Path, "demo", "--quiet");
        var quietLines = MpsProcess.StartWith(Often, dir.Path, "demo", "--quiet", "--progress", "lines");

        Assert.Matches(StepLine(), auto.Stderr);
        Assert.Empty(quiet.Stderr);
        Assert.Empty(quiet.Stdout);
        Assert.Matches(StepLine(), quietLines.Stderr);
    }

    [Fact]
    public void JsonOnStdout_StaysPureJsonWithProgressLines()
    {
        using var dir = new TempFolder();
        var run = MpsProcess.StartWith(Often, dir.Path, "demo", "--json", "-", "--progress", "lines");

        Assert.Equal(0, run.ExitCode);
        using var json = System.Text.Json.JsonDocument.Parse(run.Stdout);
        Assert.Matches(StepLine(), run.Stderr);
    }

    [Theory]
    [InlineData("test", "--matrix m.csv")]
    [InlineData("audit", "--outputs o.jsonl --target t")]
    [InlineData("collect", "--prompts p.jsonl --out o.jsonl --model m=http://127.0.0.1:9/v1")]
    [InlineData("demo", "")]
    public void EveryLongCommand_HasTheProgressOption(string command, string required)
    {
        using var dir = new TempFolder();
        var run = MpsProcess.Start(dir.Path, command, "--help");
        Assert.Contains("--progress <auto|bar|lines|none>", run.Stdout, StringComparison.Ordinal);
        var bad = MpsProcess.Start(dir.Path, [command, .. required.Split(' ', StringSplitOptions.RemoveEmptyEntries), "--progress", "sometimes"]);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("sometimes", bad.Stderr, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"mps audit: fingerprinting outputs \d+/\d+ \(\d+\.\d%\), [\d.]+/s, (\d+:\d\d left|time left unknown)")]
    private static partial Regex FingerprintLine();

    [GeneratedRegex(@"mps demo: step \d+ \(m = \d+\) rounds \d+/\d+")]
    private static partial Regex StepLine();
}
