using System.Globalization;
using System.Text;
using ProvenanceSet.Cli.Results;

namespace ProvenanceSet.Cli.Report;

/// <summary>
/// The screen's self-contained HTML report: every model audited against the others, shown as a provenance
/// graph, a sortable table of every target's set, a heat map of the distances between the models ordered
/// by average-linkage clustering, what the sets guarantee (one target at a time), and how to reproduce
/// it. Inline CSS, SVG and a few lines of script for sorting: it opens offline.
/// </summary>
internal static class ScreenReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The report's HTML.</summary>
    /// <exception cref="ArgumentException">The data do not fit together (see <see cref="LineageGraph.From"/>), or the distance matrix is not Models × Models.</exception>
    public static string Build(ScreenReportData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        int n = data.Models.Count;
        if (data.MeanDistances.GetLength(0) != n || data.MeanDistances.GetLength(1) != n)
        {
            throw new ArgumentException(
                $"The distance matrix is {data.MeanDistances.GetLength(0)} × {data.MeanDistances.GetLength(1)}, but there are {n} models.", nameof(data));
        }

        var graph = LineageGraph.From(data);
        var html = new StringBuilder();
        string title = $"Screen of {n} models";
        ReportHtml.Open(html, title, ExtraCss);
        html.Append("<article id=\"screen\">\n<h1>").Append(E(title)).Append("</h1>\n")
            .Append(ReportHtml.Lead(data.Run, "Model Provenance Set screening report"));
        Question(html, data);
        Guarantees(html, data);
        Graph(html, data, graph);
        SetsTable(html, data);
        HeatMap(html, data, graph);
        ReportHtml.Provenance(html, data.Inputs, data.Run, "No input file was recorded.");
        ReportHtml.Reproduce(html, data.Inputs, data.Run);
        html.Append("</article>\n</main>\n<script>").Append(SortScript).Append("</script>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static void Question(StringBuilder html, ScreenReportData data)
    {
        html.Append("<section class=\"question\">\n<h2>The question</h2>\n");
        html.Append(Inv, $"<p>For each of these {data.Models.Count} models, which of the others was it derived from? ")
            .Append("Each target was audited on its own, against every other screened model as a candidate; ")
            .Append("a model in a target's provenance set is one the target is distinguishably closer to than to the rest.</p>\n");
        html.Append("<table class=\"facts\">\n");
        ReportHtml.Row(html, "Models", $"{data.Models.Count}: {string.Join(", ", data.Models)}");
        ReportHtml.Row(html, "Targets audited", data.Targets.Count.ToString(Inv));
        var results = data.Targets.Select(t => t.Result).ToList();
        ReportHtml.Row(html, "Prompts", Distinct(results.Select(r => r.GroupCount == r.PromptCount
            ? r.PromptCount.ToString(Inv)
            : string.Create(Inv, $"{r.PromptCount} in {r.GroupCount} groups (permuted together)"))));
        ReportHtml.Row(html, "Distance", data.DistanceName);
        ReportHtml.Row(html, "Variant", Distinct(results.Select(VariantText)));
        ReportHtml.Row(html, "Significance level alpha (per target)", data.Alpha.ToString(Inv));
        if (data.FamilyAlpha is double family)
        {
            ReportHtml.Row(html, "Family-wise alpha (all targets)", string.Create(Inv, $"{family} (per target: {family} / {data.Targets.Count} = {data.Alpha})"));
        }

        ReportHtml.Row(html, "Rounds R", Distinct(results.Select(r => r.Exact ? "all relabellings (exact)" : r.Permutations.ToString(Inv))));
        ReportHtml.Row(html, "Seed", Distinct(results.Select(r => r.Seed.ToString(Inv))));
        html.Append("</table>\n</section>\n");
    }

    private static void Guarantees(StringBuilder html, ScreenReportData data)
    {
        int targets = data.Targets.Count;
        html.Append("<section class=\"guarantees\">\n<h2>What the sets guarantee</h2>\n");
        html.Append(Inv, $"<p>Each target's set comes from its own audit at alpha = {data.Alpha}. For each target on its own:</p>\n<ul class=\"statements\">\n");
        foreach (var result in data.Targets.Select(t => t.Result).DistinctBy(r => (r.Variant, r.Background, r.Alpha)))
        {
            html.Append("<li class=\"guarantee\">").Append(E(Guarantee.Statement(result))).Append("</li>\n");
        }

        html.Append("</ul>\n");
        double union = Math.Min(1, targets * data.Alpha);
        html.Append(Inv, $"<p class=\"joint\"><strong>This is not a joint guarantee over all targets.</strong> Each statement holds for one target at a time. ")
            .Append(Inv, $"Across {targets} targets at alpha = {data.Alpha} each, the chance that at least one set is wrong can be as large as ")
            .Append(Inv, $"{targets} &times; {data.Alpha} = {union:0.####}, and on average up to {targets * data.Alpha:0.####} sets may be wrong.</p>\n");
        if (data.FamilyAlpha is double family)
        {
            var variants = data.Targets.Select(t => t.Result.Variant).Distinct().ToList();
            html.Append(Inv, $"<p class=\"bonferroni\">Here the family-wise alpha {family} was split over the {targets} targets (Bonferroni): each target was audited at alpha = {family} / {targets} = {data.Alpha}. ")
                .Append("By the union bound, which holds however the targets' audits depend on each other, ");
            if (variants.All(v => v == ProvenanceVariant.Robust))
            {
                html.Append(Inv, $"the chance that any unrelated model enters any of the {targets} sets is at most {family}, ")
                    .Append("when in each audit the unrelated models are only draws from that target's background. It says nothing about finding the sources: that is a question of the gap.</p>\n");
            }
            else if (variants.All(v => v == ProvenanceVariant.Faithful))
            {
                html.Append(Inv, $"the chance that any of the {targets} sets misses one of its target's sources is at most {family} ")
                    .Append("(asymptotically, under each target's assumptions: its unrelated candidates equally far from it, its sources closer, the prompts independent).</p>\n");
            }
            else
            {
                html.Append(Inv, $"the chance that any target's statement above fails is at most {family}, each in its variant's sense.</p>\n");
            }
        }
        else
        {
            html.Append("<p class=\"note\">To bound the chance of any error across all targets at once, screen with a family-wise alpha: ")
                .Append("each target is then audited at that alpha divided by the number of targets (Bonferroni).</p>\n");
        }

        var warned = data.Targets.Where(t => Guarantee.Warning(t.Result) is not null).Select(t => t.Target).ToList();
        if (warned.Count > 0)
        {
            html.Append(Inv, $"<p class=\"warning\">No statement applies to {warned.Count} target{(warned.Count == 1 ? "" : "s")} whose assumption checks failed on this data: ")
                .Append(string.Join(", ", warned.Select(w => $"<strong>{E(w)}</strong>")))
                .Append(" (see the table). A family-wise bound does not cover them either.</p>\n");
        }

        html.Append("</section>\n");
    }

    private static void Graph(StringBuilder html, ScreenReportData data, LineageGraph graph)
    {
        html.Append("<section class=\"graph\">\n<h2>The provenance graph</h2>\n");
        html.Append("<figure class=\"lineage\">\n<div class=\"scroll\">").Append(LineageSvg(graph)).Append("</div>\n");
        html.Append("<figcaption>An arrow runs from each member of a target's provenance set to the target, labelled with the member's NI-Score ")
            .Append("(the highest confidence at which it is in the set). A dashed double-headed edge joins two models each in the other's set: ")
            .Append("<strong>close relatives, direction unknown</strong> (NI-Scores of each in the other's set). ")
            .Append("Fill colours mark families (models linked by any edge); grey models are in no set and have none in theirs. ")
            .Append("Layered layout: sources above the models derived from them where the edges allow.</figcaption>\n</figure>\n");
        if (graph.Edges.Count == 0)
        {
            html.Append("<p>No set holds any model: the screen found no relation between these models.</p>\n");
        }

        html.Append("</section>\n");
    }

    private static string LineageSvg(LineageGraph graph)
    {
        var drawing = LineageLayout.Compute(graph);
        var svg = new StringBuilder();
        svg.Append(Inv, $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"lineage\" width=\"{drawing.Width:0}\" height=\"{drawing.Height:0}\" viewBox=\"0 0 {drawing.Width:0.#} {drawing.Height:0.#}\" role=\"img\" aria-label=\"Provenance graph of {graph.Models.Count} models\">\n");
        svg.Append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"9\" markerHeight=\"9\" markerUnits=\"userSpaceOnUse\" orient=\"auto-start-reverse\">")
            .Append("<path d=\"M0,0 L10,5 L0,10 z\" fill=\"#444\"/></marker></defs>\n<g class=\"edges\">\n");
        for (int k = 0; k < graph.Edges.Count; k++)
        {
            var edge = graph.Edges[k];
            var line = drawing.Edges[k];
            string from = graph.Models[edge.From], to = graph.Models[edge.To];
            string points = string.Join(" ", line.Select(p => string.Create(Inv, $"{p.X:0.#},{p.Y:0.#}")));
            // Past the middle, where edges leaving one source have spread apart: their labels do not collide.
            var (mx, my) = PointAlong(line, edge.Mutual ? 0.5 : 0.6);
            svg.Append(Inv, $"<g class=\"edge{(edge.Mutual ? " mutual" : "")}\" data-from=\"{E(from)}\" data-to=\"{E(to)}\">");
            if (edge.Mutual)
            {
                svg.Append("<title>").Append(E($"Close relatives, direction unknown: {LineageDot.MutualTooltip(graph, edge)}.")).Append("</title>");
                svg.Append(Inv, $"<polyline points=\"{points}\" fill=\"none\" stroke=\"#7d3c98\" stroke-width=\"2\" stroke-dasharray=\"6 4\" marker-start=\"url(#arrow)\" marker-end=\"url(#arrow)\"/>");
                string second = $"NI {LineageDot.Score(edge.NiScore)} / {LineageDot.Score(edge.ReverseNiScore ?? double.NaN)}";
                Label(svg, mx, my, ["close relatives, direction unknown", second]);
            }
            else
            {
                svg.Append("<title>").Append(E($"{from} is in {to}'s provenance set, NI-Score {LineageDot.Score(edge.NiScore)}")).Append("</title>");
                svg.Append(Inv, $"<polyline points=\"{points}\" fill=\"none\" stroke=\"#444\" stroke-width=\"1.5\" marker-end=\"url(#arrow)\"/>");
                Label(svg, mx, my, [$"NI {LineageDot.Score(edge.NiScore)}"]);
            }

            svg.Append("</g>\n");
        }

        svg.Append("</g>\n<g class=\"nodes\">\n");
        for (int i = 0; i < graph.Models.Count; i++)
        {
            var box = drawing.Nodes[i];
            string name = graph.Models[i];
            svg.Append(Inv, $"<g class=\"node\" data-model=\"{E(name)}\"><title>{E(name)}</title>")
                .Append(Inv, $"<rect x=\"{box.X - (box.Width / 2):0.#}\" y=\"{box.Y - (box.Height / 2):0.#}\" width=\"{box.Width:0.#}\" height=\"{box.Height:0.#}\" rx=\"6\" fill=\"{LineageGraph.Colour(graph.Family[i])}\" stroke=\"#555\"/>")
                .Append(Inv, $"<text x=\"{box.X:0.#}\" y=\"{box.Y:0.#}\" text-anchor=\"middle\" dominant-baseline=\"central\">{E(name)}</text></g>\n");
        }

        svg.Append("</g>\n</svg>");
        return svg.ToString();
    }

    /// <summary>An edge label on a white backing, so that it stays readable over the lines it crosses.</summary>
    private static void Label(StringBuilder svg, double x, double y, string[] lines)
    {
        const double LineHeight = 13;
        double width = (lines.Max(l => l.Length) * 6.1) + 8;
        double height = (lines.Length * LineHeight) + 4;
        svg.Append(Inv, $"<rect class=\"label-back\" x=\"{x - (width / 2):0.#}\" y=\"{y - (height / 2):0.#}\" width=\"{width:0.#}\" height=\"{height:0.#}\" fill=\"#fff\" fill-opacity=\"0.85\"/>");
        svg.Append(Inv, $"<text class=\"edge-label\" x=\"{x:0.#}\" y=\"{y - (height / 2) + 2 + (LineHeight / 2):0.#}\" text-anchor=\"middle\" dominant-baseline=\"central\">");
        for (int k = 0; k < lines.Length; k++)
        {
            svg.Append(Inv, $"<tspan x=\"{x:0.#}\" dy=\"{(k == 0 ? 0 : LineHeight)}\">{E(lines[k])}</tspan>");
        }

        svg.Append("</text>");
    }

    /// <summary>The point a fraction of the way along a polyline.</summary>
    private static (double X, double Y) PointAlong(IReadOnlyList<(double X, double Y)> line, double fraction)
    {
        double total = 0;
        for (int k = 1; k < line.Count; k++)
        {
            total += Math.Sqrt(Math.Pow(line[k].X - line[k - 1].X, 2) + Math.Pow(line[k].Y - line[k - 1].Y, 2));
        }

        double remaining = total * fraction;
        for (int k = 1; k < line.Count; k++)
        {
            double length = Math.Sqrt(Math.Pow(line[k].X - line[k - 1].X, 2) + Math.Pow(line[k].Y - line[k - 1].Y, 2));
            if (length >= remaining && length > 0)
            {
                double t = remaining / length;
                return (line[k - 1].X + ((line[k].X - line[k - 1].X) * t), line[k - 1].Y + ((line[k].Y - line[k - 1].Y) * t));
            }

            remaining -= length;
        }

        return line[0];
    }

    private static void SetsTable(StringBuilder html, ScreenReportData data)
    {
        html.Append("<section class=\"sets\">\n<h2>Every target's set</h2>\n");
        html.Append("<p class=\"note\">Click a column's header to sort by it; click again to reverse.</p>\n");
        html.Append("<table class=\"sets sortable\">\n<thead><tr><th data-sort=\"text\">target</th><th data-sort=\"text\">set (NI-Score)</th>")
            .Append("<th data-sort=\"number\">set size</th><th data-sort=\"number\">candidates</th><th data-sort=\"text\">stopping reason and warnings</th></tr></thead>\n<tbody>\n");
        foreach (var (target, result) in data.Targets)
        {
            var members = result.Candidates.Where(c => c.InSet).OrderBy(c => c.SetRank ?? int.MaxValue).ToList();
            string set = members.Count == 0
                ? "<span class=\"empty\">empty</span>"
                : string.Join(", ", members.Select(c => string.Create(Inv, $"<strong class=\"member\">{E(c.Name)}</strong> ({LineageDot.Score(c.NiScore)})")));
            string warning = Guarantee.Warning(result) is string w ? $"<p class=\"warning\">{E(w)}</p>" : "";
            string diagnostics = result.Diagnostics.Count == 0 ? "" : "<ul>" + string.Concat(result.Diagnostics.Select(d => $"<li>{E(d)}</li>")) + "</ul>";
            html.Append(Inv, $"<tr><td>{E(target)}</td><td data-value=\"{E(string.Join(", ", members.Select(c => c.Name)))}\">{set}</td>")
                .Append(Inv, $"<td data-value=\"{members.Count}\">{members.Count}</td><td data-value=\"{result.Candidates.Count}\">{result.Candidates.Count}</td>")
                .Append(Inv, $"<td>{E(ReportHtml.StoppingText(result))}{warning}{diagnostics}</td></tr>\n");
        }

        html.Append("</tbody>\n</table>\n</section>\n");
    }

    private static void HeatMap(StringBuilder html, ScreenReportData data, LineageGraph graph)
    {
        html.Append("<section class=\"heatmap\">\n<h2>Distances between the models</h2>\n");
        var order = AverageLinkage.Cluster(data.MeanDistances).Order;
        html.Append("<figure class=\"heatmap\">\n<div class=\"scroll\">").Append(HeatMapSvg(data, graph, order)).Append("</div>\n");
        html.Append("<figcaption>The mean distance between two models' outputs over the prompts (")
            .Append(E(data.DistanceName))
            .Append("). Rows and columns are ordered by average-linkage clustering of these distances, so that models close to each other sit together; ")
            .Append("the swatch before a row's name is its family colour in the graph. The diagonal (a model against itself) is left blank and out of the colour scale.</figcaption>\n</figure>\n</section>\n");
    }

    private static string HeatMapSvg(ScreenReportData data, LineageGraph graph, IReadOnlyList<int> order)
    {
        int n = order.Count;
        double[,] d = data.MeanDistances;
        var known = new List<double>();
        bool unknown = false;
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                if (i != j)
                {
                    if (double.IsFinite(d[i, j]))
                    {
                        known.Add(d[i, j]);
                    }
                    else
                    {
                        unknown = true;
                    }
                }
            }
        }

        double lo = known.Count > 0 ? known.Min() : 0, hi = known.Count > 0 ? known.Max() : 1;
        double cell = Math.Clamp(560.0 / Math.Max(1, n), 10, 36);
        double label = Math.Min(260, 14 + (6.8 * (n == 0 ? 4 : data.Models.Max(m => m.Length))));
        double left = label + 14, top = label;
        double gridRight = left + (n * cell), gridBottom = top + (n * cell);
        double legendTop = gridBottom + 28;
        // Room on the right for the last column's slanted name (cos 60° of its length).
        double width = Math.Max(gridRight + 16 + (label / 2), left + 360), height = legendTop + 64;

        var svg = new StringBuilder();
        svg.Append(Inv, $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"heatmap\" width=\"{width:0}\" height=\"{height:0}\" viewBox=\"0 0 {width:0.#} {height:0.#}\" role=\"img\" aria-label=\"Heat map of the mean distances between {n} models\">\n");
        svg.Append("<defs><pattern id=\"unknown\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\"><rect width=\"6\" height=\"6\" fill=\"#f2f2f2\"/><path d=\"M0,6 L6,0\" stroke=\"#aaa\"/></pattern>")
            .Append("<linearGradient id=\"scale\" x1=\"0\" x2=\"1\" y1=\"0\" y2=\"0\">");
        for (int k = 0; k <= 8; k++)
        {
            svg.Append(Inv, $"<stop offset=\"{k / 8.0:0.###}\" stop-color=\"{Viridis(k / 8.0)}\"/>");
        }

        svg.Append("</linearGradient></defs>\n");
        for (int r = 0; r < n; r++)
        {
            int i = order[r];
            double y = top + (r * cell);
            svg.Append(Inv, $"<rect class=\"family\" x=\"{left - 10:0.#}\" y=\"{y + 1:0.#}\" width=\"7\" height=\"{cell - 2:0.#}\" fill=\"{LineageGraph.Colour(graph.Family[i])}\" stroke=\"#888\" stroke-width=\"0.5\"/>");
            svg.Append(Inv, $"<text class=\"row-label\" x=\"{left - 14:0.#}\" y=\"{y + (cell / 2):0.#}\" text-anchor=\"end\" dominant-baseline=\"central\">{E(data.Models[i])}</text>\n");
            double x = left + (r * cell) + (cell / 2);
            svg.Append(Inv, $"<text class=\"column-label\" transform=\"translate({x:0.#},{top - 6:0.#}) rotate(-60)\" text-anchor=\"start\" dominant-baseline=\"central\">{E(data.Models[i])}</text>\n");
        }

        for (int r = 0; r < n; r++)
        {
            for (int c = 0; c < n; c++)
            {
                int i = order[r], j = order[c];
                double v = d[i, j];
                string fill = i == j ? "#ffffff" : double.IsFinite(v) ? Viridis(hi > lo ? (v - lo) / (hi - lo) : 0.5) : "url(#unknown)";
                string value = i == j ? "itself" : double.IsFinite(v) ? v.ToString("0.0000", Inv) : "unknown";
                svg.Append(Inv, $"<rect class=\"cell\" x=\"{left + (c * cell):0.#}\" y=\"{top + (r * cell):0.#}\" width=\"{cell:0.#}\" height=\"{cell:0.#}\" fill=\"{fill}\"><title>{E($"{data.Models[i]} – {data.Models[j]}: {value}")}</title></rect>");
            }

            svg.Append('\n');
        }

        svg.Append(Inv, $"<rect x=\"{left:0.#}\" y=\"{top:0.#}\" width=\"{n * cell:0.#}\" height=\"{n * cell:0.#}\" fill=\"none\" stroke=\"#999\"/>\n");
        // The colour legend, below the matrix and outside it.
        const double BarWidth = 240;
        svg.Append(Inv, $"<g class=\"legend\"><rect x=\"{left:0.#}\" y=\"{legendTop:0.#}\" width=\"{BarWidth}\" height=\"12\" fill=\"url(#scale)\" stroke=\"#999\"/>")
            .Append(Inv, $"<text x=\"{left:0.#}\" y=\"{legendTop + 26:0.#}\" text-anchor=\"start\">{lo:0.0000}</text>")
            .Append(Inv, $"<text x=\"{left + BarWidth:0.#}\" y=\"{legendTop + 26:0.#}\" text-anchor=\"end\">{hi:0.0000}</text>")
            .Append(Inv, $"<text x=\"{left:0.#}\" y=\"{legendTop + 46:0.#}\" text-anchor=\"start\">mean distance (darker = closer)</text>");
        if (unknown)
        {
            svg.Append(Inv, $"<rect x=\"{left + BarWidth + 24:0.#}\" y=\"{legendTop:0.#}\" width=\"12\" height=\"12\" fill=\"url(#unknown)\" stroke=\"#999\"/>")
                .Append(Inv, $"<text x=\"{left + BarWidth + 42:0.#}\" y=\"{legendTop + 10:0.#}\">unknown</text>");
        }

        svg.Append("</g>\n</svg>");
        return svg.ToString();
    }

    /// <summary>The viridis colour map at t ∈ [0, 1] (dark purple to yellow): perceptually even, readable in grey and by most colour-blind readers.</summary>
    private static string Viridis(double t)
    {
        ReadOnlySpan<(int R, int G, int B)> stops = [(68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98), (253, 231, 37)];
        t = Math.Clamp(double.IsFinite(t) ? t : 0, 0, 1) * (stops.Length - 1);
        int k = Math.Min((int)t, stops.Length - 2);
        double f = t - k;
        int Mix(int a, int b) => (int)Math.Round(a + ((b - a) * f));
        return string.Create(Inv, $"#{Mix(stops[k].R, stops[k + 1].R):x2}{Mix(stops[k].G, stops[k + 1].G):x2}{Mix(stops[k].B, stops[k + 1].B):x2}");
    }

    private static string VariantText(ProvenanceResult r) => r.Variant == ProvenanceVariant.Robust
        ? $"robust ({EnumIds.ToId(r.Background ?? RobustBackground.Clustered)} calibration, the real-pool method)"
        : "faithful";

    private static string Distinct(IEnumerable<string> values)
    {
        var list = values.Distinct(StringComparer.Ordinal).ToList();
        return list.Count == 0 ? "(none)" : string.Join("; ", list);
    }

    private static string E(string text) => ReportHtml.E(text);

    private const string ExtraCss = """

        .scroll { overflow-x: auto; }
        svg.lineage text { font-size: 13px; fill: #1d1d1f; }
        svg.lineage text.edge-label { font-size: 11px; fill: #333; }
        svg.lineage g.mutual text.edge-label { fill: #5b2c6f; }
        svg.heatmap text { font-size: 12px; fill: #1d1d1f; }
        table.sets th { cursor: pointer; user-select: none; white-space: nowrap; }
        table.sets th[aria-sort="ascending"]::after { content: " \25B2"; }
        table.sets th[aria-sort="descending"]::after { content: " \25BC"; }
        table.sets td:nth-child(3), table.sets td:nth-child(4) { text-align: right; }
        table.sets .warning { margin: 4px 0 0; font-size: 13px; }
        table.sets ul { margin: 4px 0 0; padding-left: 18px; font-size: 13px; color: #555; }
        .joint { padding: 10px 14px; background: #eef4fb; border-left: 4px solid #2e86c1; }
        .empty { color: #888; }
        """;

    // Sorts a table by the clicked header (again: the other way), numbers as numbers; the sort is stable.
    private const string SortScript = """

        for (const table of document.querySelectorAll('table.sortable')) {
          const headers = [...table.tHead.rows[0].cells];
          headers.forEach((th, column) => {
            th.tabIndex = 0;
            const sort = () => {
              const ascending = th.getAttribute('aria-sort') !== 'ascending';
              headers.forEach(h => h.removeAttribute('aria-sort'));
              th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
              const numeric = th.dataset.sort === 'number';
              const key = row => { const cell = row.cells[column]; const v = cell.dataset.value ?? cell.textContent; return numeric ? parseFloat(v) : v; };
              const body = table.tBodies[0];
              const rows = [...body.rows].sort((a, b) => {
                const x = key(a), y = key(b);
                const c = numeric ? x - y : x.localeCompare(y, 'en', { numeric: true });
                return ascending ? c : -c;
              });
              for (const row of rows) body.appendChild(row);
            };
            th.addEventListener('click', sort);
            th.addEventListener('keydown', e => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); sort(); } });
          });
        }

        """;
}
