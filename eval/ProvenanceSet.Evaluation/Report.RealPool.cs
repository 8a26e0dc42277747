using System.Text;
using ProvenanceSet.Evaluation.Battery;
using ProvenanceSet.Evaluation.Zoo;

namespace ProvenanceSet.Evaluation;

/// <summary>The sections on the real-pool method: what it is, the battery, the zoo and the limits.</summary>
internal static partial class Report
{
    private static void RealPoolMethod(StringBuilder md)
    {
        md.AppendLine("""
            ## The real-pool method and what alpha controls

            **Why.** The faithful procedure tests "all remaining candidates are equally far from the target". On real pools that is false among unrelated models too (style, length, tokenizer and decoding move each model's mean distance), so the test keeps rejecting and the set fills with unrelated models: a false accusation "at 95 % confidence". The faithful variant now checks this assumption on the data (`equidistant-background`, below) and replaces its confidence statement with a warning when it fails.

            **What the real-pool method tests** (`--variant robust`; `RobustBackground.Clustered`, the default calibration). At each step, with m candidates left, it asks whether the closest candidate *stands out from the background of the others*. The statistic is a z-score of the lowest mean distance against the others without their lowest eighth (where further sources sit): z = (x₍₁₎ − mean(B)) / sd(B). Its null is simulated from a model of the background fitted to the data:

            1. **Groups.** Candidates whose mean distances the data cannot tell apart (every two members within one standard error of their difference, complete linkage along the sorted means) form a group. A model family, a vendor's line or fine-tunes of one base often look like that; they share one group effect, so a pool of four families counts as four draws, not twenty.
            2. **Effects and noise.** x_i = g(group of i) + o_i + η_i with group effects g ~ N(0, σ_g²), own effects o ~ N(0, σ_o²) (moment estimates from the groups; the lowest group is left out of σ_g, where a source would sit) and each candidate's own sampling noise η_i ~ N(0, v_i), v_i the squared standard error of its mean distance. Unequal noise (a model that writes erratically) is therefore in the null, not mistaken for closeness.
            3. **Exchangeable pools.** The step's p-value is the larger of the simulated one and the faithful permutation test's p-value on the same candidates (an intersection–union test). When the candidates are exchangeable, for instance every unrelated model equally far with discrete token distances, the permutation test is exact, so the step is too.
            4. **Too few groups.** With fewer than 4 groups there is no spread to estimate: nothing more can enter the set, and the result says so (`background-groups` check, stopping reason `too-few-background-groups`).

            The sequential exclusion and the running maximum of p are those of the faithful procedure.

            **What alpha controls.** For the faithful variant: every source is in the set with probability at least 1 − alpha, asymptotically, when the unrelated candidates are equally far from the target and the sources closer. For the real-pool method: a candidate that is only one more draw from the background of unrelated candidates enters the set with probability at most alpha (with no source in the pool, the set is non-empty with probability at most alpha; after the sources, an unrelated candidate follows with probability at most alpha). Whether the sources are found is a question of how far they stand out from that background: power, measured below, not a guarantee.

            **Assumptions, and which are checked on the user's data.** (1) The background of unrelated candidates is normal at the level of groups (checked: no; heavy tails break it, see *Limits*). (2) Groups are what the data can tell apart: families whose members differ by more than the noise count as several draws (measured: family/own effect ratios 1 to 20). (3) Sources are fewer than an eighth of the pool at the first step (not checkable). (4) Enough groups to estimate a spread (checked: `background-groups`). (5) Prompts independent, or grouped with `--groups` for the permutation part.

            """);
    }

