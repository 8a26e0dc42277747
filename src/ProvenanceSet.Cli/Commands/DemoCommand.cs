using System.CommandLine;
using System.Globalization;
using ProvenanceSet.Cli.Report;
using ProvenanceSet.Cli.Results;
using ProvenanceSet.Cli.Terminal;
using ProvenanceSet.Simulation;
using Spectre.Console;

namespace ProvenanceSet.Cli.Commands;

/// <summary><c>mps demo</c>: a simulated pool of 50 candidates with 2 true sources, end to end.</summary>
internal static class DemoCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var json = new Option<string?>("--json") { Description = "Write the result JSON to FILE ('-' for stdout), with the run's time, tool version, commit and command line.", HelpName = "FILE" };
        var report = ReportFile.CreateOption();
        var quiet = SharedOptions.QuietOption();
        var progress = ProgressOption.Create(SharedOptions.ProgressSeconds);
        var seed = new Option<ulong>("--seed") { Description = "Seed of the simulated pool and of the permutations.", DefaultValueFactory = _ => ProvenanceOptions.Default.Seed };
        var command = new Command("demo", "Simulate a pool of 50 candidate models, 2 of which the target was derived from, "
            + string.Create(CultureInfo.InvariantCulture, $"and find them with the Model Provenance Set procedure (alpha = {ProvenanceOptions.Default.Alpha}, {ProvenanceOptions.Default.Permutations} permutations).")
            + "\n\nExamples:\n  mps demo\n  mps demo --json demo.json --report demo.html");
        command.Options.Add(json);
        command.Options.Add(seed);
        command.Options.Add(report);
        command.Options.Add(quiet);
        command.Options.Add(progress);
        command.SetAction(parsed =>
        {
            ulong s = parsed.GetValue(seed);
            string? jsonPath = parsed.GetValue(json);
            bool isQuiet = parsed.GetValue(quiet);
            using var resultFiles = ResultFiles.Plan([], [new NamedPath("--json", jsonPath, "result JSON"), new NamedPath("--report", parsed.GetValue(report), "report")],
                output, isQuiet ? null : error);
            var console = HumanOutput.Console(output, error, jsonPath, isQuiet);
            var simulation = new PoolSimulation { Seed = s };
            SimulatedPool pool = simulation.Generate();
            console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Simulated pool: {simulation.Candidates} candidates x {simulation.Prompts} prompts; the target was derived from {string.Join(" and ", pool.Sources)}"));
            console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"(distance {simulation.Base} on average, {simulation.Gap} less for the sources, noise sd {simulation.Noise})."));
            console.WriteLine();
            var result = new ProgressDisplay(ProgressTargets.Resolve(ProgressOption.Parse(parsed.GetValue(progress)!), isQuiet, error,
                HumanOutput.Writer(output, error, jsonPath, isQuiet), ProgressOption.Interval(SharedOptions.ProgressSeconds)), "mps demo").Run(sinks => ModelProvenanceSet.Compute(pool.Matrix, ProvenanceOptions.Default with { Seed = s }, sinks.Steps));
            ResultTables.Write(console, result, "Model Provenance Set of 'target'");
            console.WriteLine();
            bool found = pool.Sources.All(result.Set.Contains);
            console.WriteLine(found
                ? $"Both true sources are in the set ({result.Set.Count} member(s))."
                : "Missed a true source this time: the guarantee is 'with probability at least 1 - alpha'.");
            var run = RunRecord.Current;
            resultFiles.Add("--json", () => ResultJson.Serialize(result, [], run));
            resultFiles.Add("--report", () => HtmlReport.Build([(result, new ReportContext("Demo: a simulated pool of 50 candidates", string.Create(CultureInfo.InvariantCulture,
                $"simulated distances (2 true sources: {string.Join(", ", pool.Sources)})"), [], run))]));
            resultFiles.Commit();

            return MpsCommandLine.Success;
        });
        return command;
    }
}
