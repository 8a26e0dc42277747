using System.Text.Json;
using System.Text.Json.Nodes;

namespace ProvenanceSet.Cli.Results;

/// <summary>
/// The library's result JSON (<see cref="ProvenanceJson"/>) with what only the command line knows
/// added to each result object: "inputs" (every file read, by SHA-256) and "run" (when, which tool, which command).
/// </summary>
internal static class ResultJson
{
    // The library writes indented JSON with the default encoder; re-writing keeps both, and numbers keep their text.
    internal static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string Serialize(ProvenanceResult result, IReadOnlyList<InputFile> inputs, RunRecord run) =>
        Extend(JsonNode.Parse(ProvenanceJson.Serialize(result))!.AsObject(), inputs, run).ToJsonString(Indented) + "\n";

    /// <summary>Several results as an array, each with its own inputs.</summary>
    public static string Serialize(IReadOnlyList<(ProvenanceResult Result, IReadOnlyList<InputFile> Inputs)> results, RunRecord run)
    {
        var array = JsonNode.Parse(ProvenanceJson.Serialize(results.Select(r => r.Result)))!.AsArray();
        for (int i = 0; i < results.Count; i++)
        {
            Extend(array[i]!.AsObject(), results[i].Inputs, run);
        }

        return array.ToJsonString(Indented) + "\n";
    }

    /// <summary>
    /// A screen's results as an array in target order; each object adds "target", "targetIndex" and "targetCount"
    /// (the same in a shard as in one run, so that shards can be merged), "familyAlpha" when alpha was split over the
    /// targets, and "rawMeanDistances" (mean distance, not normalised, from the target to every other model).
    /// </summary>
    public static string SerializeScreen(IReadOnlyList<ScreenJsonEntry> entries, IReadOnlyList<InputFile> inputs, RunRecord run)
    {
        var array = JsonNode.Parse(ProvenanceJson.Serialize(entries.Select(e => e.Result)))!.AsArray();
        for (int i = 0; i < entries.Count; i++)
        {
            var e = entries[i];
            var result = array[i]!.AsObject();
            var distances = new JsonObject();
            foreach (var (model, distance) in e.RawMeanDistances)
            {
                distances[model] = double.IsFinite(distance) ? JsonValue.Create(distance) : null;
            }

            var ordered = new JsonObject
            {
                ["target"] = e.Target,
                ["targetIndex"] = e.TargetIndex,
                ["targetCount"] = e.TargetCount,
            };
            foreach (var (key, value) in result.ToList())
            {
                result.Remove(key);
                ordered[key] = value;
            }

            if (e.FamilyAlpha is double family)
            {
                ordered["familyAlpha"] = family;
            }

            ordered["rawMeanDistances"] = distances;
            array[i] = Extend(ordered, inputs, run);
        }

        return array.ToJsonString(Indented) + "\n";
    }

    private static JsonObject Extend(JsonObject result, IReadOnlyList<InputFile> inputs, RunRecord run)
    {
        result["inputs"] = new JsonArray([.. inputs.Select(i => (JsonNode)i.ToJson())]);
        result["run"] = run.ToJson();
        return result;
    }
}

/// <summary>One target of a screen, for the JSON.</summary>
internal sealed record ScreenJsonEntry(string Target, int TargetIndex, int TargetCount, ProvenanceResult Result, IReadOnlyList<(string Model, double Distance)> RawMeanDistances, double? FamilyAlpha);
