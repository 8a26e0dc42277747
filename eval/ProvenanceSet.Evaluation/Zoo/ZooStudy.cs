using System.Globalization;
using System.Text.Json;
using MathNet.Numerics.Distributions;
using ProvenanceSet.Cli;
using ProvenanceSet.Randomness;

namespace ProvenanceSet.Evaluation.Zoo;

/// <summary>One zoo design: how to build a pool, and whether the look-alike family is in it.</summary>
internal sealed record ZooDesign(string Name, Func<Random, ZooPool> Build, bool LookAlike = false);

/// <summary>One audit configuration on one zoo design, with or without the target's sources in the pool.</summary>
internal sealed record ZooRow(string Design, string Method, bool SourcesInPool, int Pools, double Coverage, double FalseInclusion, double MeanUnrelated, double MeanRelated, double MeanSetSize)
{
    public double FalseInclusionError => Math.Sqrt(Math.Max(FalseInclusion * (1 - FalseInclusion), 1e-12) / Pools);

    public double CoverageError => Math.Sqrt(Math.Max(Coverage * (1 - Coverage), 1e-12) / Pools);
}

/// <summary>
/// The output-level model zoo: every pool is written as an outputs file with token ids and audited by the
/// command line itself (the same code as <c>mps audit</c>), so alignment, distance, normalisation and variant
/// are all in the loop. The default row uses no flag but --outputs, --target and --json.
/// </summary>
internal sealed class ZooStudy(EvaluationOptions options)
{
    public const int Prompts = 200;

    public int Pools => options.Quick ? 16 : 400;

    public const string DefaultLabel = "mps audit (defaults)";

    /// <summary>The configurations compared: extra command-line arguments after --outputs, --target and --json.</summary>
    public static IReadOnlyList<(string Label, string[] Arguments)> Configurations(bool quick) => quick
        ? [(DefaultLabel, []), ("--variant faithful", ["--variant", "faithful", "--permutations", "199"])]
        : [
            (DefaultLabel, []),
            ("--background normal (earlier robust)", ["--background", "normal"]),
            ("--variant faithful", ["--variant", "faithful", "--permutations", "199"]),
            ("defaults, --normalize false", ["--normalize", "false"]),
        ];

    public static IReadOnlyList<ZooDesign> Designs(bool quick)
    {
        var designs = new List<ZooDesign>
        {
            new("fine-tune (copies 0.7 of its parent)", r => Pool(r, lineage: (models, family0) =>
            {
                models.Add(new ZooModel("target", 0, [family0[0]], 0.7, Entropy(r)));
                return [family0[0]];
            })),
        };
        if (quick)
        {
            return designs;
        }

        designs.Add(new("light fine-tune (copies 0.4)", r => Pool(r, lineage: (models, family0) =>
        {
            models.Add(new ZooModel("target", 0, [family0[0]], 0.4, Entropy(r)));
            return [family0[0]];
        })));
        designs.Add(new("chain: base -> fine-tune -> target (0.7 each)", r => Pool(r, lineage: (models, family0) =>
        {
            models.Add(new ZooModel("vendor0-ft", 0, [family0[0]], 0.7, Entropy(r)));
            models.Add(new ZooModel("target", 0, ["vendor0-ft"], 0.7, Entropy(r)));
            return ["vendor0-ft", family0[0]];
        })));
        designs.Add(new("merge of two families (0.8)", r => Pool(r, lineage: (models, family0) =>
        {
            models.Add(new ZooModel("target", 0, [family0[0], "vendor1-1"], 0.8, Entropy(r)));
            return [family0[0], "vendor1-1"];
        }, mergeFamily: 1)));
        designs.Add(new("fine-tune with a sibling in the pool", r => Pool(r, lineage: (models, family0) =>
        {
            models.Add(new ZooModel("sibling-ft", 0, [family0[0]], 0.7, Entropy(r)));
            models.Add(new ZooModel("target", 0, [family0[0]], 0.7, Entropy(r)));
            return [family0[0]];
        })));
        designs.Add(new("fine-tune + a look-alike family (style of the parent's vendor, no shared weights)", r => Pool(r, lineage: (models, family0) =>
        {
            models.Add(new ZooModel("target", 0, [family0[0]], 0.7, Entropy(r)));
            return [family0[0]];
        }, lookAlike: true), LookAlike: true));
        return designs;
    }

