using System.CommandLine;
using ModelProvenance.Cli.Commands;

namespace ModelProvenance.Cli;

/// <summary>
/// The <c>mps</c> command line. Exit codes: 0 success (whatever the set), 2 bad input or usage
/// (one line on stderr that names the problem), 1 unexpected failure.
/// </summary>
internal static class MpsCommandLine
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
        root.Subcommands.Add(PromptsCommand.Create(output, error));
        root.Subcommands.Add(CollectCommand.Create(output, error));

        Output.RunRecord.Start(args);
        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            error.WriteLine($"mps: error: {parsed.Errors[0].Message.ReplaceLineEndings(" ")} (see 'mps {string.Join(' ', CommandPath(parsed))} --help')");
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

    private static List<string> CommandPath(ParseResult parsed)
    {
        var names = new List<string>();
        for (var result = parsed.CommandResult; result.Parent is not null; result = (System.CommandLine.Parsing.CommandResult)result.Parent)
        {
            names.Insert(0, result.Command.Name);
        }

        return names;
    }
}
