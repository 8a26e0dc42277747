using System.Text.RegularExpressions;

namespace ProvenanceSet.Cli.Tests;

/// <summary>The demo output shown in README.md is what <c>mps demo</c> prints, byte for byte.</summary>
public partial class ReadMeDemoTests
{
    [Fact]
    public void ReadMeDemoOutput_IsTheRealOutput()
    {
        string root = Repository.Root;
        string readme = File.ReadAllText(Path.Combine(root, "README.md")).ReplaceLineEndings("\n");
        Match block = DemoBlock().Match(readme);
        Assert.True(block.Success, "README.md has no demo output block");
        using var dir = new TempFolder();
        var run = MpsProcess.Start(dir.Path, "demo");
        Assert.Equal(0, run.ExitCode);
        // Table cells are padded with spaces; trailing spaces are not part of what the README shows.
        static string Lines(string text) => string.Join('\n', text.ReplaceLineEndings("\n").Trim('\n').Split('\n').Select(l => l.TrimEnd()));
        Assert.Equal(Lines(block.Groups[1].Value), Lines(run.Stdout));
    }

    [GeneratedRegex(@"It simulates a pool[^\n]*\n\n```\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex DemoBlock();
}
