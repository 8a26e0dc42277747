using System.CommandLine;
using System.Text.RegularExpressions;
using ProvenanceSet.Cli.Commands;

namespace ProvenanceSet.Cli;

/// <summary>
/// The <c>mps</c> command line. Exit codes: 0 success (whatever the set), 2 bad input or usage
/// (one line on stderr that names the problem), 1 unexpected failure.
/// </summary>
internal static partial class MpsCommandLine
{
    public const int Success = 0;
    public const int UnexpectedFailure = 1;
    public const int BadInput = 2;

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var root = new RootCommand("mps: which of these candidate models was the target model derived from? "
            + "Model Provenance Sets with a statistical guarantee whose assumptions are checked on your data: "
            + "the paper's procedure (every source in the set with probability at least 1 - alpha when unrelated candidates are equally far) "
            + "and the real-pool method, the default of 'mps audit' (an unrelated model enters the set with probability at most alpha).");
        root.Subcommands.Add(DemoCommand.Create(output, error));
        root.Subcommands.Add(TestCommand.Create(output, error));
        root.Subcommands.Add(AuditCommand.Create(output, error));
        root.Subcommands.Add(ScreenCommand.Create(output, error));
        root.Subcommands.Add(MergeCommand.Create(output, error));
        root.Subcommands.Add(PromptsCommand.Create(output, error));
        root.Subcommands.Add(CollectCommand.Create(output, error));

        Results.RunRecord.Start(args);
        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            error.WriteLine($"mps: error: {Describe(parsed, root)} (see '{string.Join(' ', ["mps", .. CommandPath(parsed)])} --help')");
            return BadInput;
        }

        try
        {
            return parsed.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (Exception ex) when (CliErrors.IsBadInput(ex))
        {
            error.WriteLine($"mps: error: {CliErrors.OneLine(ex)}");
            return BadInput;
        }
        catch (OperationCanceledException)
        {
            error.WriteLine("mps: cancelled.");
            return UnexpectedFailure;
        }
        catch (Exception ex)
        {
            error.WriteLine($"mps: unexpected failure: {ex.GetType().Name}: {CliErrors.OneLine(ex)}");
            return UnexpectedFailure;
        }
    }

    /// <summary>The parse error that says most, in the words of this tool: an unknown command or a value outside an option's list named as such.</summary>
    private static string Describe(ParseResult parsed, RootCommand root)
    {
        if (parsed.CommandResult.Command == root && parsed.UnmatchedTokens.Count > 0)
        {
            return $"unknown command '{parsed.UnmatchedTokens[0]}'; the commands are {string.Join(", ", root.Subcommands.Select(c => c.Name))}.";
        }

        if (parsed.CommandResult.Command == root && parsed.Tokens.Count == 0)
        {
            return $"no command given; the commands are {string.Join(", ", root.Subcommands.Select(c => c.Name))}.";
        }

        var first = parsed.Errors[0];
        string? optionName = null;
        for (var symbol = first.SymbolResult; symbol is not null; symbol = symbol.Parent)
        {
            if (symbol is System.CommandLine.Parsing.OptionResult option)
            {
                optionName = option.Option.Name;
                break;
            }
        }

        if (NotAmong().Match(first.Message) is { Success: true } among)
        {
            string allowed = string.Join(", ", among.Groups["allowed"].Value.Split('\t', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(a => a.Trim('\'')));
            return $"{optionName ?? "a value"}: '{among.Groups["value"].Value}' is not one of {allowed}.";
        }

        if (NotParsed().Match(first.Message) is { Success: true } typed)
        {
            string kind = typed.Groups["type"].Value switch
            {
                "System.Double" or "System.Single" => "a number (use . as the decimal point)",
                "System.Int32" or "System.Int64" => "a whole number",
                "System.UInt64" => "a whole number from 0 to 18446744073709551615",
                "System.Boolean" => "true or false",
                var other => "a " + other,
            };
            return $"{typed.Groups["option"].Value}: '{typed.Groups["value"].Value}' is not {kind}.";
        }

        return first.Message.ReplaceLineEndings(" ");
    }

    private static List<string> CommandPath(ParseResult parsed)
    {
        var names = new List<string>();
        for (var result = parsed.CommandResult; result.Parent is not null; result = (System.CommandLine.Parsing.CommandResult)result.Parent)
        {
            names.Insert(0, result.Command.Name);
        }

        return names;
    }

    [GeneratedRegex(@"^Argument '(?<value>.*)' not recognized\. Must be one of:(?<allowed>.*)$", RegexOptions.Singleline)]
    private static partial Regex NotAmong();

    [GeneratedRegex(@"^Cannot parse argument '(?<value>.*)' for option '(?<option>[^']+)' as expected type '(?<type>[^']+)'", RegexOptions.Singleline)]
    private static partial Regex NotParsed();
}
