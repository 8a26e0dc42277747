using System.Globalization;

namespace ModelProvenance.Cli.Output;

/// <summary>The human-readable answer: the set in words, the step table, the stopping reason, diagnostics.</summary>
internal static class TextReport
{
    public static void Write(TextWriter w, ProvenanceResult result, string title)
    {
        var inv = CultureInfo.InvariantCulture;
        w.WriteLine(title);
        string settings = result.Exact
            ? string.Create(inv, $"alpha = {result.Alpha}, exact relabellings, {result.PromptCount} prompts")
            : string.Create(inv, $"alpha = {result.Alpha}, {result.Permutations} permutations, seed {result.Seed}, {result.PromptCount} prompts");
        if (result.GroupCount != result.PromptCount)
        {
            settings += string.Create(inv, $" in {result.GroupCount} groups");
        }

        w.WriteLine($"  {settings}, variant {ProvenanceJson.VariantId(result.Variant)}");
        w.WriteLine(result.Set.Count == 0
            ? "  Provenance set: empty (no candidate is distinguishably closer to the target than the others)"
            : string.Create(inv, $"  Provenance set ({result.Set.Count} of {result.Candidates.Count}): {string.Join(", ", result.Set)}"));
        w.WriteLine();

        int nameWidth = Math.Max(9, result.Steps.Count == 0 ? 0 : result.Steps.Max(s => s.Candidate.Length));
        w.WriteLine($"  {"step",4}  {"candidate".PadRight(nameWidth)}  {"m",4}  {"T",10}  {"p",8}  {"p~",8}  {"rounds",8}  in set");
        foreach (var s in result.Steps)
        {
            w.WriteLine(string.Create(inv,
                $"  {s.Index + 1,4}  {s.Candidate.PadRight(nameWidth)}  {s.ActiveCount,4}  {Format(s.TStatistic),10}  {s.PValue,8:0.0000}  {s.PValueMonotone,8:0.0000}  {s.PermutationsRun,8}  {(s.Included ? "yes" : "no")}"));
        }

        w.WriteLine();
        w.WriteLine("  " + Stopped(result));
        foreach (string d in result.Diagnostics)
        {
            w.WriteLine($"  note: {d}");
        }
    }

    private static string Stopped(ProvenanceResult result)
    {
        var inv = CultureInfo.InvariantCulture;
        return result.StoppingReason switch
        {
            StoppingReason.NotRejected => string.Create(inv,
                $"Stopped at step {result.Steps.Count}: p~ = {result.Steps[^1].PValueMonotone:0.0000} > alpha, the remaining candidates are indistinguishable."),
            StoppingReason.OneCandidateLeft => "Stopped: every test rejected until one candidate was left.",
            _ => string.Create(inv, $"Full path: every candidate has an inclusion p-value; the set is every candidate with p~ <= {result.Alpha}."),
        };
    }

    private static string Format(double t) => double.IsFinite(t) ? t.ToString("0.000", CultureInfo.InvariantCulture) : t > 0 ? "+inf" : "-inf";
}
