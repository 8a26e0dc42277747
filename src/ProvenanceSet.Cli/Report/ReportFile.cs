using System.CommandLine;
using System.Reflection;
using System.Text.RegularExpressions;
using ModelProvenance.Cli.Output;

namespace ModelProvenance.Cli.Report;

/// <summary>The <c>--report FILE.html</c> option and how its file is written (completely or not at all).</summary>
internal static partial class ReportFile
{
    /// <summary>The command line of this invocation, quoted for a POSIX shell (set by <see cref="MpsCommandLine"/>).</summary>
    public static string CommandLine { get; set; } = "mps";

    public static string Version { get; } =
        typeof(ReportFile).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "unknown";

    public static Option<string?> CreateOption() => new("--report")
    {
        Description = "Also write a self-contained HTML report (question, answer, plots, diagnostics, the command to reproduce it).",
        HelpName = "FILE.html",
    };

    public static void Write(string path, IReadOnlyList<(ProvenanceResult Result, ReportContext Context)> reports) =>
        AtomicFile.WriteAllText(path, HtmlReport.Build(reports));

    public static string Quote(IEnumerable<string> args) =>
        "mps " + string.Join(' ', args.Select(a => SafeWord().IsMatch(a) ? a : "'" + a.Replace("'", "'\\''", StringComparison.Ordinal) + "'"));

    [GeneratedRegex(@"^[A-Za-z0-9_./=,:@%+-]+$")]
    private static partial Regex SafeWord();
}
