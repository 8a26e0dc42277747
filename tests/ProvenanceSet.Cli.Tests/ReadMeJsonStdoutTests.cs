using System.Text.Json;
using System.Text.RegularExpressions;

namespace ProvenanceSet.Cli.Tests;

/// <summary>
/// The README's <c>dotnet run ... --json -</c> command, run as written through <c>dotnet run</c>: its stdout
/// is the result JSON and nothing else (no build notice, no table, no progress).
/// </summary>
[Collection(ToolBuildsTakeTurns.Name)]
public partial class ReadMeJsonStdoutTests
{
    [Fact]
    [Trait("Category", "Build")]
    public void ReadMeJsonToStdoutCommand_PrintsOnlyJson()
    {
        string readme = File.ReadAllText(Repository.File("README.md")).ReplaceLineEndings("\n");
        Match line = JsonStdoutCommand().Match(readme);
        Assert.True(line.Success, "README.md has no 'dotnet run ... --json - > FILE' command");

        // The redirect is the README's; the test reads stdout itself.
        var run = MpsProcess.Exec("bash", Repository.Root, TimeSpan.FromMinutes(8), "-c", line.Groups["command"].Value);

        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}: {run.Stderr}");
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.Equal(JsonValueKind.Array, json.RootElement.GetProperty("set").ValueKind);
        Assert.DoesNotContain("warning", run.Stdout, StringComparison.OrdinalIgnoreCase);
    }

    [GeneratedRegex(@"^(?<command>dotnet run [^\n]*--json -)\s*>\s*\S+$", RegexOptions.Multiline)]
    private static partial Regex JsonStdoutCommand();
}
