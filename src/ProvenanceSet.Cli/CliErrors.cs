namespace ProvenanceSet.Cli;

/// <summary>Which failures are the user's input (exit 2) and how they are shown (one line).</summary>
internal static class CliErrors
{
    public static bool IsBadInput(Exception ex) => ex is ArgumentException or FormatException or FileNotFoundException
        or DirectoryNotFoundException or UnauthorizedAccessException or UsageException;

    /// <summary>The message on one line, without the "(Parameter 'x')" suffix meant for programmers.</summary>
    public static string OneLine(Exception ex)
    {
        string message = ex is ArgumentException { ParamName: not null } arg
            ? arg.Message.Replace($" (Parameter '{arg.ParamName}')", string.Empty, StringComparison.Ordinal)
            : ex.Message;
        return message.ReplaceLineEndings(" ");
    }
}

/// <summary>A command-line usage problem found after parsing (exit 2).</summary>
internal sealed class UsageException(string message) : Exception(message);
