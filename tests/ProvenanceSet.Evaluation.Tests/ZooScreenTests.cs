using System.Text.Json.Nodes;
using ProvenanceSet.Cli;
using ProvenanceSet.Evaluation.Zoo;

namespace ProvenanceSet.Evaluation.Tests;

/// <summary>
/// <c>mps screen</c> on a zoo pool with a known lineage (the evaluation's fine-tune design): the edge between the
/// target and its parent is drawn both ways, with no unrelated model in the target's set, and each target's result is what <c>mps audit</c> gives for it.
/// The pool is seeded, so the outcome is deterministic (the design's measured coverage is about 0.9, not 1).
/// </summary>
[Trait("Category", "Evaluation")]
public sealed class ZooScreenTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mps-zoo-screen-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Screen_DrawsTheKnownEdges_AndEachTargetIsItsAudit()
    {
        // The evaluation's fine-tune design: five vendor families of three base models, and a target that copies 0.7 of vendor0-1.
        var pool = ZooStudy.Designs(quick: true)[0].Build(new Random(2026));
        var models = pool.Models;
        string file = Path.Combine(_folder, "zoo.jsonl");
        File.WriteAllText(file, ModelZoo.Outputs(pool, ZooStudy.Prompts, new Random(2027)));

        var screen = Run("screen", "--outputs", file, "--json", "-", "--quiet").AsArray();

        Assert.Equal(models.Select(m => m.Name), screen.Select(t => (string)t!["target"]!));
        Assert.Contains(pool.Sources[0], Set(screen, pool.Target));
        Assert.All(Set(screen, pool.Target), m => Assert.Contains(m, pool.Sources.Concat(pool.Related))); // family members count as related, not accused
        Assert.Contains(pool.Target, Set(screen, "vendor0-1"));
        foreach (string target in new[] { pool.Target, "vendor0-1", "vendor3-2" })
        {
            var audit = Run("audit", "--outputs", file, "--target", target, "--json", "-", "--quiet").AsObject();
            var mine = screen.Single(t => (string)t!["target"]! == target)!.AsObject().DeepClone().AsObject();
            foreach (string field in new[] { "targetIndex", "targetCount", "rawMeanDistances", "run" })
            {
                mine.Remove(field);
            }

            audit.Remove("run");
            Assert.True(JsonNode.DeepEquals(audit, mine), $"screen and audit differ for '{target}'");
        }
    }

    private static string[] Set(JsonArray screen, string target) =>
        [.. screen.Single(t => (string)t!["target"]! == target)!["set"]!.AsArray().Select(s => (string)s!)];

    private static JsonNode Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = MpsCommandLine.Run(args, output, error);
        Assert.True(code == 0, $"mps {string.Join(' ', args)}: exit {code}: {error}");
        return JsonNode.Parse(output.ToString())!;
    }
}
