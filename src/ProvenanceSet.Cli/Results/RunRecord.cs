using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ProvenanceSet.Cli.Results;

/// <summary>When, with what and how this invocation ran: what the JSON's "run" and the report's provenance show.</summary>
/// <param name="CreatedUtc">The start of the run.</param>
/// <param name="Version">The tool's version.</param>
/// <param name="Commit">The source commit the tool was built from, or "unknown commit".</param>
/// <param name="CommandLine">The command line as typed, quoted for a POSIX shell.</param>
/// <param name="WorkingDirectory">The folder the command ran in (relative paths are relative to it).</param>
/// <param name="Reproduce">The same command with absolute paths: it works from any folder.</param>
internal sealed partial record RunRecord(DateTimeOffset CreatedUtc, string Version, string Commit, string CommandLine, string WorkingDirectory, string Reproduce)
{
    public const string Tool = "mps";

    // The options whose values are files; their relative paths are made absolute for the reproduce command.
    private static readonly HashSet<string> PathOptions =
        new(["--matrix", "--outputs", "--groups", "--json", "--report", "--matrix-out", "--prompts", "--out", "--from"], StringComparer.Ordinal);

    // Per invocation, not per process: the evaluation runs several in parallel in one process.
    private static readonly AsyncLocal<RunRecord?> CurrentRun = new();

    /// <summary>The informational version is "VERSION+COMMIT" when the build knew its commit (SourceLink).</summary>
    private static readonly string[] Informational =
        (typeof(RunRecord).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown").Split('+', 2);

    /// <summary>The record of the running invocation.</summary>
    public static RunRecord Current => CurrentRun.Value ?? Start([]);

    public static string ToolVersion => Informational[0];

    public static string ToolCommit => Informational.Length > 1 && Informational[1].Length > 0 ? Informational[1] : "unknown commit";

    /// <summary>Records the start of an invocation with these arguments.</summary>
    public static RunRecord Start(IReadOnlyList<string> args)
    {
        string folder = Directory.GetCurrentDirectory();
        var record = new RunRecord(DateTimeOffset.UtcNow, ToolVersion, ToolCommit, Quote(args), folder, Quote(Absolute(args, folder)));
        CurrentRun.Value = record;
        return record;
    }

    /// <summary>The UTC time as ISO 8601 to the second.</summary>
    public string CreatedText => CreatedUtc.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public JsonObject ToJson() => new()
    {
        ["createdUtc"] = CreatedText,
        ["tool"] = Tool,
        ["version"] = Version,
        ["commit"] = Commit,
        ["commandLine"] = CommandLine,
        ["workingDirectory"] = WorkingDirectory,
    };

    /// <summary>One word for a POSIX shell: as is when it is safe, else in single quotes.</summary>
    public static string QuoteWord(string word) =>
        SafeWord().IsMatch(word) ? word : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static string Quote(IEnumerable<string> args) => Tool + string.Concat(args.Select(a => " " + QuoteWord(a)));

    /// <summary>The arguments with every file option's relative path made absolute ('-', stdout, stays).</summary>
    private static List<string> Absolute(IReadOnlyList<string> args, string folder)
    {
        string Full(string path) => path == "-" || path.Length == 0 ? path : Path.GetFullPath(path, folder);
        var result = new List<string>(args.Count);
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            int separator = arg.IndexOfAny(['=', ':']);
            if (PathOptions.Contains(arg) && i + 1 < args.Count)
            {
                result.Add(arg);
                result.Add(Full(args[++i]));
            }
            else if (separator > 0 && PathOptions.Contains(arg[..separator]))
            {
                result.Add(string.Concat(arg.AsSpan(0, separator + 1), Full(arg[(separator + 1)..])));
            }
            else
            {
                result.Add(arg);
            }
        }

        return result;
    }

    [GeneratedRegex(@"^[A-Za-z0-9_./=,:@%+-]+$")]
    private static partial Regex SafeWord();
}