    private static void BatterySection(StringBuilder md, List<BatteryRow> rows, List<SeparabilityRow> separability, EvaluationOptions options)
    {
        md.AppendLine("## (a) The false-accusation battery");
        md.AppendLine();
        md.AppendLine(Inv, $"Distance-level designs, each built to break an assumption of some method. Unless a design says otherwise, L[i, t] = 0.6 + offset_i + b_t + ε[i, t] with prompt effects b ~ N(0, 0.05²), noise ε ~ N(0, 0.12²), m = 20 candidates and N = 200 prompts; {rows.FirstOrDefault()?.Repetitions ?? 0} pools per design, every method on the same pools, alpha = {BatteryStudy.Alpha}. ± is one binomial standard error. The target for a claimed design: false inclusion at most alpha + 3 binomial standard errors of alpha ({BatteryStudy.Alpha + (3 * Math.Sqrt(BatteryStudy.Alpha * (1 - BatteryStudy.Alpha) / Math.Max(1, rows.FirstOrDefault()?.Repetitions ?? 1))):0.###} here). Rounds per step: {(options.Quick ? 199 : 999)} for the robust calibrations (and the permutation part of the default), {(options.Quick ? 99 : 199)} for the faithful procedure.");
        md.AppendLine();
        string[] methods = [.. rows.Select(r => r.Method).Distinct()];
        string[] main = [.. methods.Where(m => !m.StartsWith("ablation", StringComparison.Ordinal))];

        md.AppendLine("### No source in the pool: false inclusion (the share of pools whose set is not empty)");
        md.AppendLine();
        md.AppendLine("| design | claimed by the default | " + string.Join(" | ", main) + " |");
        md.AppendLine("|---|---|" + string.Concat(main.Select(_ => "---|")));
        foreach (var group in rows.Where(r => r.Design.Sources == 0).GroupBy(r => r.Design.Label))
        {
            var design = group.First().Design;
            md.Append(Inv, $"| {design.Label} | {(design.Claimed ? "yes" : "no, see Limits")} |");
            foreach (string m in main)
            {
                var r = group.Single(x => x.Method == m);
                string mark = m == BatteryStudy.DefaultLabel && design.Claimed ? (r.WithinLevel(BatteryStudy.Alpha) ? " ✓" : " **✗**") : "";
                md.Append(Inv, $" {r.FalseInclusion:0.000} ± {r.FalseInclusionError:0.000}{mark} |");
            }

            md.AppendLine();
        }

        md.AppendLine();
        md.AppendLine("### With sources: power (every source in the set) and false inclusion");
        md.AppendLine();
        md.AppendLine("The power target: with an i.i.d. normal background of 19 unrelated candidates and one source 4 background standard deviations closer (N = 250), the source is in the set in at least half the pools.");
        md.AppendLine();
        md.AppendLine("| design | " + string.Join(" | ", main.Select(m => $"{m}: power / false incl.")) + " |");
        md.AppendLine("|---|" + string.Concat(main.Select(_ => "---|")));
        foreach (var group in rows.Where(r => r.Design.Sources > 0).GroupBy(r => r.Design.Label))
        {
            md.Append(Inv, $"| {group.Key} |");
            foreach (string m in main)
            {
                var r = group.Single(x => x.Method == m);
                string mark = m == BatteryStudy.DefaultLabel && group.First().Design.Family == "power target" ? (r.Coverage >= 0.5 ? " ✓" : " **✗**") : "";
                md.Append(Inv, $" {r.Coverage:0.000} ± {r.CoverageError:0.000}{mark} / {r.FalseInclusion:0.000} |");
            }

            md.AppendLine();
        }

        md.AppendLine();
        string[] ablations = [.. methods.Where(m => m.StartsWith("ablation", StringComparison.Ordinal))];
        if (ablations.Length > 0)
        {
            md.AppendLine("### Ablations: each component alone, and the alternatives the default was chosen over");
            md.AppendLine();
            md.AppendLine("*Normal calibration, eighth trim*: the earlier calibration (i.i.d. normal means) with the default's background (the others without their lowest eighth instead of a quarter); a quarter trims exactly the four siblings of a family of five, which is what made the earlier method accuse families. *Clustered null without the permutation test*: the default minus its intersection with the permutation test. *Random-effects z, i.i.d. null*: per-candidate standard errors in the statistic, z_i = (x_i − mean(B)) / sqrt(τ² + v_i), with an i.i.d. normal background and each candidate's own noise, no groups. *Robust z, permutation null*: the z-score calibrated by permuting each prompt's values across candidates (exact when candidates are exchangeable; a heterogeneous background makes every pool look significant). The *t4 calibration* (main table) is the heavier-tailed calibration of the earlier method. Power (first number) and false inclusion (second); for designs without sources, false inclusion alone.");
            md.AppendLine();
            md.AppendLine("| design | " + string.Join(" | ", ablations.Select(a => a["ablation: ".Length..])) + " | " + BatteryStudy.DefaultLabel + " |");
            md.AppendLine("|---|" + string.Concat(ablations.Select(_ => "---|")) + "---|");
            foreach (var group in rows.Where(r => r.Method.StartsWith("ablation", StringComparison.Ordinal)).GroupBy(r => r.Design.Label))
            {
                var all = rows.Where(r => r.Design.Label == group.Key).ToList();
                md.Append(Inv, $"| {group.Key} |");
                foreach (string m in ablations.Append(BatteryStudy.DefaultLabel))
                {
                    var r = all.Single(x => x.Method == m);
                    md.Append(r.Design.Sources > 0
                        ? string.Create(Inv, $" {r.Coverage:0.000} / {r.FalseInclusion:0.000} |")
                        : string.Create(Inv, $" {r.FalseInclusion:0.000} ± {r.FalseInclusionError:0.000} |"));
                }

                md.AppendLine();
            }

            md.AppendLine();
        }

        md.AppendLine("### Why heavy tails cannot be separated from sources on distances alone");
        md.AppendLine();
        md.AppendLine(Inv, $"The power target's source has a median robust z (the statistic of the first step) of z50. The table gives, for each background without any source, the share of pools whose lowest unrelated candidate has z ≤ z50: it stands out at least as far as a source that the power target asks to find half the time. A method that decides on how far the closest candidate stands out must accuse in about that share of pools, or miss the power target. ({separability.FirstOrDefault()?.Pools ?? 0} pools each.)");
        md.AppendLine();
        md.AppendLine("| background (no source) | share of pools with an unrelated candidate as far out as the median source |");
        md.AppendLine("|---|---|");
        foreach (var row in separability)
        {
            md.AppendLine(Inv, $"| {row.Design} | {row.Rate:0.000} |");
        }

        md.AppendLine();
        md.AppendLine("*Closer unrelated models* (three unrelated candidates systematically 0.06 closer): the pools are drawn from exactly the distribution of pools with three true sources 3 background standard deviations closer, so no method can include them less often than it finds such sources. At the output level, the model zoo's look-alike family (same style as the parent's vendor, no shared weights) is the same question with more information: there the pairwise normalisation of `mps audit` removes part of the shared style and about halves the false inclusions, but does not remove them (zoo table).");
        md.AppendLine();
    }

