using System.Diagnostics;
using System.Text;
using ProvenanceSet.Cli.Report;
using ProvenanceSet.Cli.Results;
using ProvenanceSet.Data;
using PuppeteerSharp;

namespace ProvenanceSet.Cli.Tests;

/// <summary>
/// The screen's report and DOT graph, built from a hand-made screen of a known lineage: a base with two
/// fine-tunes, a mutual pair of close relatives, and an unrelated model. The report is opened in headless
/// Chromium with the network off (see <see cref="ReportTests"/>).
/// </summary>
public class ScreenReportTests
{
    private static readonly string[] Lineage = ["base", "ft-a", "ft-b", "twin-1", "twin-2", "loner"];

    // Who is in whose set, with the member's NI-Score: ft-a and ft-b derive from base; twin-1 and twin-2 each sit in the other's set.
    private static readonly Dictionary<string, (string Member, double Ni)[]> Sets = new()
    {
        ["base"] = [],
        ["ft-a"] = [("base", 0.999)],
        ["ft-b"] = [("base", 0.998)],
        ["twin-1"] = [("twin-2", 0.997)],
        ["twin-2"] = [("twin-1", 0.996)],
        ["loner"] = [],
    };

    /// <summary>A screen of these models; names[k] replaces Lineage[k] (for hostile names).</summary>
    private static ScreenReportData Screen(double? familyAlpha = null, ProvenanceVariant variant = ProvenanceVariant.Robust, IReadOnlyList<string>? names = null)
    {
        names ??= Lineage;
        string Name(string lineageName) => names[Array.IndexOf(Lineage, lineageName)];
        // Clusters {base, ft-a, ft-b} and {twin-1, twin-2}, loner far from all: the model order interleaves them.
        int[] group = [0, 0, 0, 1, 1, 2];
        int n = Lineage.Length;
        var distances = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                distances[i, j] = i == j ? 0 : group[i] == group[j] ? 0.2 + (0.01 * (i + j)) : group[i] == 2 || group[j] == 2 ? 0.9 : 0.6;
            }
        }

        double alpha = familyAlpha is double f ? f / n : 0.05;
        var targets = Lineage.Select(t => new ScreenTarget(Name(t), Result(Name(t), [.. Lineage.Where(c => c != t).Select(Name)],
            [.. Sets[t].Select(m => (Name(m.Member), m.Ni))], alpha, variant))).ToList();
        var run = new RunRecord(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), "0.1.0", "0123456789abcdef0123456789abcdef01234567",
            "mps screen --outputs outputs.jsonl --report screen.html", "/data", "mps screen --outputs /data/outputs.jsonl --report /data/screen.html");
        var inputs = new[] { new InputFile("--outputs", "/data/outputs.jsonl", new string('a', 64), 1234) };
        return new ScreenReportData([.. names], targets, distances, "token-edit@20/words", alpha, familyAlpha, run, inputs);
    }

    /// <summary>A result whose set is the given members (in order), as the library reports one.</summary>
    private static ProvenanceResult Result(string target, string[] candidates, (string Name, double Ni)[] set, double alpha, ProvenanceVariant variant)
    {
        var inSet = set.Select(s => s.Name).ToList();
        return new ProvenanceResult
        {
            TargetName = target,
            Set = inSet,
            SetIndices = [.. inSet.Select(s => Array.IndexOf(candidates, s))],
            Steps = [],
            Candidates = [.. candidates.Select((c, i) => new CandidateResult
            {
                Index = i,
                Name = c,
                MeanDistance = 0.5,
                FirstStepStatistic = 0,
                InclusionPValue = inSet.Contains(c) ? 1 - set.First(s => s.Name == c).Ni : 1,
                NiScore = inSet.Contains(c) ? set.First(s => s.Name == c).Ni : 0,
                InSet = inSet.Contains(c),
                SetRank = inSet.Contains(c) ? inSet.IndexOf(c) + 1 : null,
            })],
            Alpha = alpha,
            Permutations = 999,
            Seed = 7,
            Variant = variant,
            Background = variant == ProvenanceVariant.Robust ? RobustBackground.Clustered : null,
            Exact = false,
            FullPath = false,
            PValueEstimator = PValueEstimator.PlusOne,
            StoppingReason = StoppingReason.NotRejected,
            PromptCount = 60,
            GroupCount = 60,
            Diagnostics = [],
        };
    }

    [Fact]
    public void Clustering_PutsObviousClustersTogether_AndMergesClosestFirst()
    {
        // Three clusters, interleaved in the input order: {0, 3, 5}, {1, 4}, {2}.
        int[] group = [0, 1, 2, 0, 1, 0];
        var d = new double[6, 6];
        for (int i = 0; i < 6; i++)
        {
            for (int j = 0; j < 6; j++)
            {
                d[i, j] = i == j ? 0 : group[i] == group[j] ? 1 + (0.1 * Math.Abs(i - j)) : group[i] + group[j] == 1 ? 5 : 9;
            }
        }

        var tree = AverageLinkage.Cluster(d);
        Assert.Equal([0, 3, 5, 1, 4, 2], tree.Order);
        Assert.Equal(5, tree.Merges.Count);
        Assert.Equal([3], tree.Merges[0].Left);
        Assert.Equal([5], tree.Merges[0].Right);
        Assert.Equal(1.2, tree.Merges[0].Distance, 12);
        // Average linkage: {0,3,5} against {1,4} is the mean of six distances of 5; the last merge the mean to {2}.
        Assert.Equal(5, tree.Merges[3].Distance, 12);
        Assert.Equal(9, tree.Merges[4].Distance, 12);
        Assert.True(tree.Merges.Zip(tree.Merges.Skip(1)).All(p => p.First.Distance <= p.Second.Distance));
    }

    [Fact]
    public void Clustering_LeavesUnknownDistancesOutOfTheAverages()
    {
        double nan = double.NaN;
        var d = new double[,]
        {
            { 0, 1, nan, 8 },
            { 1, 0, 8, nan },
            { nan, 8, 0, 1 },
            { 8, nan, 1, 0 },
        };
        var tree = AverageLinkage.Cluster(d);
        Assert.Equal([0, 1, 2, 3], tree.Order);
        Assert.Equal(8, tree.Merges[^1].Distance, 12);

        // With nothing known between two groups, they merge last, at +infinity, and the order stays deterministic.
        var apart = new double[,] { { 0, nan, 1 }, { nan, 0, nan }, { 1, nan, 0 } };
        var loose = AverageLinkage.Cluster(apart);
        Assert.Equal([0, 2, 1], loose.Order);
        Assert.Equal(double.PositiveInfinity, loose.Merges[^1].Distance);
    }

    [Fact]
    public void Graph_HasAnArrowFromEachMemberToItsTarget_AndOneEdgeForTheMutualPair()
    {
        var graph = LineageGraph.From(Screen());
        var edges = graph.Edges.Select(e => (graph.Models[e.From], graph.Models[e.To], e.Mutual)).ToList();
        Assert.Equal([("base", "ft-a", false), ("base", "ft-b", false), ("twin-1", "twin-2", true)], edges);
        // twin-1 is in twin-2's set at 0.996, twin-2 in twin-1's at 0.997.
        Assert.Equal(0.996, graph.Edges[2].NiScore);
        Assert.Equal(0.997, graph.Edges[2].ReverseNiScore);
        // Two families (the base's, the twins') and the loner in none.
        Assert.Equal([0, 0, 0, 1, 1, -1], graph.Family);
    }

    [Fact]
    public void Graph_AndReport_TakeARealAuditResult()
    {
        // ft-a's audit computed by the library: base is far closer to it than the other four models over 40 prompts.
        string[] candidates = ["base", "ft-b", "twin-1", "twin-2", "loner"];
        var noise = new Random(1);
        var values = new double[candidates.Length, 40];
        for (int p = 0; p < 40; p++)
        {
            for (int c = 0; c < candidates.Length; c++)
            {
                values[c, p] = (c == 0 ? 0.2 : 0.7) + (0.05 * noise.NextDouble());
            }
        }

        var real = ModelProvenanceSet.Compute(new DistanceMatrix(values, candidates), ProvenanceOptions.Default with { Permutations = 199, MaxDegreeOfParallelism = 1 })
            with
        { TargetName = "ft-a" };
        Assert.Equal(["base"], real.Set);
        var data = Screen();
        data = data with { Targets = [.. data.Targets.Select(t => t.Target == "ft-a" ? new ScreenTarget("ft-a", real) : t)] };
        var graph = LineageGraph.From(data);
        var edge = Assert.Single(graph.Edges, e => graph.Models[e.To] == "ft-a");
        Assert.Equal("base", graph.Models[edge.From]);
        Assert.Equal(real.Candidates[0].NiScore, edge.NiScore);
        Assert.Contains($"NI {LineageDot.Score(real.Candidates[0].NiScore)}", ScreenReport.Build(data), StringComparison.Ordinal);
    }

    [Fact]
    public void Dot_HasTheEdgesWithNiScores_AndDirBothForTheMutualPair()
    {
        string dot = LineageDot.Write(Screen());
        Assert.StartsWith("// Model provenance graph", dot, StringComparison.Ordinal);
        Assert.Contains("digraph lineage {", dot, StringComparison.Ordinal);
        Assert.Contains("\"base\" -> \"ft-a\" [label=\"NI 0.9990\"];", dot, StringComparison.Ordinal);
        Assert.Contains("\"base\" -> \"ft-b\" [label=\"NI 0.9980\"];", dot, StringComparison.Ordinal);
        Assert.Contains("\"twin-1\" -> \"twin-2\" [dir=both, style=dashed", dot, StringComparison.Ordinal);
        Assert.Contains("label=\"close relatives, direction unknown\\nNI 0.9960 / 0.9970\"", dot, StringComparison.Ordinal);
        Assert.DoesNotContain("\"twin-2\" -> \"twin-1\"", dot, StringComparison.Ordinal);
        Assert.Contains("\"loner\" [label=\"loner\", fillcolor=\"#eeeeee\"];", dot, StringComparison.Ordinal);
        Assert.Equal(3, dot.Split('\n').Count(l => l.Contains(" -> ", StringComparison.Ordinal)));
        Assert.Equal(Lineage, DotNodeIds(dot));
    }

    private static readonly string[] Hostile =
        ["base \"quoted\"", "ft<a>&amp;", "ft\\b\\", "twin\n1 <script>alert(1)</script>", "twin-2 'single' \\\"", "lo\r\nner\t\u0001"];

    [Fact]
    public void HostileNames_StayValidDot_WithEveryNameReadBack()
    {
        string dot = LineageDot.Write(Screen(names: Hostile));
        // Read back with DOT's own rules for quoted strings; the control character shows as U+FFFD.
        string[] expected = [.. Hostile.Select(h => h.Replace('\u0001', '\uFFFD'))];
        Assert.Equal(expected, DotNodeIds(dot));
        Assert.Equal(3, dot.Split('\n').Count(l => l.Contains(" -> ", StringComparison.Ordinal)));
    }

    [SkippableFact]
    public void HostileNames_AreDrawnByGraphviz_WhenItIsInstalled()
    {
        string? dotTool = new[] { "/usr/bin/dot", "/usr/local/bin/dot" }.FirstOrDefault(File.Exists);
        Skip.If(dotTool is null, "Graphviz (dot) is not installed.");
        var start = new ProcessStartInfo(dotTool!, "-Tsvg") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        process.StandardInput.Write(LineageDot.Write(Screen(names: Hostile)));
        process.StandardInput.Close();
        var stderr = process.StandardError.ReadToEndAsync();
        string svg = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, stderr.Result);
        Assert.Empty(stderr.Result);
        Assert.Contains("ft&lt;a&gt;&amp;amp;", svg, StringComparison.Ordinal);
        Assert.Contains("ft\\b\\", svg, StringComparison.Ordinal);
        Assert.Contains("close relatives, direction unknown", svg, StringComparison.Ordinal);
        Assert.Equal(3, svg.Split("class=\"edge\"").Length - 1);
    }

    [Fact]
    public void Words_SayNotAJointGuarantee_AndBonferroniOnlyWithAFamilyAlpha()
    {
        string plain = ScreenReport.Build(Screen());
        Assert.Contains("This is not a joint guarantee over all targets.", plain, StringComparison.Ordinal);
        Assert.Contains("Across 6 targets at alpha = 0.05 each, the chance that at least one set is wrong can be as large as 6 &times; 0.05 = 0.3", plain, StringComparison.Ordinal);
        Assert.DoesNotContain("class=\"bonferroni\"", plain, StringComparison.Ordinal);
        Assert.DoesNotContain("was split over", plain, StringComparison.Ordinal);

        string robust = ScreenReport.Build(Screen(familyAlpha: 0.06));
        Assert.Contains("This is not a joint guarantee over all targets.", robust, StringComparison.Ordinal);
        Assert.Contains("Here the family-wise alpha 0.06 was split over the 6 targets (Bonferroni): each target was audited at alpha = 0.06 / 6 = 0.01.", robust, StringComparison.Ordinal);
        Assert.Contains("the chance that any unrelated model enters any of the 6 sets is at most 0.06", robust, StringComparison.Ordinal);

        string faithful = ScreenReport.Build(Screen(familyAlpha: 0.06, variant: ProvenanceVariant.Faithful));
        Assert.Contains("the chance that any of the 6 sets misses one of its target's sources is at most 0.06", faithful, StringComparison.Ordinal);
        Assert.DoesNotContain("unrelated model enters any", faithful, StringComparison.Ordinal);
        Assert.Contains("every model the target was derived from is in this set", faithful, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_OpensOffline_WithTheGraphTheTableAndTheClusteredHeatMap()
    {
        using var dir = new TempFolder();
        var data = Screen();
        string html = ScreenReport.Build(data);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org", "", StringComparison.Ordinal), StringComparison.Ordinal);
        string file = dir.File("screen.html", html);

        await using var browser = await ReportTests.LaunchAsync(Path.Combine(dir.Path, "profile"));
        await using var page = await browser.NewPageAsync();
        await page.SetOfflineModeAsync(true);
        var requests = new List<string>();
        page.Request += (_, e) =>
        {
            lock (requests)
            {
                if (!e.Request.Url.StartsWith("file:", StringComparison.Ordinal))
                {
                    requests.Add(e.Request.Url);
                }
            }
        };
        await page.GoToAsync(new Uri(file).AbsoluteUri, WaitUntilNavigation.Load);

        // The graph: an svg of real size, every model a node, the expected edges.
        double[] size = await page.EvaluateExpressionAsync<double[]>("(() => { const r = document.querySelector('svg.lineage').getBoundingClientRect(); return [r.width, r.height]; })()");
        Assert.True(size[0] > 200 && size[1] > 100, $"graph {size[0]}x{size[1]}");
        string[] nodes = await page.EvaluateExpressionAsync<string[]>("[...document.querySelectorAll('svg.lineage g.node')].map(g => g.querySelector('text').textContent)");
        Assert.Equal(Lineage, nodes);
        string[] edges = await page.EvaluateExpressionAsync<string[]>(
            "[...document.querySelectorAll('svg.lineage g.edge')].map(g => g.dataset.from + '>' + g.dataset.to + (g.classList.contains('mutual') ? ' mutual' : '') + ': ' + g.querySelector('text.edge-label').textContent)");
        Assert.Equal(["base>ft-a: NI 0.9990", "base>ft-b: NI 0.9980", "twin-1>twin-2 mutual: close relatives, direction unknownNI 0.9960 / 0.9970"], edges);
        // Every node box lies inside the svg and no two overlap.
        double[][] boxes = await page.EvaluateExpressionAsync<double[][]>("""
            (() => { const s = document.querySelector('svg.lineage').getBoundingClientRect();
              return [...document.querySelectorAll('svg.lineage g.node rect')].map(r => { const b = r.getBoundingClientRect(); return [b.left - s.left, b.top - s.top, b.right - s.left, b.bottom - s.top, s.width, s.height]; }); })()
            """);
        Assert.All(boxes, b => Assert.True(b[0] >= 0 && b[1] >= 0 && b[2] <= b[4] && b[3] <= b[5], string.Join(",", b)));
        for (int i = 0; i < boxes.Length; i++)
        {
            for (int j = i + 1; j < boxes.Length; j++)
            {
                bool apart = boxes[i][2] <= boxes[j][0] || boxes[j][2] <= boxes[i][0] || boxes[i][3] <= boxes[j][1] || boxes[j][3] <= boxes[i][1];
                Assert.True(apart, $"nodes {Lineage[i]} and {Lineage[j]} overlap");
            }
        }

        // Sources sit above the models derived from them (layered layout).
        Assert.True(boxes[0][3] < boxes[1][1] && boxes[0][3] < boxes[2][1], "base is not above its fine-tunes");
        // Families: the base's three share a colour, the twins another, the loner is grey.
        string[] fills = await page.EvaluateExpressionAsync<string[]>("[...document.querySelectorAll('svg.lineage g.node rect')].map(r => r.getAttribute('fill'))");
        Assert.Equal(fills[0], fills[1]);
        Assert.Equal(fills[0], fills[2]);
        Assert.Equal(fills[3], fills[4]);
        Assert.NotEqual(fills[0], fills[3]);
        Assert.Equal("#eeeeee", fills[5]);

        // The heat map: rows in the clustering's order (the families together), a legend below the cells.
        string[] rows = await page.EvaluateExpressionAsync<string[]>("[...document.querySelectorAll('svg.heatmap text.row-label')].map(t => t.textContent)");
        Assert.Equal(AverageLinkage.Cluster(data.MeanDistances).Order.Select(i => Lineage[i]), rows);
        Assert.Equal(["base", "ft-a", "ft-b", "twin-1", "twin-2", "loner"], rows);
        int cells = await page.EvaluateExpressionAsync<int>("document.querySelectorAll('svg.heatmap rect.cell').length");
        Assert.Equal(36, cells);
        double legendGap = await page.EvaluateExpressionAsync<double>("""
            (() => { const cells = [...document.querySelectorAll('svg.heatmap rect.cell')].map(c => c.getBoundingClientRect().bottom);
              return document.querySelector('svg.heatmap g.legend').getBoundingClientRect().top - Math.max(...cells); })()
            """);
        Assert.True(legendGap > 0, $"the legend overlaps the cells by {-legendGap} px");

        string text = await page.EvaluateExpressionAsync<string>("document.body.innerText");
        Assert.Contains("This is not a joint guarantee over all targets.", text, StringComparison.Ordinal);
        Assert.Contains("Screen of 6 models", text, StringComparison.Ordinal);
        Assert.Contains($"--outputs\t/data/outputs.jsonl\t1234\t{new string('a', 64)}", text, StringComparison.Ordinal);
        Assert.Contains("mps screen --outputs /data/outputs.jsonl --report /data/screen.html", text, StringComparison.Ordinal);
        Assert.Empty(requests);
    }

    [Fact]
    public void Report_IsTheSameOnEveryBuild_AndSaysSoWhenNoSetHoldsAModel()
    {
        var data = Screen();
        Assert.Equal(ScreenReport.Build(data), ScreenReport.Build(data));
        Assert.Equal(LineageDot.Write(data), LineageDot.Write(data));

        var none = data with { Targets = [.. data.Targets.Select(t => t with { Result = Result(t.Target, [.. t.Result.Candidates.Select(c => c.Name)], [], 0.05, ProvenanceVariant.Robust) })] };
        string html = ScreenReport.Build(none);
        Assert.Contains("No set holds any model: the screen found no relation between these models.", html, StringComparison.Ordinal);
        Assert.Equal(6, html.Split("<g class=\"node\"").Length - 1);
        Assert.DoesNotContain(" -> ", LineageDot.Write(none), StringComparison.Ordinal);
    }

    [Fact]
    public void Layout_OfALargerLineage_IsTheSameOnEveryBuild_OnAnyThread()
    {
        // 40 models, each derived from one or two earlier ones with probability 0.8, and one mutual pair:
        // enough ties in the crossing minimisation that an unseeded layout differs from build to build.
        var random = new Random(5);
        string[] models = [.. Enumerable.Range(0, 40).Select(i => $"model-{i}")];
        var sets = new Dictionary<string, (string, double)[]> { [models[0]] = [(models[5], 0.97)] };
        for (int i = 1; i < models.Length; i++)
        {
            if (random.NextDouble() < 0.8)
            {
                sets[models[i]] = [.. Enumerable.Range(0, random.Next(1, 3)).Select(_ => models[random.Next(0, i)]).Distinct().Select(s => (s, 0.99))];
            }
        }

        var distances = new double[models.Length, models.Length];
        for (int i = 0; i < models.Length; i++)
        {
            for (int j = 0; j < i; j++)
            {
                distances[i, j] = distances[j, i] = random.NextDouble();
            }
        }

        var data = Screen() with
        {
            Models = models,
            MeanDistances = distances,
            Targets = [.. models.Select(t => new ScreenTarget(t, Result(t, [.. models.Where(c => c != t)], sets.GetValueOrDefault(t, []), 0.05, ProvenanceVariant.Robust)))],
        };
        string first = ScreenReport.Build(data);
        Assert.Equal(first, ScreenReport.Build(data));
        string? other = null;
        var thread = new Thread(() => other = ScreenReport.Build(data));
        thread.Start();
        thread.Join();
        Assert.Equal(first, other);
    }

    [Fact]
    public void Build_RefusesDataThatDoNotFitTogether()
    {
        var data = Screen();
        var stranger = data with { Targets = [.. data.Targets, new ScreenTarget("stranger", data.Targets[0].Result)] };
        Assert.Contains("'stranger' is not one of the screened models", Assert.Throws<ArgumentException>(() => ScreenReport.Build(stranger)).Message, StringComparison.Ordinal);
        var square = data with { MeanDistances = new double[5, 5] };
        Assert.Contains("there are 6 models", Assert.Throws<ArgumentException>(() => ScreenReport.Build(square)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_SortsTheTable_WhenAHeaderIsClicked()
    {
        using var dir = new TempFolder();
        string file = dir.File("screen.html", ScreenReport.Build(Screen()));
        await using var browser = await ReportTests.LaunchAsync(Path.Combine(dir.Path, "profile"));
        await using var page = await browser.NewPageAsync();
        await page.SetOfflineModeAsync(true);
        await page.GoToAsync(new Uri(file).AbsoluteUri, WaitUntilNavigation.Load);
        const string Targets = "[...document.querySelectorAll('table.sets tbody tr')].map(r => r.cells[0].textContent)";

        Assert.Equal(Lineage, await page.EvaluateExpressionAsync<string[]>(Targets));
        await ClickHeader(page, "set size");
        // Ascending, stable: the empty sets first, in their order.
        Assert.Equal(["base", "loner", "ft-a", "ft-b", "twin-1", "twin-2"], await page.EvaluateExpressionAsync<string[]>(Targets));
        Assert.Equal("ascending", await page.EvaluateExpressionAsync<string>("document.querySelector('table.sets th[aria-sort]').getAttribute('aria-sort')"));
        await ClickHeader(page, "set size");
        string[] descending = await page.EvaluateExpressionAsync<string[]>(Targets);
        Assert.Equal(["base", "loner"], descending[^2..].Order());
        await ClickHeader(page, "target");
        Assert.Equal(["base", "ft-a", "ft-b", "loner", "twin-1", "twin-2"], await page.EvaluateExpressionAsync<string[]>(Targets));
        await ClickHeader(page, "target");
        Assert.Equal(["twin-2", "twin-1", "loner", "ft-b", "ft-a", "base"], await page.EvaluateExpressionAsync<string[]>(Targets));
    }

    private static async Task ClickHeader(IPage page, string header)
    {
        var handles = await page.QuerySelectorAllAsync("table.sets thead th");
        foreach (var th in handles)
        {
            if (await th.EvaluateFunctionAsync<string>("e => e.textContent") == header)
            {
                await th.ClickAsync();
                return;
            }
        }

        Assert.Fail($"no header '{header}'");
    }

    [Fact]
    public async Task HostileNames_AreEscapedInTheReport_AndShownAsTheyAre()
    {
        using var dir = new TempFolder();
        string html = ScreenReport.Build(Screen(names: Hostile));
        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
        Assert.DoesNotContain("ft<a>", html, StringComparison.Ordinal);
        Assert.DoesNotContain('\u0001', html);
        string file = dir.File("screen.html", html);

        await using var browser = await ReportTests.LaunchAsync(Path.Combine(dir.Path, "profile"));
        await using var page = await browser.NewPageAsync();
        await page.SetOfflineModeAsync(true);
        bool dialog = false;
        page.Dialog += async (_, e) =>
        {
            dialog = true;
            await e.Dialog.Dismiss();
        };
        await page.GoToAsync(new Uri(file).AbsoluteUri, WaitUntilNavigation.Load);
        // HTML itself reads every line break as \n.
        string[] expected = [.. Hostile.Select(h => h.Replace('\u0001', '\uFFFD').Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n'))];
        Assert.Equal(expected, await page.EvaluateExpressionAsync<string[]>("[...document.querySelectorAll('svg.lineage g.node')].map(g => g.dataset.model)"));
        Assert.Equal(expected, await page.EvaluateExpressionAsync<string[]>("[...document.querySelectorAll('table.sets tbody tr')].map(r => r.cells[0].textContent)"));
        Assert.Equal(3, await page.EvaluateExpressionAsync<int>("document.querySelectorAll('svg.lineage g.edge').length"));
        Assert.Equal(1, await page.EvaluateExpressionAsync<int>("document.querySelectorAll('script').length"));
        Assert.False(dialog, "a model name ran as script");
    }

    /// <summary>
    /// The node statements' ids, read with DOT's rules for quoted strings (\" is a quote, \\ stays two
    /// characters), then unescaped as a label shows them (\\ is a backslash, \n and \r line breaks).
    /// </summary>
    private static List<string> DotNodeIds(string dot)
    {
        var ids = new List<string>();
        foreach (string line in dot.Split('\n').Where(l => l.StartsWith("  \"", StringComparison.Ordinal)))
        {
            var raw = new StringBuilder();
            int k = 3;
            for (; line[k] != '"'; k++)
            {
                Assert.NotEqual('\r', line[k]);
                if (line[k] == '\\' && k + 1 < line.Length && (line[k + 1] == '"' || line[k + 1] == '\\'))
                {
                    raw.Append(line[k]).Append(line[k + 1]);
                    k++;
                }
                else
                {
                    raw.Append(line[k]);
                }
            }

            if (line[(k + 1)..].StartsWith(" [label=", StringComparison.Ordinal))
            {
                var shown = new StringBuilder();
                string s = raw.ToString();
                for (int i = 0; i < s.Length; i++)
                {
                    shown.Append(s[i] == '\\' ? s[++i] switch { 'n' => "\n", 'r' => "\r", char c => c.ToString() } : s[i].ToString());
                }

                ids.Add(shown.ToString());
            }
        }

        return ids;
    }
}
