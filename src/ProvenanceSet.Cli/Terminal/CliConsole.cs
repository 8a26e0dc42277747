using Spectre.Console;

namespace ProvenanceSet.Cli.Terminal;

/// <summary>
/// Spectre.Console consoles over the command's writers: colours and live progress only on a real
/// terminal; plain, wide (or $COLUMNS wide), colourless text when the output is redirected (files, pipes, tests).
/// </summary>
internal static class CliConsole
{
    /// <summary>The width used when there is no terminal to ask: wide enough that tables never wrap in files.</summary>
    private const int RedirectedWidth = 240;

    public static IAnsiConsole For(TextWriter writer)
    {
        bool terminal = IsTerminal(writer);
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!terminal)
        {
            // COLUMNS (the shell's convention) lets a redirected run ask for a terminal's width.
            console.Profile.Width = int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out int columns) && columns >= 20 ? columns : RedirectedWidth;
        }

        return console;
    }

    /// <summary>Whether the writer is this process's console stream and that stream is a terminal.</summary>
    public static bool IsTerminal(TextWriter writer) =>
        (ReferenceEquals(writer, Console.Out) && !Console.IsOutputRedirected)
        || (ReferenceEquals(writer, Console.Error) && !Console.IsErrorRedirected);
}

/// <summary>Where a command's human-readable output goes: stdout, stderr when stdout carries JSON, nowhere with --quiet.</summary>
internal static class HumanOutput
{
    public static IAnsiConsole Console(TextWriter output, TextWriter error, string? json, bool quiet) =>
        CliConsole.For(Writer(output, error, json, quiet));

    /// <summary>The writer the tables go to.</summary>
    public static TextWriter Writer(TextWriter output, TextWriter error, string? json, bool quiet) =>
        quiet ? TextWriter.Null : json == "-" ? error : output;
}
