using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ProvenanceSet.Cli.Report;
using ProvenanceSet.Cli.Results;

namespace ProvenanceSet.Cli.Commands;

/// <summary><c>mps merge shard*.json --json all.json</c>: joins the JSON of 'mps screen --shard K/N' runs into what one run writes.</summary>
internal static class MergeCommand
{
    private static readonly string[] SameEverywhere = ["targetCount", "alpha", "permutations", "seed", "variant", "distance", "background", "pValueEstimator", "exact", "fullPath", "familyAlpha"];

    public static Command Create(TextWriter output, TextWriter error)
    {
        var files = new Argument<string[]>("SHARD.json") { Description = "The JSON files of the shards (any order).", Arity = ArgumentArity.OneOrMore };
        var json = new Option<string>("--json") { Description = "Write the merged JSON array to FILE ('-' for stdout).", Required = true, HelpName = "FILE" };
        var report = new Option<string?>("--report") { Description = "Also write the screen's HTML report of the merged targets.", HelpName = "FILE.html" };
        var dot = new Option<string?>("--dot") { Description = "Also write the lineage graph as Graphviz DOT.", HelpName = "FILE.dot" };
        var quiet = SharedOptions.QuietOption();
        var command = new Command("merge", "Join the result JSON of 'mps screen --shard K/N' runs: the targets in order, checked to be all there exactly once "
            + "and computed with the same settings; the same JSON as one unsharded screen (each target keeps its own \"run\").\n\n"
            + "Example:\n  mps merge shard1.json shard2.json shard3.json --json all.json --report all.html");
        command.Arguments.Add(files);
        command.Options.Add(json);
        command.Options.Add(report);
        command.Options.Add(dot);
        command.Options.Add(quiet);
        command.SetAction(parsed =>
        {
            string[] paths = parsed.GetValue(files)!;
            foreach (string path in paths)
            {
                if (!File.Exists(path))
                {
                    throw new FileNotFoundException($"{path}: no such file.", path);
                }
            }

            string? jsonPath = parsed.GetValue(json);
            using var resultFiles = ResultFiles.Plan([.. paths.Select(p => new NamedPath("SHARD.json", p))], [new NamedPath("--json", jsonPath, "merged JSON"), new NamedPath("--report", parsed.GetValue(report), "report"), new NamedPath("--dot", parsed.GetValue(dot), "lineage graph")],
                output, parsed.GetValue(quiet) ? null : error);
            var byIndex = new SortedDictionary<int, (JsonObject Target, string File)>();
            JsonObject? reference = null;
            string? referenceFile = null;
            foreach (string path in paths)
            {
                foreach (var target in ReadShard(path))
                {
                    int index = Int(target, "targetIndex", path);
                    if (byIndex.TryGetValue(index, out var other))
                    {
                        throw new UsageException($"{path}: target {index} ('{target["target"]}') is also in {other.File}: a shard was given twice, or shards of different splits were mixed.");
                    }

                    if (reference is null)
                    {
                        (reference, referenceFile) = (target, path);
                    }
                    else
                    {
                        foreach (string field in SameEverywhere)
                        {
                            if (!JsonNode.DeepEquals(reference[field], target[field]))
                            {
                                throw new UsageException($"{path}: \"{field}\" is {target[field]?.ToJsonString() ?? "null"} but {reference[field]?.ToJsonString() ?? "null"} in {referenceFile}: the shards were run with different settings.");
                            }
                        }
                    }

                    byIndex[index] = (target, path);
                }
            }

            int count = Int(reference!, "targetCount", referenceFile!);
            var missing = Enumerable.Range(0, count).Where(k => !byIndex.ContainsKey(k)).ToList();
            if (missing.Count > 0)
            {
                throw new UsageException(string.Create(CultureInfo.InvariantCulture,
                    $"{missing.Count} of {count} targets are missing (target indices {string.Join(", ", missing.Take(10))}{(missing.Count > 10 ? ", ..." : string.Empty)}): a shard's JSON was not given."));
            }

            var merged = new JsonArray([.. byIndex.Values.Select(v => (JsonNode)v.Target.DeepClone())]);
            resultFiles.Add("--json", () => merged.ToJsonString(ResultJson.Indented) + "\n");
            var inputs = InputFile.ReadAll([.. paths.Select(p => ("SHARD.json", (string?)p))]);
            var data = new Lazy<ScreenReportData>(() => ScreenJsonReader.Read([.. byIndex.Values.Select(v => v.Target)], RunRecord.Current, inputs));
            resultFiles.Add("--report", () => ScreenReport.Build(data.Value));
            resultFiles.Add("--dot", () => LineageDot.Write(data.Value));
            resultFiles.Commit();
            return MpsCommandLine.Success;
        });
        return command;
    }

    private static IEnumerable<JsonObject> ReadShard(string path)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (JsonException ex)
        {
            throw new UsageException($"{path}: not JSON ({ex.Message.Split(" Path:")[0]}).");
        }

        if (root is not JsonArray array)
        {
            throw new UsageException($"{path}: expected the JSON array that 'mps screen --json' writes.");
        }

        foreach (var item in array)
        {
            if (item is not JsonObject target || target["target"] is null || target["targetIndex"] is null)
            {
                throw new UsageException($"{path}: an element has no \"target\" and \"targetIndex\": not the JSON of 'mps screen'.");
            }

            yield return target;
        }
    }

    private static int Int(JsonObject target, string field, string path) =>
        target[field] is JsonValue value && value.TryGetValue(out int number) && number >= 0
            ? number
            : throw new UsageException($"{path}: \"{field}\" of target '{target["target"]}' is not a non-negative whole number.");
}
