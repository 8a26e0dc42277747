
using System.Text.RegularExpressions;
using ProvenanceSet.Evaluation.Battery;
using ProvenanceSet.Evaluation.Zoo;

namespace ProvenanceSet.Evaluation.Tests;

/// <summary>
/// The evaluation runs on its reduced budget in CI, so it cannot rot. Its simulations are seeded,
/// so the numbers checked here are deterministic; the checks are the claims the evaluation makes.
/// </summary>
[Trait("Category", "Evaluation")]
public sealed partial class QuickEvaluationTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "mps-eval-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public void QuickEvaluation_WritesTheReportAndFigures_AndSupportsItsClaims()
    {
        string? realData = RealData();
        var options = new EvaluationOptions
        {
            Quick = true,
            OutputFolder = _folder,
            RealDataFolder = realData,
            CacheFolder = null,
            Log = TextWriter.Null,
        };
        var simulation = new SimulationStudy(options).Run();
        var battery = new BatteryStudy(options).Run();
        var zoo = new ZooStudy(options).Run();
        var real = realData is null ? ((List<DevCase>, List<RealRow>, List<string>)?)null : new RealDataStudy(options).Run();
        string path = Report.Write(options, new EvaluationResults { Simulation = simulation, Battery = battery, Zoo = zoo, Real = real }, "test machine");

        string md = File.ReadAllText(path);
        foreach (string section in new[]
        {
            "## The real-pool method and what alpha controls", "## (a) The false-accusation battery", "## (b) The model zoo", "## (c) Simulations",
            "### Correlated prompts", "## (d) Real outputs and baselines", "## Limits",
        })
        {
            Assert.Contains(section, md, StringComparison.Ordinal);
        }

        foreach (string figure in new[] { "coverage-vs-alpha.svg", "set-size-vs-alpha.svg", "correlated-prompts.svg" })
        {
            string svg = File.ReadAllText(Path.Combine(_folder, "evaluation", figure));
            Assert.Contains("<svg", svg, StringComparison.Ordinal);
            Assert.Contains("<path", svg, StringComparison.Ordinal);
        }

        // Heterogeneous background: the faithful set fills with unrelated candidates, the robust one does not.
        var faithful = simulation.Single(r => r.Study == "alpha" && r.Design == "heterogeneous background" && r.Method == "faithful" && r.Alpha == 0.05);
        var robust = simulation.Single(r => r.Study == "alpha" && r.Design == "heterogeneous background" && r.Method == "robust" && r.Alpha == 0.05);
        Assert.True(faithful.FalseInclusion > 0.9 && faithful.MeanSetSize > 5, $"faithful: {faithful}");
        Assert.True(robust.MeanSetSize <= 1.5 * 2 && robust.Coverage >= 0.95 - (4 * robust.CoverageError), $"robust: {robust}");

        // Correlated prompts: permuting groups keeps the level; treating prompts as independent does not.
        var independent = simulation.Single(r => r.Study == "groups" && r.Method == "faithful, prompts as independent" && r.Alpha == 0.05);
        var grouped = simulation.Single(r => r.Study == "groups" && r.Method == "faithful, PromptGroups" && r.Alpha == 0.05);
        Assert.True(independent.FalseInclusion > 0.5, $"{independent}");
        Assert.True(grouped.FalseInclusion <= 0.05 + (4 * Math.Sqrt(0.05 * 0.95 / grouped.Repetitions)), $"{grouped}");

        // The battery: on every claimed design the default keeps its level (alpha + 3 binomial standard errors
        // of alpha with 60 pools), and it meets the power target's 50 % within 2 standard errors.
        foreach (var row in battery.Rows.Where(r => r.Method == BatteryStudy.DefaultLabel && r.Design.Claimed && r.Design.Sources == 0))
        {
            Assert.True(row.WithinLevel(BatteryStudy.Alpha), $"{row.Design.Label}: {row.FalseInclusion}");
        }

        var power = battery.Rows.Single(r => r.Method == BatteryStudy.DefaultLabel && r.Design.Family == "power target");
        Assert.True(power.Coverage >= 0.5 - (2 * Math.Sqrt(0.25 / power.Repetitions)), $"power {power.Coverage}");
        Assert.Contains("| heavy tails: offsets 0.05 t3 | no, see Limits |", md, StringComparison.Ordinal);
        Assert.All(battery.Separability.Where(r => r.Design.Contains("t2", StringComparison.Ordinal) || r.Design.Contains("t3", StringComparison.Ordinal)),
            r => Assert.True(r.Rate > 0.1, $"{r.Design}: {r.Rate}"));

        // The zoo, audited through the command line: the defaults find the parent and accuse no unrelated model
        // in most pools; the faithful variant accuses unrelated models in most pools.
        var defaults = zoo.Single(r => r.Method == ZooStudy.DefaultLabel && r.SourcesInPool);
        var faithfulZoo = zoo.Single(r => r.Method == "--variant faithful" && r.SourcesInPool);
        Assert.True(defaults.Coverage >= 0.75 && defaults.FalseInclusion <= 0.2, $"{defaults}");
        Assert.True(faithfulZoo.FalseInclusion >= 0.75, $"{faithfulZoo}");

        if (real is { } r2)
        {
            // The configuration the documentation recommends meets the real-data targets.
            var rows = r2.Item2.Where(x => x.Method == "robust" && x.Distance == "token-edit@20" && x.Normalized).ToList();
            Assert.All(rows.Where(x => x.SourcesInPool && !x.Hard), x => Assert.Equal(x.SourceCount, x.SourcesFound));
            Assert.True(rows.Where(x => x.SourcesInPool).Average(x => x.Unrelated) <= 0.2);
            Assert.All(rows.Where(x => !x.SourcesInPool), x => Assert.Equal(0, x.Unrelated));
            Assert.Matches(TargetsLine(), md);
        }
    }

    [GeneratedRegex(@"- robust, token-edit@20, normalised: unrelated per case 0\.\d\d")]
    private static partial Regex TargetsLine();

    private static string? RealData()
    {
        string? configured = Environment.GetEnvironmentVariable("PROVENANCESET_REALDATA");
        if (!string.IsNullOrEmpty(configured))
        {
            return File.Exists(Path.Combine(configured, "dev-cases.json")) ? configured : null;
        }

        return Repository.RealDataBeside();
    }

}