    public List<ZooRow> Run()
    {
        var rows = new List<ZooRow>();
        string folder = Path.Combine(Path.GetTempPath(), "mps-zoo-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var configurations = Configurations(options.Quick);
            foreach (var design in Designs(options.Quick))
            {
                foreach (bool withSources in new[] { true, false })
                {
                    string[] labels = [.. configurations.Select(c => c.Label), PairwiseAblations.GroupsLabel, PairwiseAblations.ReferenceLabel];
                    var tallies = new (int Covered, int FalseIn, long Unrelated, long Related, long Size)[labels.Length];
                    var gate = new object();
                    Parallel.For(0, Pools, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, k =>
                    {
                        var rng = new StreamRandom(options.SeedFor($"zoo/{design.Name}/{k}"));
                        var pool = design.Build(rng);
                        string file = Path.Combine(folder, $"pool-{k}-{withSources}.jsonl");
                        File.WriteAllText(file, ModelZoo.Outputs(pool, Prompts, rng, design.LookAlike ? 0 : -1));
                        string[] candidates = [.. pool.Models.Select(m => m.Name).Where(n => n != pool.Target && (withSources || !pool.Sources.Contains(n)))];
                        var (groups, reference) = PairwiseAblations.Sets(file, pool.Target, candidates, 0.05, options.Quick ? 199 : 999, (ulong)k);
                        for (int c = 0; c < labels.Length; c++)
                        {
                            var set = c < configurations.Count ? Audit(file, c, pool.Target, candidates, configurations[c].Arguments, (ulong)k)
                                : c == configurations.Count ? groups : reference;
                            int unrelated = set.Count(s => !pool.Sources.Contains(s) && !pool.Related.Contains(s));
                            lock (gate)
                            {
                                tallies[c].Covered += pool.Sources.All(set.Contains) ? 1 : 0;
                                tallies[c].FalseIn += unrelated > 0 ? 1 : 0;
                                tallies[c].Unrelated += unrelated;
                                tallies[c].Related += set.Count(pool.Related.Contains);
                                tallies[c].Size += set.Count;
                            }
                        }

                        File.Delete(file);
                    });

                    for (int c = 0; c < labels.Length; c++)
                    {
                        var t = tallies[c];
                        rows.Add(new ZooRow(design.Name, labels[c], withSources, Pools, (double)t.Covered / Pools, (double)t.FalseIn / Pools,
                            (double)t.Unrelated / Pools, (double)t.Related / Pools, (double)t.Size / Pools));
                    }

                    options.Log.WriteLine($"  zoo: {design.Name}, sources {(withSources ? "in" : "removed")} ({Pools} pools)");
                }
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        return rows;
    }

    /// <summary>Runs <c>mps audit</c> in process and returns its set.</summary>
    private static List<string> Audit(string file, int configuration, string target, string[] candidates, string[] extra, ulong seed)
    {
        string json = file + "." + configuration.ToString(CultureInfo.InvariantCulture) + ".json";
        string[] args = ["audit", "--outputs", file, "--target", target, "--candidates", string.Join(',', candidates), "--json", json, "--quiet",
            "--seed", seed.ToString(CultureInfo.InvariantCulture), "--threads", "1", .. extra];
        var error = new StringWriter();
        int code = MpsCommandLine.Run(args, TextWriter.Null, error);
        if (code != 0)
        {
            throw new InvalidOperationException($"mps {string.Join(' ', args)} exited {code}: {error}");
        }

        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        File.Delete(json);
        return [.. doc.RootElement.GetProperty("set").EnumerateArray().Select(e => e.GetString()!)];
    }

    /// <summary>
    /// Five vendor families of three base models each (vendorF-1..3), the lineage the design adds (its return value:
    /// the target's sources), and, when asked, a sixth family of three look-alikes of vendor 0's style.
    /// </summary>
    private static ZooPool Pool(Random rng, Func<List<ZooModel>, string[], string[]> lineage, int mergeFamily = -1, bool lookAlike = false)
    {
        var models = new List<ZooModel>();
        for (int f = 0; f < 5; f++)
        {
            for (int k = 1; k <= 3; k++)
            {
                models.Add(new ZooModel($"vendor{f}-{k}", f, [], 0, Entropy(rng)));
            }
        }

        if (lookAlike)
        {
            for (int k = 1; k <= 3; k++)
            {
                models.Add(new ZooModel($"lookalike-{k}", 5, [], 0, Entropy(rng)));
            }
        }

        string[] sources = lineage(models, ["vendor0-1", "vendor0-2", "vendor0-3"]);
        // Related: the sources' and the target's family members (and derived siblings), as in the real cases.
        var families = new HashSet<int> { 0 };
        if (mergeFamily >= 0)
        {
            families.Add(mergeFamily);
        }

        string[] related = [.. models.Where(m => m.Name != "target" && !sources.Contains(m.Name) && families.Contains(m.Family)).Select(m => m.Name)];
        return new ZooPool(models, "target", sources, related);
    }

    /// <summary>Output entropy: the share of answer tokens a model samples away from its most likely answer, 0.05 to 0.6.</summary>
    private static double Entropy(Random rng) => ContinuousUniform.Sample(rng, 0.05, 0.6);

}