    private static void ZooSection(StringBuilder md, List<ZooRow> rows)
    {
        md.AppendLine("## (b) The model zoo: synthetic models with a known lineage, audited end to end");
        md.AppendLine();
        md.AppendLine(Inv, $"Every pool is written as an outputs file (JSON Lines with token ids, {ZooStudy.Prompts} prompts) and audited by the command line's own code (`mps audit --outputs FILE --target target --json ...`), so alignment, token distance, pairwise normalisation and variant are all in the loop; *defaults* means no other flag. The zoo: every prompt has a content (24 tokens of a Zipf vocabulary of {ModelZoo.Vocabulary}); five vendor families render it in their own style (a 3-token opening, their own choice of words for 20–50 % of the vocabulary, their own take on 20–40 % of the content); each family has three base models that change 20–40 % of the family's answer; a derived model copies a share of its parent's most likely answer (both parents' for a merge) and writes the rest in its family's style; every model samples its output, changing 5–60 % of the tokens (very different output entropies). The look-alike family writes in the parent vendor's style (same opening, same words) with no shared weights. *Sources* are the target's ancestors; *related* are the members of the sources' and the target's families (as in the real cases); everything else is *unrelated*. {rows.FirstOrDefault()?.Pools ?? 0} pools per design, alpha = 0.05.");
        md.AppendLine();
        md.AppendLine("Two ablations use what only outputs give, the candidates' distances to each other (edit distance over the first 20 tokens, like the default). *Groups from candidate-candidate distances*: candidates whose mean distance to each other is a low outlier among all candidate pairs (more than 3 MADs below the median pair) are linked, and the linked components are the groups of the clustered null (on the default's normalised distances; no permutation part). *Candidate-candidate reference*: every remaining candidate plays the target against the others; the target's robust z is compared with theirs, p = (1 + #{z_j ≤ z}) / (m + 1). Every candidate with relatives in the pool stands out too, so the reference is too wide to find anything: it is kept as the answer to why a reference built from pool members was not adopted.");
        md.AppendLine();
        md.AppendLine("| design | sources in the pool | configuration | every source in the set | some unrelated in the set | unrelated per pool | related per pool | mean set size |");
        md.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var r in rows)
        {
            md.AppendLine(Inv, $"| {r.Design} | {(r.SourcesInPool ? "yes" : "removed")} | {r.Method} | {(r.SourcesInPool ? $"{r.Coverage:0.000} ± {r.CoverageError:0.000}" : "-")} | {r.FalseInclusion:0.000} ± {r.FalseInclusionError:0.000} | {r.MeanUnrelated:0.00} | {r.MeanRelated:0.00} | {r.MeanSetSize:0.00} |");
        }

