using System.Globalization;
using Spectre.Console;

namespace ModelProvenance.Cli.Output;

/// <summary>
/// The human-readable answer on the console: the set in words, a result table (rank, candidate, mean
/// distance, t, p, p̃, NI-Score, in set), the step table, the stopping reason and the diagnostics.
/// </summary>
internal static class ResultTables
{
    /// <summary>Candidates shown after the set members; the rest are in --json and --report.</summary>
    private const int ShownAfterSet = 5;

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static void Write(IAnsiConsole console, ProvenanceResult result, string title)
    {
        console.MarkupLine($"[bold]{Markup.Escape(title)}[/]");
        string settings = result.Exact
            ? string.Create(Inv, $"alpha = {result.Alpha}, exact relabellings, {result.PromptCount} prompts")
            : string.Create(Inv, $"alpha = {result.Alpha}, {result.Permutations} permutations, seed {result.Seed}, {result.PromptCount} prompts");
        if (result.GroupCount != result.PromptCount)
        {
            settings += string.Create(Inv, $" in {result.GroupCount} groups");
        }

        console.MarkupLine($"  [grey]{Markup.Escape($"{settings}, variant {ProvenanceJson.VariantId(result.Variant)}")}[/]");
        console.MarkupLine(result.Set.Count == 0
            ? "  Provenance set: [bold]empty[/] (no candidate is distinguishably closer to the target than the others)"
            : string.Create(Inv, $"  Provenance set ({result.Set.Count} of {result.Candidates.Count}): [bold red]{Markup.Escape(string.Join(", ", result.Set))}[/]"));
        if (Guarantee.Warning(result) is string warning)
        {
            console.MarkupLine($"  [bold yellow]{Markup.Escape(warning)}[/]");
        }
        else if (result.Set.Count > 0)
        {
            console.MarkupLine($"  [grey]{Markup.Escape(Guarantee.Statement(result))}[/]");
        }

        console.WriteLine();
        console.Write(Candidates(result));
        console.Write(Steps(result));
        console.WriteLine();
        console.MarkupLine("  " + Markup.Escape(Stopped(result)));
        foreach (var check in result.Assumptions)
        {
            console.MarkupLine(check.Holds
                ? $"  [green]assumption {Markup.Escape(check.Name)}: holds.[/] {Markup.Escape(check.Detail)}"
                : $"  [bold yellow]assumption {Markup.Escape(check.Name)}: does not hold.[/] {Markup.Escape(check.Detail)}");
        }

        foreach (string d in result.Diagnostics)
        {
            console.MarkupLine($"  [yellow]note:[/] {Markup.Escape(d)}");
        }
    }

    private static Table Candidates(ProvenanceResult result)
    {
        var table = NewTable("rank", "candidate", "mean distance", result.Variant == ProvenanceVariant.Robust ? "z" : "t", "p", "p~", "NI-Score", "in set");
        var pByCandidate = result.Steps.ToDictionary(s => s.CandidateIndex, s => s.PValue);
        var ordered = result.Candidates.OrderBy(c => c.SetRank ?? int.MaxValue).ThenBy(c => c.InclusionPValue).ThenBy(c => c.MeanDistance).ToList();
        int shown = Math.Min(ordered.Count, result.Set.Count + ShownAfterSet);
        for (int i = 0; i < shown; i++)
        {
            var c = ordered[i];
            string style = c.InSet ? "bold red" : "default";
            table.AddRow(
                new Markup((i + 1).ToString(Inv)),
                new Markup($"[{style}]{Markup.Escape(c.Name)}[/]"),
                new Markup(c.MeanDistance.ToString("0.0000", Inv)),
                new Markup(Number(c.TStatisticFirstStep)),
                new Markup(pByCandidate.TryGetValue(c.Index, out double p) ? p.ToString("0.0000", Inv) : "-"),
                new Markup(c.InclusionPValue.ToString("0.0000", Inv)),
                new Markup(c.NiScore.ToString("0.0000", Inv)),
                new Markup(c.InSet ? "[bold red]yes[/]" : "no"));
        }

        if (shown < ordered.Count)
        {
            table.Caption(string.Create(Inv, $"... and {ordered.Count - shown} more candidates (all of them in --json and --report)"));
        }

        return table;
    }

    private static Table Steps(ProvenanceResult result)
    {
        var table = NewTable("step", "candidate tested", "m", result.Variant == ProvenanceVariant.Robust ? "z" : "T", "p", "p~", "rounds", "in set");
        foreach (var s in result.Steps)
        {
            table.AddRow(
                new Markup((s.Index + 1).ToString(Inv)),
                new Markup(s.Included ? $"[bold red]{Markup.Escape(s.Candidate)}[/]" : Markup.Escape(s.Candidate)),
                new Markup(s.ActiveCount.ToString(Inv)),
                new Markup(Number(s.TStatistic)),
                new Markup(s.PValue.ToString("0.0000", Inv)),
                new Markup(s.PValueMonotone.ToString("0.0000", Inv)),
                new Markup(s.PermutationsRun.ToString(Inv)),
                new Markup(s.Included ? "[bold red]yes[/]" : "no"));
        }

        return table;
    }

    private static Table NewTable(params string[] headers)
    {
        var table = new Table { Border = TableBorder.Simple, ShowHeaders = true };
        foreach (string header in headers)
        {
            var column = new TableColumn(new Markup($"[bold]{Markup.Escape(header)}[/]"));
            if (header is not ("candidate" or "candidate tested" or "in set"))
            {
                column.RightAligned();
            }

            table.AddColumn(column);
        }

        return table;
    }

    private static string Stopped(ProvenanceResult result) => result.StoppingReason switch
    {
        StoppingReason.NotRejected => string.Create(Inv,
            $"Stopped at step {result.Steps.Count}: p~ = {result.Steps[^1].PValueMonotone:0.0000} > alpha, the remaining candidates are indistinguishable."),
        StoppingReason.OneCandidateLeft => "Stopped: every test rejected until one candidate was left.",
        StoppingReason.BackgroundTooSmall => "Stopped: too few candidates were left to estimate the background spread.",
        StoppingReason.TooFewBackgroundGroups => "Stopped: the remaining candidates form too few groups that the data can tell apart to estimate the background spread.",
        _ => string.Create(Inv, $"Full path: every candidate has an inclusion p-value; the set is every candidate with p~ <= {result.Alpha}."),
    };

    private static string Number(double t) => double.IsFinite(t) ? t.ToString("0.000", Inv) : t > 0 ? "+inf" : "-inf";
}
