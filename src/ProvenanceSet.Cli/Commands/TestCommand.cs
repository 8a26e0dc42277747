using System.CommandLine;
using System.Globalization;
using ProvenanceSet.Cli.Report;
using ProvenanceSet.Cli.Results;
using ProvenanceSet.Cli.Terminal;
using ProvenanceSet.Data;
using Spectre.Console;

namespace ProvenanceSet.Cli.Commands;

/// <summary><c>mps test --matrix FILE.csv [--matrix ...]</c>: the procedure on distance matrices.</summary>
internal static class TestCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var matrix = new Option<string[]>("--matrix")
        {
            Description = "Distance matrix CSV: header prompt_id,<candidate 1>,...; one row per prompt. Repeat for several matrices.",
            Required = true,
            HelpName = "FILE.csv",
            AllowMultipleArgumentsPerToken = false,
        };
        var target = new Option<string?>("--target")
        {
            Description = "The target model's name: refused if it is also a candidate column.",
            HelpName = "NAME",
        };
        var report = ReportFile.CreateOption();
        var shared = new SharedOptions();
        var command = new Command("test", "Run the Model Provenance Set procedure on distance matrices. The CSV holds one line per prompt and one column per candidate "
            + "(header prompt_id,<candidate 1>,...): the transpose of the candidates x prompts matrix, so that many prompts fit.\n\n"
            + "Examples:\n  mps test --matrix distances.csv\n  mps test --matrix distances.csv --variant robust --report report.html\n  mps test --matrix a.csv --matrix b.csv --alpha 0.01 --permutations 5000 --json result.json");
        command.Options.Add(matrix);
        command.Options.Add(target);
        command.Options.Add(report);
        shared.AddTo(command);
        command.SetAction(parsed =>
        {
            shared.ValidateEarly(parsed);
            string[] files = SharedOptions.ExistingFiles(parsed, matrix);

            string? json = parsed.GetValue(shared.Json);
            bool quiet = parsed.GetValue(shared.Quiet);
            string? groups = parsed.GetValue(shared.Groups);
            using var resultFiles = ResultFiles.Plan(
                [.. files.Select(f => new NamedPath("--matrix", f)), new NamedPath("--groups", groups)],
                [new NamedPath("--json", json, "result JSON"), new NamedPath("--report", parsed.GetValue(report), "report")],
                output, quiet ? null : error);
            var console = HumanOutput.Console(output, error, json, quiet);
            var progress = shared.CreateProgress(parsed, output, error, "mps test");
            var run = RunRecord.Current;
            var settings = shared.Settings(parsed);
            WarmUp.Start(settings, files, result =>
            {
                ResultTables.Write(CliConsole.For(TextWriter.Null), result, "warm-up");
                _ = ResultJson.Serialize(result, [], run);
            });
            var results = new List<(ProvenanceResult Result, IReadOnlyList<InputFile> Inputs)>();
            var reports = new List<(ProvenanceResult, ReportContext)>();
            foreach (string file in files)
            {
                // Hashed while it is read (on one thread if the run may use one): the record names the bytes this result was computed from.
                Func<List<InputFile>> hash = () => InputFile.ReadAll(("--matrix", file), ("--groups", groups));
                var hashing = settings.MaxDegreeOfParallelism == 1 ? Task.FromResult(hash()) : Task.Run(hash);
                var data = DistanceMatrix.ReadCsv(file, parsed.GetValue(target));
                var inputs = hashing.GetAwaiter().GetResult();
                var options = shared.Resolve(parsed, data.PromptIds);
                ProvenanceResult result;
                try
                {
                    result = progress.Run(sinks => ModelProvenanceSet.Compute(data, options, sinks.Steps));
                }
                catch (ArgumentException ex)
                {
                    // Which of several matrices a refusal is about (too small, too few permutations for alpha, ...).
                    throw new UsageException($"{file}: {CliErrors.OneLine(ex)}");
                }

                results.Add((result, inputs));
                reports.Add((result, new ReportContext(data.TargetName is null ? $"Provenance set for {file}" : $"Provenance set of '{data.TargetName}'",
                    $"distance matrix {file}", inputs, run)));
                ResultTables.Write(console, result, string.Create(CultureInfo.InvariantCulture,
                    $"{file}: {data.CandidateCount} candidates x {data.PromptCount} prompts"));
                console.WriteLine();
            }

            resultFiles.Add("--json", () => results.Count == 1 ? ResultJson.Serialize(results[0].Result, results[0].Inputs, run) : ResultJson.Serialize(results, run));
            resultFiles.Add("--report", () => HtmlReport.Build(reports));
            resultFiles.Commit();
            return MpsCommandLine.Success;
        });
        return command;
    }
}
