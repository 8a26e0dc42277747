using System.Globalization;
using System.Text;

namespace ProvenanceSet.Cli.Tests;

/// <summary>Messages that name the problem and the fix, each checked through the real process.</summary>
public class MessageTests
{
    [Theory]
    [InlineData(new[] { "frobnicate" }, "mps: error: unknown command 'frobnicate'; the commands are demo, test, audit, screen, merge, prompts, collect. (see 'mps --help')")]
    [InlineData(new string[0], "mps: error: no command given; the commands are demo, test, audit, screen, merge, prompts, collect. (see 'mps --help')")]
    [InlineData(new[] { "audit", "--outputs", "o.jsonl", "--target", "t", "--distance", "cosine" }, "mps: error: --distance: 'cosine' is not one of token, semantic. (see 'mps audit --help')")]
    [InlineData(new[] { "test", "--matrix", "m.csv", "--alpha", "five" }, "mps: error: --alpha: 'five' is not a number (use . as the decimal point). (see 'mps test --help')")]
    public void ParseErrors_NameTheProblemInOneLine(string[] args, string expected)
    {
        using var dir = new TempFolder();
        var run = MpsProcess.Start(dir.Path, args);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal(expected, run.Stderr.TrimEnd('\n'));
    }

    [Fact]
    public void TwoPrompts_SayNoCandidateCanEnter_AndSuggestExact()
    {
        using var dir = new TempFolder();
        string matrix = dir.File("two.csv", "prompt_id,a,b,c\np1,0.1,0.8,0.9\np2,0.2,0.7,0.95\n");
        var run = MpsProcess.Start(dir.Path, "test", "--matrix", matrix);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("No candidate can enter the set at alpha = 0.05: with 3 candidates and 2 prompts there are 36 relabellings, and the 6 that relabel every one alike leave the statistic unchanged, so no p-value can be below 6/36 = 0.1667", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("There are only 36 distinct relabellings", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("--exact", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void AnAlphaNoPermutationCountCanReach_SaysSoInsteadOfAnImpossibleCount()
    {
        using var dir = new TempFolder();
        string matrix = dir.File("m.csv", "prompt_id,a,b,c\np1,0.1,0.8,0.9\np2,0.2,0.7,0.95\np3,0.3,0.6,0.9\n");
        var run = MpsProcess.Start(dir.Path, "test", "--matrix", matrix, "--alpha", "1e-300");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("No number of permutations can reach it", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("2147483647 permutations", run.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("prompt_id,a,b,c\np1,0.1,0.2,0.3\n", "one.csv: The matrix has 1 prompt(s); the procedure needs at least 2.")]
    [InlineData("prompt_id,a\np1,0.1\np2,0.3\n", "one.csv: The matrix has 1 candidate(s); the procedure needs at least 2.")]
    public void ATooSmallMatrix_IsNamedByItsFile(string csv, string expected)
    {
        using var dir = new TempFolder();
        dir.File("one.csv", csv);
        var run = MpsProcess.Start(dir.Path, "test", "--matrix", "one.csv");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("mps: error: " + expected, run.Stderr.TrimEnd('\n'));
    }

    [Fact]
    public void TestHelp_DescribesTheCsvInTheReadMesTerms()
    {
        using var dir = new TempFolder();
        var run = MpsProcess.Start(dir.Path, "test", "--help");
        Assert.Contains("one line per prompt and one column per candidate", run.Stdout.ReplaceLineEndings(" "), StringComparison.Ordinal);
        Assert.DoesNotContain("rows = prompts", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void NarrowTerminal_NeverBreaksACandidateNameAcrossLines()
    {
        string[] names = ["meta-llama/Llama-2-70b-chat-hf", "mistralai/Mixtral-8x7B-Instruct-v0.1", "HuggingFaceH4/zephyr-7b-beta", "Qwen/Qwen1.5-72B-Chat", "google/gemma-7b-it"];
        var csv = new StringBuilder("prompt_id," + string.Join(',', names) + "\n");
        var random = new Random(1);
        for (int p = 0; p < 60; p++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"p{p}").AppendJoin("", names.Select((_, j) =>
                "," + (0.6 + ((random.NextDouble() - 0.5) * 0.2) - (j == 2 ? 0.3 : 0)).ToString("0.0000", CultureInfo.InvariantCulture))).Append('\n');
        }

        using var dir = new TempFolder();
        string matrix = dir.File("long.csv", csv.ToString());
        var run = MpsProcess.StartWith(new Dictionary<string, string> { ["COLUMNS"] = "80" }, dir.Path, "test", "--matrix", matrix);

        Assert.Equal(0, run.ExitCode);
        string[] lines = run.Stdout.ReplaceLineEndings("\n").Split('\n');
        Assert.All(lines, l => Assert.True(l.TrimEnd().Length <= 80, $"wider than 80 columns: '{l}'"));
        Assert.All(names, n => Assert.Contains(lines, l => l.Contains(n, StringComparison.Ordinal)));
    }
}
