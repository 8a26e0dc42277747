using System.Globalization;
using System.Text.Json;
using ProvenanceSet.Data;
using ProvenanceSet.Fingerprints;
using ProvenanceSet.Fingerprints.Tokens;
using ProvenanceSet.Outputs;

namespace ProvenanceSet.Evaluation;

/// <summary>A development case: a target with known lineage and the pool to audit it against.</summary>
internal sealed record DevCase(string Target, string[] Sources, string[] Related, bool Hard, string[] Pool, string Note);

/// <summary>One method's answer on one case, distance and pool.</summary>
internal sealed record RealRow(string Case, bool Hard, string Distance, bool Normalized, bool SourcesInPool, string Method,
    IReadOnlyList<string> Set, int SourcesFound, int SourceCount, int Unrelated, int Related, int PoolSize)
{
    /// <summary>The faithful variant's equidistant-background check on this matrix (faithful rows only).</summary>
    public bool? EquidistantBackground { get; init; }

    /// <summary>Where each source stands in the set's order (1 = first included), "-" when absent.</summary>
    public string SourcePositions(DevCase c) => string.Join(", ", c.Sources.Select(s =>
    {
        int k = Set.ToList().IndexOf(s);
        return k >= 0 ? (k + 1).ToString(CultureInfo.InvariantCulture) : "-";
    }));
}

/// <summary>Part (b) and (c): every development case with every distance, raw and normalised, every method.</summary>
internal sealed class RealDataStudy(EvaluationOptions options)
{
    public const double Alpha = 0.05;

    public static List<DevCase> LoadCases(string folder)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "dev-cases.json")));
        string[] background = [.. doc.RootElement.GetProperty("background").EnumerateArray().Select(e => e.GetString()!)];
        var cases = new List<DevCase>();
        foreach (var c in doc.RootElement.GetProperty("cases").EnumerateArray())
        {
            string target = c.GetProperty("target").GetString()!;
            string[] extra = c.TryGetProperty("extra_candidates", out var x) && x.ValueKind == JsonValueKind.Array
                ? [.. x.EnumerateArray().Select(e => e.GetString()!)]
                : [];
            cases.Add(new DevCase(
                target,
                [.. c.GetProperty("sources").EnumerateArray().Select(e => e.GetString()!)],
                [.. c.GetProperty("related").EnumerateArray().Select(e => e.GetString()!)],
                c.GetProperty("hard").GetBoolean(),
                [.. background.Concat(extra).Where(m => m != target).Distinct()],
                c.TryGetProperty("note", out var note) ? note.GetString() ?? "" : ""));
        }

        return cases;
    }

    public (List<DevCase> Cases, List<RealRow> Rows, List<string> Distances) Run()
    {
        string folder = options.RealDataFolder!;
        var cases = LoadCases(folder);
        var outputs = ModelOutputReader.ReadJsonLines([Path.Combine(folder, "alpacaeval-dev.jsonl")]);
        var distances = new List<(string Name, Func<IDistanceProvider> Make)>
        {
            ("token-disagreement@20", () => new TokenDistanceProvider(TokenDistanceOptions.Default with { Tokenizer = TokenizerKind.Cl100k })),
            ("token-edit@20", () => new TokenDistanceProvider(TokenDistanceOptions.Default with { Tokenizer = TokenizerKind.Cl100k, Distance = TokenDistanceKind.EditDistance })),
        };
        if (options.SemanticProvider is { } semantic)
        {
            var shared = new Lazy<IDistanceProvider>(semantic);
            distances.Add(("semantic-cosine", () => shared.Value));
        }

        int rounds = options.Quick ? 199 : 1000;
        Method[] methods =
        [
            new MpsMethod("faithful", ProvenanceVariant.Faithful, rounds),
            new MpsMethod("robust", ProvenanceVariant.Robust, rounds),
            new MpsMethod("robust, normal calibration (earlier)", ProvenanceVariant.Robust, rounds, Background: RobustBackground.Normal),
            new HolmBestMethod(),
            new NearestMethod(),
        ];

        var rows = new List<RealRow>();
        foreach (var c in cases)
        {
            foreach (var (name, make) in distances)
            {
                foreach (bool normalized in new[] { false, true })
                {
                    foreach (bool withSources in new[] { true, false })
                    {
                        string[] pool = withSources ? c.Pool : [.. c.Pool.Where(p => !c.Sources.Contains(p))];
                        var matrix = Matrix(outputs, c, pool, name, make, normalized);
                        foreach (var method in methods)
                        {
                            List<string> ordered = [.. method.Sets(matrix, [Alpha], 1)[0].Select(i => matrix.CandidateNames[i])];
                            bool? check = method is MpsMethod { Variant: ProvenanceVariant.Faithful } faithful
                                ? ModelProvenanceSet.Compute(matrix, ProvenanceOptions.Default with { Permutations = faithful.Rounds, Seed = 1 })
                                    .Assumptions.Single(a => a.Name == "equidistant-background").Holds
                                : null;
                            rows.Add(new RealRow(c.Target, c.Hard, name, normalized, withSources, method.Name, ordered,
                                c.Sources.Count(ordered.Contains), c.Sources.Length,
                                ordered.Count(s => !c.Sources.Contains(s) && !c.Related.Contains(s)),
                                ordered.Count(c.Related.Contains), pool.Length)
                            { EquidistantBackground = check });
                        }
                    }
                }

                options.Log.WriteLine($"  real outputs: {c.Target}, {name}");
            }
        }

        return (cases, rows, [.. distances.Select(d => d.Name)]);
    }

    private DistanceMatrix Matrix(IEnumerable<ModelOutput> outputs, DevCase c, string[] pool, string distance, Func<IDistanceProvider> make, bool normalized)
    {
        string key = $"{c.Target}__{distance}__{(normalized ? "norm" : "raw")}__{(pool.Length == c.Pool.Length ? "full" : "nosource")}__{options.RealPrompts?.ToString(CultureInfo.InvariantCulture) ?? "all"}.csv";
        string? cached = options.CacheFolder is null ? null : Path.Combine(options.CacheFolder, key);
        if (cached is not null && File.Exists(cached))
        {
            return DistanceMatrix.ReadCsv(cached, c.Target);
        }

        var request = new DistanceRequest { Target = c.Target, Candidates = pool, Normalize = normalized, MaxPrompts = options.RealPrompts };
        var matrix = make().ComputeAsync(outputs, request).GetAwaiter().GetResult().Matrix;
        if (cached is not null)
        {
            Directory.CreateDirectory(options.CacheFolder!);
            using var writer = new StreamWriter(cached);
            matrix.WriteCsv(writer);
        }

        return matrix;
    }
}
