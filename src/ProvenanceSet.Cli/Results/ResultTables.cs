using System.Globalization;
using Spectre.Console;

namespace ProvenanceSet.Cli.Results;

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

        console.MarkupLine($"  [grey]{Markup.Escape($"{settings}, variant {EnumIds.ToId(result.Variant)}")}[/]");
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
        Render(console, Candidates(result));
        Render(console, Steps(result));
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

    private static Rows Candidates(ProvenanceResult result)
    {
        var rows = new Rows(["rank", "candidate", "mean distance", result.Variant == ProvenanceVariant.Robust ? "z" : "t", "p", "p~", "NI-Score", "in set"], NameColumn: 1);
        var pByCandidate = result.Steps.ToDictionary(s => s.CandidateIndex, s => s.PValue);
        var ordered = result.Candidates.OrderBy(c => c.SetRank ?? int.MaxValue).ThenBy(c => c.InclusionPValue).ThenBy(c => c.MeanDistance).ToList();
        int shown = Math.Min(ordered.Count, result.Set.Count + ShownAfterSet);
        for (int i = 0; i < shown; i++)
        {
            var c = ordered[i];
            rows.Add(c.InSet,
                (i + 1).ToString(Inv),
                c.Name,
                c.MeanDistance.ToString("0.0000", Inv),
                Number(c.FirstStepStatistic),
                pByCandidate.TryGetValue(c.Index, out double p) ? p.ToString("0.0000", Inv) : "-",
                c.InclusionPValue.ToString("0.0000", Inv),
                c.NiScore.ToString("0.0000", Inv),
                c.InSet ? "yes" : "no");
        }

        return shown < ordered.Count
            ? rows with { Caption = string.Create(Inv, $"... and {ordered.Count - shown} more candidates (all of them in --json and --report)") }
            : rows;
    }

    private static Rows Steps(ProvenanceResult result)
    {
        var rows = new Rows(["step", "candidate tested", "m", result.Variant == ProvenanceVariant.Robust ? "z" : "T", "p", "p~", "rounds", "in set"], NameColumn: 1);
        foreach (var s in result.Steps)
        {
            rows.Add(s.Included,
                (s.Index + 1).ToString(Inv),
                s.Candidate,
                s.ActiveCount.ToString(Inv),
                Number(s.Statistic),
                s.PValue.ToString("0.0000", Inv),
                s.PValueMonotone.ToString("0.0000", Inv),
                s.PermutationsRun.ToString(Inv),
                s.Included ? "yes" : "no");
        }

        return rows;
    }

    /// <summary>
    /// A table when it fits the console; otherwise one record per row (the name on its own line, then the numbers),
    /// so that a narrow terminal never breaks a model's name in the middle.
    /// </summary>
    private static void Render(IAnsiConsole console, Rows rows)
    {
        // Simple border: one space of padding each side of a cell plus the column rule, and the table's margin.
        int natural = 2 + rows.Headers.Select((h, c) => rows.Cells.Select(r => r[c].Length).Append(h.Length).Max() + 3).Sum();
        if (natural <= console.Profile.Width)
        {
            console.Write(Table(rows));
            return;
        }

        console.MarkupLine($"  [bold]{Markup.Escape(rows.Headers[0])}  {Markup.Escape(rows.Headers[rows.NameColumn])}[/]");
        for (int r = 0; r < rows.Cells.Count; r++)
        {
            string[] cells = rows.Cells[r];
            string style = rows.Highlighted[r] ? "bold red" : "default";
            string inSet = rows.Highlighted[r] ? $"  [{style}]{Markup.Escape(rows.Headers[^1])}[/]" : string.Empty;
            console.MarkupLine($"  {Markup.Escape(cells[0])}  [{style}]{Markup.Escape(cells[rows.NameColumn])}[/]{inSet}");
            var numbers = Enumerable.Range(1, cells.Length - 2).Where(c => c != rows.NameColumn).Select(c => $"{rows.Headers[c]} {cells[c]}");
            console.MarkupLine($"     [grey]{Markup.Escape(string.Join("  ", numbers))}[/]");
        }

        if (rows.Caption is string caption)
        {
            console.MarkupLine($"  [grey]{Markup.Escape(caption)}[/]");
        }

        console.WriteLine();
    }

    private static Table Table(Rows rows)
    {
        var table = new Table { Border = TableBorder.Simple, ShowHeaders = true };
        for (int c = 0; c < rows.Headers.Count; c++)
        {
            var column = new TableColumn(new Markup($"[bold]{Markup.Escape(rows.Headers[c])}[/]"));
            if (c != rows.NameColumn && c != rows.Headers.Count - 1)
            {
                column.RightAligned();
            }

            table.AddColumn(column);
        }

        for (int r = 0; r < rows.Cells.Count; r++)
        {
            bool highlighted = rows.Highlighted[r];
            table.AddRow(rows.Cells[r].Select((cell, c) =>
                highlighted && (c == rows.NameColumn || c == rows.Headers.Count - 1)
                    ? new Markup($"[bold red]{Markup.Escape(cell)}[/]")
                    : new Markup(Markup.Escape(cell))));
        }

        if (rows.Caption is string caption)
        {
            table.Caption(caption);
        }

        return table;
    }

    /// <summary>A table's plain cells; <see cref="Highlighted"/> rows (set members) are shown in bold red.</summary>
    private sealed record Rows(IReadOnlyList<string> Headers, int NameColumn)
    {
        public List<string[]> Cells { get; } = [];

        public List<bool> Highlighted { get; } = [];

        public string? Caption { get; init; }

        public void Add(bool highlighted, params string[] cells)
        {
            Cells.Add(cells);
            Highlighted.Add(highlighted);
        }
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
