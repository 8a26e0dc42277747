using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;
using ProvenanceSet.Cli.Report;

namespace ProvenanceSet.Cli.Results;

/// <summary>
/// Reads merged screen JSON back into what the screen's report and DOT graph show, so that <c>mps merge</c>
/// can draw them: each target's set, candidates and checks (the fields the report reads; steps are not needed)
/// and the models' mean distances from "rawMeanDistances".
/// </summary>
internal static class ScreenJsonReader
{
    public static ScreenReportData Read(IReadOnlyList<JsonObject> targets, RunRecord run, IReadOnlyList<InputFile> inputs)
    {
        var models = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Add(string model)
        {
            if (seen.Add(model))
            {
                models.Add(model);
            }
        }

        foreach (var t in targets)
        {
            Add((string)t["target"]!);
        }

        foreach (var t in targets)
        {
            foreach (var (model, _) in t["rawMeanDistances"]!.AsObject())
            {
                Add(model);
            }
        }

        int m = models.Count;
        var index = models.Select((name, k) => (name, k)).ToDictionary(x => x.name, x => x.k, StringComparer.Ordinal);
        var sums = new double[m, m];
        var counts = new int[m, m];
        foreach (var t in targets)
        {
            int a = index[(string)t["target"]!];
            foreach (var (model, value) in t["rawMeanDistances"]!.AsObject())
            {
                if (value is JsonValue v && v.TryGetValue(out double d))
                {
                    int b = index[model];
                    sums[a, b] += d;
                    sums[b, a] += d;
                    counts[a, b]++;
                    counts[b, a]++;
                }
            }
        }

        var means = new double[m, m];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < m; j++)
            {
                means[i, j] = i == j ? 0 : counts[i, j] > 0 ? sums[i, j] / counts[i, j] : double.NaN;
            }
        }

        var results = targets.Select(t => new ScreenTarget((string)t["target"]!, Result(t))).ToList();
        var first = results[0].Result;
        return new ScreenReportData(models, results, means, first.Distance ?? "unknown", first.Alpha, FamilyAlpha(targets[0]), run, inputs);
    }

    private static double? FamilyAlpha(JsonObject target) =>
        target["familyAlpha"] is JsonValue v && v.TryGetValue(out double f) ? f : null;

    private static ProvenanceResult Result(JsonObject t)
    {
        var candidates = t["candidates"]!.AsArray().Select((c, k) => new CandidateResult
        {
            Index = k,
            Name = (string)c!["name"]!,
            MeanDistance = Number(c["meanDistance"]),
            FirstStepStatistic = Number(c["tStatisticFirstStep"]),
            InclusionPValue = Number(c["inclusionPValue"]),
            NiScore = Number(c["niScore"]),
            InSet = (bool)c["inSet"]!,
            SetRank = c["setRank"] is JsonValue r && r.TryGetValue(out int rank) ? rank : null,
        }).ToList();
        string[] set = [.. t["set"]!.AsArray().Select(s => (string)s!)];
        return new ProvenanceResult
        {
            Set = set,
            SetIndices = [.. set.Select(s => candidates.FindIndex(c => c.Name == s))],
            Steps = [],
            Candidates = candidates,
            Alpha = (double)t["alpha"]!,
            Permutations = (int)t["permutations"]!,
            Seed = (ulong)t["seed"]!,
            Variant = Id<ProvenanceVariant>((string)t["variant"]!),
            Exact = (bool)t["exact"]!,
            FullPath = (bool)t["fullPath"]!,
            PValueEstimator = Id<PValueEstimator>((string)t["pValueEstimator"]!),
            StoppingReason = Id<StoppingReason>((string)t["stoppingReason"]!),
            PromptCount = (int)t["promptCount"]!,
            GroupCount = (int)t["groupCount"]!,
            TargetName = (string?)t["target"],
            Distance = (string?)t["distance"],
            Diagnostics = [.. t["diagnostics"]!.AsArray().Select(d => (string)d!)],
            Assumptions = [.. t["assumptions"]!.AsArray().Select(a => new AssumptionCheck((string)a!["name"]!, (bool)a["holds"]!, (string)a["detail"]!))],
            Background = t["background"] is JsonValue b ? Id<RobustBackground>((string)b!) : null,
        };
    }

    private static double Number(JsonNode? node) => node is JsonValue v && v.TryGetValue(out double d) ? d : double.NaN;

    private static T Id<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicFields)] T>(string id)
        where T : struct, Enum =>
        EnumIds.TryParse(id, out T value)
            ? value
            : throw new UsageException($"unknown {typeof(T).Name} '{id}' in the screen JSON.");
}
