using System.CommandLine;
using System.Globalization;
using ProvenanceSet.Cli.Report;
using ProvenanceSet.Cli.Results;
using ProvenanceSet.Cli.Terminal;
using ProvenanceSet.Fingerprints;
using ProvenanceSet.Outputs;
using Spectre.Console;

namespace ProvenanceSet.Cli.Commands;

/// <summary><c>mps audit --outputs FILE.jsonl --target NAME</c>: from model outputs to the provenance set.</summary>
internal static class AuditCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var fingerprint = new FingerprintOptions();
        var target = new Option<string>("--target") { Description = "The model whose origin is in question.", Required = true, HelpName = "NAME" };
        var candidates = new Option<string?>("--candidates")
        {
            Description = "Comma-separated candidate models (default: every model in the outputs except the target).",
            HelpName = "A,B,...",
        };
        var matrixOut = new Option<string?>("--matrix-out")
        {
            Description = "Also write the computed distance matrix as CSV (for 'mps test --matrix' later without recomputing); written with the other outputs, only when the run succeeds.",
            HelpName = "FILE.csv",
        };
        var report = ReportFile.CreateOption();
        var shared = new SharedOptions(ProvenanceVariant.Robust);
        var cacheOptions = new CacheOptions();
        var command = new Command("audit", "Audit a target model from its outputs and the candidates' outputs on the same prompts.\n\n"
            + "Defaults: the real-pool method (--variant robust, clustered calibration) on pairwise-normalised edit distances over the first 20 tokens, "
            + "the combination that found every source with no unrelated model on the evaluation's real outputs. "
            + "--variant faithful runs the procedure of the paper, which assumes unrelated candidates are equally far from the target.\n\n"
            + "Examples:\n  mps audit --outputs outputs.jsonl --target my-model\n"
            + "  mps audit --outputs a.jsonl --outputs b.jsonl --target my-model --candidates base-1,base-2,other --json result.json\n"
            + "  mps audit --outputs outputs.jsonl --target my-model --distance semantic --max-prompts 500\n"
            + "  mps audit --outputs outputs.jsonl --target my-model --variant faithful --report report.html\n"
            + "  mps audit --outputs outputs.jsonl --target my-model --distance semantic --cache .mps-cache --cache-max-mb 256");
        fingerprint.AddTo(command, target, candidates);
        command.Options.Add(matrixOut);
        command.Options.Add(report);

        cacheOptions.AddTo(command);
        shared.AddTo(command);
        command.SetAction(parsed =>
        {
            shared.ValidateEarly(parsed);
            cacheOptions.ValidateEarly(parsed);
            string[] files = fingerprint.Validate(parsed);

            var request = new DistanceRequest
            {
                Target = parsed.GetValue(target)!,
                Candidates = parsed.GetValue(candidates) is string list
                    ? [.. list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)]
                    : null,
                Normalize = parsed.GetValue(fingerprint.Normalize),
                MaxPrompts = parsed.GetValue(fingerprint.MaxPrompts),
                MissingPrompts = fingerprint.MissingPolicy(parsed),
                MaxDegreeOfParallelism = parsed.GetValue(shared.Threads),
            };

            string? json = parsed.GetValue(shared.Json);
            bool quiet = parsed.GetValue(shared.Quiet);
            string? groups = parsed.GetValue(shared.Groups);
            using var resultFiles = ResultFiles.Plan(
                [.. files.Select(f => new NamedPath("--outputs", f)), new NamedPath("--groups", groups)],
                [new NamedPath("--json", json, "result JSON"), new NamedPath("--report", parsed.GetValue(report), "report"),
                    new NamedPath("--matrix-out", parsed.GetValue(matrixOut), "distance matrix")],
                output, quiet ? null : error);
            var console = HumanOutput.Console(output, error, json, quiet);
            using var cache = cacheOptions.Open(parsed);
            using var provider = fingerprint.CreateProvider(parsed, cache);
            // Hashed just before reading: the record names the bytes this result was computed from.
            var inputs = InputFile.ReadAll([.. files.Select(f => ("--outputs", (string?)f)), ("--groups", groups)]);
            var records = ModelOutputReader.ReadJsonLines(files);
            var (distances, result) = shared.CreateProgress(parsed, output, error, "mps audit").Run(sinks =>
            {
                OutputDistances d = provider.Provider.ComputeAsync(records, request, sinks.Distances).GetAwaiter().GetResult();
                return (d, ModelProvenanceSet.Compute(d.Matrix, shared.Resolve(parsed, d.Matrix.PromptIds), sinks.Steps));
            });
            var matrix = distances.Matrix;
            result = result with
            {
                Distance = provider.Provider.Name,
                Diagnostics = [.. distances.Notes, .. result.Diagnostics],
            };
            ResultTables.Write(console, result, string.Create(CultureInfo.InvariantCulture,
                $"Audit of '{request.Target}': {matrix.CandidateCount} candidates x {matrix.PromptCount} prompts, distance {provider.Provider.Name}"));
            CacheOptions.Report(HumanOutput.Writer(output, error, json, quiet), error, cache, distances.Fingerprints, quiet);
            var run = RunRecord.Current;
            resultFiles.Add("--matrix-out", () =>
            {
                var csv = new StringWriter();
                matrix.WriteCsv(csv);
                return csv.ToString();
            });
            resultFiles.Add("--json", () => ResultJson.Serialize(result, inputs, run));
            resultFiles.Add("--report", () => HtmlReport.Build([(result, new ReportContext($"Audit of '{request.Target}'",
                $"outputs {string.Join(", ", files)}{(request.Normalize ? ", pairwise-normalised" : "")}", inputs, run))]));
            resultFiles.Commit();

            return MpsCommandLine.Success;
        });
        return command;
    }
}
