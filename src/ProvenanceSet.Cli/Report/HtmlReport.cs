using System.Globalization;
using System.Text;
using ProvenanceSet.Cli.Results;

namespace ProvenanceSet.Cli.Report;

/// <summary>
/// One self-contained HTML file that an auditor can hand over: the question, the answer, the
/// evidence (plots of every candidate, every step's null distribution, the p-value path), the
/// diagnostics and the command that reproduces it. Inline CSS and SVG only: it opens offline.
/// </summary>
internal static class HtmlReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>One page for one or more results (several matrices of one `mps test` run), in order.</summary>
    public static string Build(IReadOnlyList<(ProvenanceResult Result, ReportContext Context)> reports)
    {
        var html = new StringBuilder();
        string title = reports.Count == 1 ? reports[0].Context.Title : $"{reports.Count} provenance sets";
        ReportHtml.Open(html, title);
        for (int k = 0; k < reports.Count; k++)
        {
            var (result, context) = reports[k];
            html.Append(Inv, $"<article id=\"result-{k + 1}\">\n<h1>{E(context.Title)}</h1>\n").Append(ReportHtml.Lead(context.Run, "Model Provenance Set report"));
            Question(html, result, context);
            Answer(html, result);
            Evidence(html, result);
            Diagnostics(html, result);
            ReportHtml.Provenance(html, context.Inputs, context.Run, "No input file: the distances were simulated from the seed.");
            ReportHtml.Reproduce(html, context.Inputs, context.Run);
            html.Append("</article>\n");
        }

        html.Append("</main>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static void Question(StringBuilder html, ProvenanceResult result, ReportContext context)
    {
        html.Append("<section class=\"question\">\n<h2>The question</h2>\n");
        string target = result.TargetName is null ? "the target model" : $"<strong>{E(result.TargetName)}</strong>";
        html.Append(Inv, $"<p>Which of these {result.Candidates.Count} candidate models was {target} derived from? ");
        html.Append("The procedure tests, step by step, whether the closest remaining candidate is distinguishably closer to the target than the others, and moves it into the set while the test rejects.</p>\n");
        html.Append("<table class=\"facts\">\n");
        Row(html, "Target", result.TargetName ?? "(not named)");
        Row(html, "Candidates", $"{result.Candidates.Count}: {string.Join(", ", result.Candidates.Select(c => c.Name))}");
        Row(html, "Prompts", result.GroupCount == result.PromptCount
            ? result.PromptCount.ToString(Inv)
            : string.Create(Inv, $"{result.PromptCount} in {result.GroupCount} groups (permuted together)"));
        Row(html, "Distances", context.Source + (result.Distance is null ? "" : $" ({result.Distance})"));
        Row(html, "Variant", result.Variant == ProvenanceVariant.Robust
            ? $"robust ({EnumIds.ToId(result.Background ?? RobustBackground.Clustered)} calibration): does the closest candidate stand out from the spread of the others?"
            : "faithful: are all remaining candidates equally far from the target?");
        Row(html, "Significance level alpha", result.Alpha.ToString(Inv));
        Row(html, result.Exact ? "Relabellings" : result.Variant == ProvenanceVariant.Robust ? "Simulation rounds R" : "Permutation rounds R",
            result.Exact ? "all (exact)" : result.Permutations.ToString(Inv));
        Row(html, "Seed", result.Seed.ToString(Inv));
        html.Append("</table>\n</section>\n");
    }

    private static void Answer(StringBuilder html, ProvenanceResult result)
    {
        html.Append("<section class=\"answer\">\n<h2>The answer</h2>\n");
        if (result.Set.Count == 0)
        {
            html.Append(Inv, $"<p class=\"verdict\">The provenance set is <strong>empty</strong>: no candidate is distinguishably closer to the target than the others at alpha = {result.Alpha}.</p>\n");
        }
        else
        {
            html.Append(Inv, $"<p class=\"verdict\">The provenance set holds <strong>{result.Set.Count} of {result.Candidates.Count}</strong> candidates: ");
            html.Append(string.Join(", ", result.Set.Select(n => $"<strong class=\"member\">{E(n)}</strong>")));
            html.Append(".</p>\n");
        }

        if (Guarantee.Warning(result) is string warning)
        {
            html.Append(Inv, $"<p class=\"warning\">{E(warning)}</p>\n");
        }
        else if (result.Set.Count > 0)
        {
            html.Append(Inv, $"<p class=\"guarantee\">{E(Guarantee.Statement(result))}</p>\n");
        }

        if (result.Assumptions.Count > 0)
        {
            html.Append("<h3>Assumptions checked on this data</h3>\n<ul class=\"assumptions\">\n");
            foreach (var check in result.Assumptions)
            {
                html.Append(Inv, $"<li class=\"{(check.Holds ? "holds" : "fails")}\"><strong>{E(check.Name)}</strong>: {(check.Holds ? "holds" : "does not hold")}. {E(check.Detail)}</li>\n");
            }

            html.Append("</ul>\n");
        }

        html.Append("<table class=\"results\">\n<thead><tr><th>rank</th><th>candidate</th><th>mean distance</th><th>")
            .Append(result.Variant == ProvenanceVariant.Robust ? "z" : "t")
            .Append(" (first step)</th><th>p</th><th>p&#771; (inclusion)</th><th>NI-Score</th><th>in set</th></tr></thead>\n<tbody>\n");
        var pByCandidate = result.Steps.ToDictionary(s => s.CandidateIndex, s => s.PValue);
        var ordered = result.Candidates.OrderBy(c => c.SetRank ?? int.MaxValue).ThenBy(c => c.InclusionPValue).ThenBy(c => c.MeanDistance).ToList();
        for (int i = 0; i < ordered.Count; i++)
        {
            var c = ordered[i];
            html.Append(Inv, $"<tr class=\"{(c.InSet ? "in" : "out")}\"><td>{i + 1}</td><td>{E(c.Name)}</td><td>{c.MeanDistance:0.0000}</td><td>{Number(c.FirstStepStatistic)}</td>");
            html.Append(Inv, $"<td>{(pByCandidate.TryGetValue(c.Index, out double p) ? p.ToString("0.0000", Inv) : "&ndash;")}</td><td>{c.InclusionPValue:0.0000}</td><td>{c.NiScore:0.0000}</td><td>{(c.InSet ? "yes" : "no")}</td></tr>\n");
        }

        html.Append("</tbody>\n</table>\n");
        html.Append("<p class=\"note\">p&#771; is the running maximum of the p-values up to the step that tested the candidate (1 when never tested); NI-Score = 1 &minus; p&#771;, the highest confidence level at which the candidate is in the set.</p>\n");
        html.Append("</section>\n");
    }

    private static void Evidence(StringBuilder html, ProvenanceResult result)
    {
        html.Append("<section class=\"evidence\">\n<h2>The evidence</h2>\n");
        html.Append("<figure class=\"plot distances\">").Append(ReportPlots.MeanDistances(result))
            .Append("<figcaption>Every candidate's mean distance to the target; the set in red.</figcaption></figure>\n");
        html.Append("<figure class=\"plot pvalues\">").Append(ReportPlots.PValuePath(result))
            .Append(Inv, $"<figcaption>Each step's p-value and its running maximum p&#771; against alpha = {result.Alpha}: a candidate enters the set while p&#771; &le; alpha.</figcaption></figure>\n");
        html.Append("<h3>Steps</h3>\n<table class=\"steps\">\n<thead><tr><th>step</th><th>candidate tested</th><th>m</th><th>")
            .Append(ReportPlots.Label(result.Variant))
            .Append("</th><th>p</th><th>p&#771;</th><th>rounds</th><th>in set</th></tr></thead>\n<tbody>\n");
        foreach (var s in result.Steps)
        {
            html.Append(Inv, $"<tr class=\"{(s.Included ? "in" : "out")}\"><td>{s.Index + 1}</td><td>{E(s.Candidate)}</td><td>{s.ActiveCount}</td><td>{Number(s.Statistic)}</td><td>{s.PValue:0.0000}</td><td>{s.PValueMonotone:0.0000}</td><td>{s.PermutationsRun}</td><td>{(s.Included ? "yes" : "no")}</td></tr>\n");
        }

        html.Append("</tbody>\n</table>\n");
        html.Append(result.Variant == ProvenanceVariant.Robust
            ? "<p>Each step's null: the same statistic on m independent draws from the background distribution; the observed value is marked.</p>\n"
            : "<p>Each step's null: the statistic after relabelling every prompt's distances across the active candidates at random; the observed value is marked.</p>\n");
        html.Append("<div class=\"grid\">\n");
        foreach (var s in result.Steps)
        {
            html.Append("<figure class=\"plot null\">").Append(ReportPlots.NullDistribution(s, result.Variant))
                .Append(Inv, $"<figcaption>Step {s.Index + 1}: {E(s.Candidate)} (m = {s.ActiveCount}), p = {s.PValue:0.0000}.</figcaption></figure>\n");
        }

        html.Append("</div>\n</section>\n");
    }

    private static void Diagnostics(StringBuilder html, ProvenanceResult result)
    {
        html.Append("<section class=\"diagnostics\">\n<h2>Diagnostics</h2>\n");
        html.Append(Inv, $"<p>Stopping reason: {E(StoppingText(result))}</p>\n");
        if (result.Diagnostics.Count == 0)
        {
            html.Append("<p>None: the data raised no warning.</p>\n");
        }
        else
        {
            html.Append("<ul>\n");
            foreach (string d in result.Diagnostics)
            {
                html.Append("<li>").Append(E(d)).Append("</li>\n");
            }

            html.Append("</ul>\n");
        }

        html.Append("</section>\n");
    }

    private static string StoppingText(ProvenanceResult result) => ReportHtml.StoppingText(result);

    private static void Row(StringBuilder html, string name, string value) => ReportHtml.Row(html, name, value);

    private static string Number(double value) =>
        double.IsFinite(value) ? value.ToString("0.000", Inv) : value > 0 ? "+&infin;" : "&minus;&infin;";

    private static string E(string text) => ReportHtml.E(text);
}
