using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using ProvenanceSet.Cli.Report;
using ProvenanceSet.Cli.Results;
using ProvenanceSet.Cli.Terminal;
using ProvenanceSet.Outputs;
using ProvenanceSet.Screening;
using Spectre.Console;

namespace ProvenanceSet.Cli.Commands;

/// <summary><c>mps screen --outputs FILE.jsonl</c>: every model audited against the rest of the pool, from one set of fingerprints.</summary>
internal static partial class ScreenCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var fingerprint = new FingerprintOptions();
        var targets = new Option<string?>("--targets")
        {
            Description = "Comma-separated models to audit (default: every model in the outputs), audited in order of first appearance.",
            HelpName = "A,B,...",
        };
        var pool = new Option<string?>("--pool")
        {
            Description = "Comma-separated candidate models (default: every model); each target's candidates are the pool minus the target.",
            HelpName = "A,B,...",
        };
        var shard = new Option<string?>("--shard")
        {
            Description = "Screen only shard K of N: every N-th target starting with the K-th (K from 1). 'mps merge' joins the shards' JSON into what one run writes.",
            HelpName = "K/N",
        };
        var familyAlpha = new Option<double?>("--family-alpha")
        {
            Description = "Bonferroni: use alpha = FAMILY-ALPHA / (number of targets) per target, so that the chance of any false inclusion over all targets "
                + "is at most FAMILY-ALPHA (under each target's assumptions). Instead of --alpha.",
            HelpName = "FAMILY-ALPHA",
        };
        var report = new Option<string?>("--report")
        {
            Description = "Also write a self-contained HTML report: the lineage graph, every target's set in a sortable table, a clustered heat map of the distances.",
            HelpName = "FILE.html",
        };
        var dot = new Option<string?>("--dot") { Description = "Also write the lineage graph as Graphviz DOT (dot -Tsvg FILE.dot > graph.svg).", HelpName = "FILE.dot" };
        var shared = new SharedOptions(ProvenanceVariant.Robust);
        var cacheOptions = new CacheOptions();
        var command = new Command("screen", "Screen a pool: audit every model (or --targets) against the other models of the pool (or --pool), "
            + "fingerprinting each output once. Each target's set is the one 'mps audit' gives for it with the same options; "
            + "the guarantee is per target, not joint over all targets (see --family-alpha).\n\n"
            + "Examples:\n  mps screen --outputs outputs.jsonl --json screen.json\n"
            + "  mps screen --outputs outputs.jsonl --targets model-a,model-b --family-alpha 0.05\n"
            + "  mps screen --outputs outputs.jsonl --distance semantic --cache ~/mps-cache --report screen.html --dot lineage.dot\n"
            + "  mps screen --outputs outputs.jsonl --shard 2/8 --json shard2.json   (then: mps merge shard*.json --json all.json)");
        fingerprint.AddTo(command, targets, pool, shard, familyAlpha, report, dot);
        cacheOptions.AddTo(command);
        shared.AddTo(command);
        command.SetAction(parsed =>
        {
            shared.ValidateEarly(parsed);
            cacheOptions.ValidateEarly(parsed);
            string[] files = fingerprint.Validate(parsed);
            var (shardIndex, shardCount) = ParseShard(parsed.GetValue(shard));
            if (parsed.GetValue(shared.Groups) is not null)
            {
                throw new UsageException("--groups: screen does not take prompt groups (each target aligns its own prompts); audit such targets one by one.");
            }

            double? family = parsed.GetValue(familyAlpha);
            if (family is not null && parsed.GetResult(shared.Alpha) is { Implicit: false })
            {
                throw new UsageException("--alpha and --family-alpha both given: --family-alpha sets each target's alpha; give one of them.");
            }

            if (family is double f && !(f > 0 && f < 1))
            {
                throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"--family-alpha must lie strictly between 0 and 1, got {f}."));
            }

            string? json = parsed.GetValue(shared.Json);
            bool quiet = parsed.GetValue(shared.Quiet);
            using var resultFiles = ResultFiles.Plan(
                [.. files.Select(file => new NamedPath("--outputs", file))],
                [new NamedPath("--json", json, "result JSON"), new NamedPath("--report", parsed.GetValue(report), "report"), new NamedPath("--dot", parsed.GetValue(dot), "lineage graph")],
                output, quiet ? null : error);
            var console = HumanOutput.Console(output, error, json, quiet);
            using var cache = cacheOptions.Open(parsed);
            using var provider = fingerprint.CreateProvider(parsed, cache);
            var inputs = InputFile.ReadAll([.. files.Select(file => ("--outputs", (string?)file))]);
            var records = ModelOutputReader.ReadJsonLines(files);

            // The models in order of first appearance: the order of the targets, whatever order --targets names them in.
            var models = new List<string>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var record in records)
            {
                if (seen.Add(record.Model))
                {
                    models.Add(record.Model);
                }
            }

            var named = Names(parsed.GetValue(targets), "--targets", seen, models);
            var poolNames = Names(parsed.GetValue(pool), "--pool", seen, models);
            var allTargets = named is null ? models : [.. models.Where(named.Contains)];
            var shardTargets = allTargets.Where((_, k) => k % shardCount == shardIndex - 1).ToList();
            if (shardTargets.Count == 0)
            {
                throw new UsageException($"--shard {shardIndex}/{shardCount}: this shard has no targets ({allTargets.Count} targets in all); use fewer shards.");
            }

            var options = shared.Resolve(parsed, []);
            if (family is double familyLevel)
            {
                options = options with { Alpha = familyLevel / allTargets.Count };
            }

            var request = new PoolRequest
            {
                Targets = shardTargets,
                Pool = poolNames is null ? null : [.. models.Where(poolNames.Contains)],
                Normalize = parsed.GetValue(fingerprint.Normalize),
                MaxPrompts = parsed.GetValue(fingerprint.MaxPrompts),
                MissingPrompts = fingerprint.MissingPolicy(parsed),
                MaxDegreeOfParallelism = parsed.GetValue(shared.Threads),
            };
            if (provider.Provider is not IPoolDistanceProvider poolProvider)
            {
                throw new InvalidOperationException($"The distance provider {provider.Provider.Name} cannot compute a pool's distances.");
            }

            var screen = shared.CreateProgress(parsed, output, error, "mps screen").Run(sinks =>
                ProvenanceScreen.RunAsync(records, poolProvider, request, options, sinks.Screen).GetAwaiter().GetResult());

            WriteSummary(console, screen, options, family, allTargets.Count, shardIndex, shardCount);
            CacheOptions.Report(HumanOutput.Writer(output, error, json, quiet), error, cache, screen.Distances.Fingerprints, quiet);
            var run = RunRecord.Current;
            var screened = new HashSet<string>(screen.Distances.Models, StringComparer.Ordinal);
            string[] screenedModels = [.. models.Where(screened.Contains)];
            var indexOf = allTargets.Select((t, k) => (t, k)).ToDictionary(x => x.t, x => x.k, StringComparer.Ordinal);

            // Each target's mean distance to every other model, computed once (and only when an output needs it)
            // for the JSON's rows and the report's symmetric matrix.
            var directional = new Lazy<double[,]>(() => Directional(screenedModels, screen.Distances));
            resultFiles.Add("--json", () => ResultJson.SerializeScreen(
                [.. screen.Targets.Select(t =>
                {
                    int row = Array.IndexOf(screenedModels, t.Target);
                    return new ScreenJsonEntry(t.Target, indexOf[t.Target], allTargets.Count, t.Result,
                        [.. screenedModels.Select((m, j) => (m, directional.Value[row, j])).Where(x => x.m != t.Target)], family);
                })],
                inputs, run));
            var data = new Lazy<ScreenReportData>(() => new ScreenReportData(
                screenedModels,
                [.. screen.Targets.Select(t => new Report.ScreenTarget(t.Target, t.Result))],
                Symmetric(directional.Value),
                poolProvider.Name,
                options.Alpha,
                family,
                run,
                inputs));
            resultFiles.Add("--report", () => ScreenReport.Build(data.Value));
            resultFiles.Add("--dot", () => LineageDot.Write(data.Value));
            resultFiles.Commit();
            return MpsCommandLine.Success;
        });
        return command;
    }

    /// <summary>Each model's mean raw distance to every other, over its own prompts when it is a target (row = from).</summary>
    private static double[,] Directional(string[] models, PoolDistances distances)
    {
        var means = new double[models.Length, models.Length];
        for (int i = 0; i < models.Length; i++)
        {
            for (int j = 0; j < models.Length; j++)
            {
                means[i, j] = distances.MeanDistance(models[i], models[j]);
            }
        }

        return means;
    }

    /// <summary>Every pair's mean raw distance, symmetric: the average of both directions' means (one alone when the other is unknown).</summary>
    private static double[,] Symmetric(double[,] directional)
    {
        int m = directional.GetLength(0);
        var means = new double[m, m];
        for (int i = 0; i < m; i++)
        {
            for (int j = i + 1; j < m; j++)
            {
                double ij = directional[i, j], ji = directional[j, i];
                means[i, j] = means[j, i] = double.IsNaN(ij) ? ji : double.IsNaN(ji) ? ij : (ij + ji) / 2;
            }
        }

        return means;
    }

    private static (int Index, int Count) ParseShard(string? text)
    {
        if (text is null)
        {
            return (1, 1);
        }

        var match = ShardPattern().Match(text);
        if (!match.Success || !int.TryParse(match.Groups[1].Value, CultureInfo.InvariantCulture, out int k) || !int.TryParse(match.Groups[2].Value, CultureInfo.InvariantCulture, out int n)
            || n < 1 || k < 1 || k > n)
        {
            throw new UsageException($"--shard must be K/N with 1 <= K <= N (e.g. 2/8), got '{text}'.");
        }

        return (k, n);
    }

    private static HashSet<string>? Names(string? list, string option, HashSet<string> present, List<string> models)
    {
        if (list is null)
        {
            return null;
        }

        string[] names = list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (names.Length == 0)
        {
            throw new UsageException($"{option} names no model.");
        }

        foreach (string name in names)
        {
            if (!present.Contains(name))
            {
                string known = string.Join(", ", models.Take(20).Select(m => $"'{m}'")) + (models.Count > 20 ? $" and {models.Count - 20} more" : string.Empty);
                throw new UsageException($"{option}: the outputs have no model '{name}'; models present: {known}.");
            }
        }

        var set = new HashSet<string>(names, StringComparer.Ordinal);
        if (set.Count != names.Length)
        {
            throw new UsageException($"{option} names a model twice.");
        }

        return set;
    }

    private static void WriteSummary(IAnsiConsole console, ScreenResult screen, ProvenanceOptions options, double? family, int allTargets, int shardIndex, int shardCount)
    {
        var first = screen.Targets[0].Result;
        console.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"Screen of {screen.Targets.Count} target(s){(shardCount > 1 ? $" (shard {shardIndex}/{shardCount} of {allTargets})" : string.Empty)} against a pool of {screen.Distances.Models.Count} models, distance {first.Distance}")));
        console.MarkupLine($"  [grey]{Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"alpha = {options.Alpha:G4} per target{(family is double f ? $" (family alpha {f} / {allTargets} targets, Bonferroni)" : string.Empty)}, {options.Permutations} permutations, seed {options.Seed}, variant {EnumIds.ToId(options.Variant)}"))}[/]");
        console.MarkupLine($"  [grey]{Markup.Escape(Guarantee.Statement(first) + " Per target: not a joint guarantee over all targets" + (family is null ? " (--family-alpha gives one)." : "; the Bonferroni alpha bounds the chance of any false inclusion over all of them."))}[/]");
        console.WriteLine();
        foreach (var t in screen.Targets)
        {
            string set = t.Result.Set.Count == 0 ? "empty" : string.Join(", ", t.Result.Set);
            string warning = Guarantee.Warning(t.Result) is string w ? $"  [yellow]{Markup.Escape(w)}[/]" : string.Empty;
            console.MarkupLine($"  [bold]{Markup.Escape(t.Target)}[/] <- {(t.Result.Set.Count == 0 ? "[grey]empty[/]" : $"[bold red]{Markup.Escape(set)}[/]")}{warning}");
        }
    }

    [GeneratedRegex(@"^\s*(\d+)\s*/\s*(\d+)\s*$")]
    private static partial Regex ShardPattern();
}