        md.AppendLine();
    }

    private static void Limits(StringBuilder md, List<BatteryRow> rows, List<ZooRow> zoo)
    {
        md.AppendLine("## Limits: what the default does not handle, measured");
        md.AppendLine();
        md.AppendLine("Designs of the battery that the default does not claim, with its false-inclusion rate on each, and why no method can do better on distances alone:");
        md.AppendLine();
        foreach (var r in rows.Where(r => !r.Design.Claimed && r.Method == BatteryStudy.DefaultLabel))
        {
            md.AppendLine(Inv, $"- **{r.Design.Label}**: false inclusion {r.FalseInclusion:0.000} ± {r.FalseInclusionError:0.000}. {r.Design.WhyNot}");
        }

        var missed = rows.Where(r => r.Design.Claimed && r.Design.Sources == 0 && r.Method == BatteryStudy.DefaultLabel && !r.WithinLevel(BatteryStudy.Alpha)).ToList();
        foreach (var r in missed)
        {
            md.AppendLine(Inv, $"- **{r.Design.Label}** (claimed, **target missed in this run**): false inclusion {r.FalseInclusion:0.000} ± {r.FalseInclusionError:0.000}.");
        }

        var weak = rows.Where(r => r.Design.Sources > 0 && r.Method == BatteryStudy.DefaultLabel && r.Coverage < 0.5).ToList();
        foreach (var r in weak)
        {
            md.AppendLine(Inv, $"- **{r.Design.Label}**: the sources are found in {r.Coverage:0.000} of the pools only.");
        }

        foreach (var r in zoo.Where(r => r.Method == ZooStudy.DefaultLabel && r.SourcesInPool && r.Coverage < 0.75))
        {
            md.AppendLine(Inv, $"- **Model zoo, {r.Design}**: every source is in the set in {r.Coverage:0.000} of the pools only. Relatives of a source (its family's other models, a grandparent's siblings) sit among the others and widen the background; the earlier calibration, which leaves out a quarter of the others, finds more sources here and accuses more elsewhere (tables above).");
        }

        foreach (var r in zoo.Where(r => r.Method == ZooStudy.DefaultLabel && r.FalseInclusion > BatteryStudy.Alpha + (3 * Math.Sqrt(BatteryStudy.Alpha * (1 - BatteryStudy.Alpha) / r.Pools))))
        {
            md.AppendLine(Inv, $"- **Model zoo, {r.Design}, sources {(r.SourcesInPool ? "in the pool" : "removed")}**: some unrelated model is in the set in {r.FalseInclusion:0.000} ± {r.FalseInclusionError:0.000} of the pools. A family that writes in the parent vendor's style is systematically closer to the target, which on distances is what a source looks like (see *closer unrelated models*).");
        }

        md.AppendLine("- **Families that the distances cannot tell apart from noise**: a group counts once only when its members' mean distances lie within one standard error of each other; a family whose members differ more counts as several draws (the family/own effect ratios of the battery show how much that costs).");
        md.AppendLine("- **Few groups**: with fewer than 4 groups the default includes nothing (`background-groups` does not hold). A pool of equidistant unrelated models plus a source, where the faithful procedure is exact, can be such a pool: use `--variant faithful` when its `equidistant-background` check holds.");
        md.AppendLine("- **Many sources**: the background leaves out the lowest eighth of the others; a pool with more sources than that at the first step inflates the background and can hide them.");
        md.AppendLine();
    }
}
