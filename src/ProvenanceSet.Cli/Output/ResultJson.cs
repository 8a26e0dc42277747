using System.Text.Json;
using System.Text.Json.Nodes;

namespace ModelProvenance.Cli.Output;

/// <summary>
/// The library's result JSON (<see cref="ProvenanceJson"/>) with what only the command line knows
/// added to each result object: "inputs" (every file read, by SHA-256) and "run" (when, which tool, which command).
/// </summary>
internal static class ResultJson
{
    // The library writes indented JSON with the default encoder; re-writing keeps both, and numbers keep their text.
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

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

    private static JsonObject Extend(JsonObject result, IReadOnlyList<InputFile> inputs, RunRecord run)
    {
        result["inputs"] = new JsonArray([.. inputs.Select(i => (JsonNode)i.ToJson())]);
        result["run"] = run.ToJson();
        return result;
    }
}
