using System.CommandLine;

namespace ProvenanceSet.Cli.Report;

/// <summary>The <c>--report FILE.html</c> option.</summary>
internal static class ReportFile
{
    public static Option<string?> CreateOption() => new("--report")
    {
        Description = "Also write a self-contained HTML report (question, answer, plots, diagnostics, the SHA-256 of every input, "
            + "and the command to reproduce it). Written together with the other outputs, only when the run succeeds.",
        HelpName = "FILE.html",
    };
}
