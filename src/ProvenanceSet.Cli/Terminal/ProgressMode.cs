using System.CommandLine;
using System.Globalization;

namespace ProvenanceSet.Cli.Terminal;

/// <summary>How a long command shows its progress (<c>--progress auto|bar|lines|none</c>).</summary>
internal enum ProgressMode
{
    /// <summary>Bars on a terminal; status lines every few seconds where the output is redirected.</summary>
    Auto,

    /// <summary>Live bars on stderr.</summary>
    Bar,

    /// <summary>A status line on stderr every few seconds: counts, rate and time left.</summary>
    Lines,

    /// <summary>Nothing.</summary>
    None,
}

/// <summary>The <c>--progress</c> option and where each mode writes.</summary>
internal static class ProgressOption
{
    /// <summary>The environment variable that sets the seconds between status lines.</summary>
    public const string IntervalVariable = "MPS_PROGRESS_SECONDS";

    public static Option<string> Create(double defaultSeconds)
    {
        var option = new Option<string>("--progress")
        {
            Description = "auto (default): live bars when stderr is a terminal; otherwise a status line (counts, rate, time left) "
                + string.Create(CultureInfo.InvariantCulture, $"every {defaultSeconds:0.#} s on stderr, ")
                + "and into stdout too when stdout is redirected to a file (a log of the run). bar, lines (on stderr), none. "
                + $"--quiet means none unless --progress says otherwise; {IntervalVariable} sets the seconds between lines.",
            DefaultValueFactory = _ => EnumIds.ToId(ProgressMode.Auto),
            HelpName = string.Join('|', EnumIds.Ids<ProgressMode>()),
        };
        option.AcceptOnlyFromAmong([.. EnumIds.Ids<ProgressMode>()]);
        return option;
    }

    public static ProgressMode Parse(string value) => EnumIds.Parse<ProgressMode>(value);

    /// <summary>The seconds between status lines: <see cref="IntervalVariable"/> when it holds a positive number, else the command's default.</summary>
    public static TimeSpan Interval(double defaultSeconds) =>
        double.TryParse(Environment.GetEnvironmentVariable(IntervalVariable), NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds)
            && seconds > 0 && seconds < 86_400
            ? TimeSpan.FromSeconds(seconds)
            : TimeSpan.FromSeconds(defaultSeconds);
}

/// <summary>Where progress goes: live bars on one writer, status lines on others.</summary>
internal sealed record ProgressTargets(TextWriter? Bars, IReadOnlyList<TextWriter> Lines, TimeSpan Interval)
{
    public bool Any => Bars is not null || Lines.Count > 0;

    /// <summary>
    /// Resolves a mode. <paramref name="explicitMode"/> is false when the user left <c>--progress</c> at auto;
    /// then <c>--quiet</c> silences progress. <paramref name="humanOutput"/> is the writer the tables go to.
    /// </summary>
    public static ProgressTargets Resolve(ProgressMode mode, bool quiet, TextWriter error, TextWriter humanOutput, TimeSpan interval)
    {
        switch (mode)
        {
            case ProgressMode.None:
            case ProgressMode.Auto when quiet:
                return new(null, [], interval);
            case ProgressMode.Bar:
                return new(error, [], interval);
            case ProgressMode.Lines:
                return new(null, [error], interval);
        }

        bool errorIsTerminal = CliConsole.IsTerminal(error);
        var lines = new List<TextWriter>();
        if (!errorIsTerminal)
        {
            lines.Add(error);
        }

        // `mps audit ... > log.txt` (and nohup): the file the tables go to is the run's log, so it gets the lines too,
        // once when stderr goes to the same file.
        if (ReferenceEquals(humanOutput, Console.Out) && StandardStreams.StdoutIsRegularFile()
            && (errorIsTerminal || !ReferenceEquals(error, Console.Error) || !StandardStreams.StdoutAndStderrShareTarget()))
        {
            lines.Add(humanOutput);
        }

        return new(errorIsTerminal ? error : null, lines, interval);
    }
}

/// <summary>What this process's stdout and stderr are connected to (Linux: from /proc; elsewhere unknown).</summary>
internal static class StandardStreams
{
    public static bool StdoutIsRegularFile() =>
        Target(1) is string target && target.StartsWith('/') && !target.StartsWith("/dev/", StringComparison.Ordinal) && File.Exists(target);

    public static bool StdoutAndStderrShareTarget() => Target(1) is string one && one == Target(2);

    private static string? Target(int descriptor)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            return new FileInfo($"/proc/self/fd/{descriptor}").LinkTarget;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
