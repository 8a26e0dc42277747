using System.CommandLine;
using System.Text;
using ProvenanceSet.Cli.Results;
using ProvenanceSet.Collection;
using ProvenanceSet.Collection.Prompts;

namespace ProvenanceSet.Cli.Commands;

/// <summary><c>mps prompts --count T --seed S --out prompts.jsonl</c>: the prompts every model will answer.</summary>
internal static class PromptsCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var count = new Option<int?>("--count") { Description = "How many prompts (required unless --from is given; with --from, keep the first T).", HelpName = "T" };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the generator: the same seed gives the same prompts, and prompt k does not depend on --count.", DefaultValueFactory = _ => 0UL, HelpName = "S" };
        var generator = new Option<string>("--generator")
        {
            Description = "mixed: half sentence prefixes, half instructions. sentences: story openings to continue. instructions: tasks from templates.",
            DefaultValueFactory = _ => EnumIds.ToId(PromptGeneratorKind.Mixed),
            HelpName = string.Join('|', EnumIds.Ids<PromptGeneratorKind>()),
        };
        var from = new Option<string?>("--from")
        {
            Description = "Your own prompts instead: a plain text file, one prompt per line. Blank lines are skipped (stderr says which), "
                + "and the ids p1, p2, ... number the prompts in order, not the lines.",
            HelpName = "FILE.txt",
        };
        var outPath = new Option<string>("--out") { Description = "Where to write the prompts, JSON Lines {\"prompt_id\": ..., \"prompt\": ...} ('-' for stdout).", Required = true, HelpName = "FILE.jsonl" };

        var command = new Command("prompts", "Write the prompts that the target and every candidate will answer (for 'mps collect').\n\n"
            + "The built-in generators use word lists written for the project and are deterministic by seed.\n\n"
            + "Examples:\n  mps prompts --count 20000 --seed 1 --out prompts.jsonl\n"
            + "  mps prompts --count 500 --generator instructions --out prompts.jsonl\n"
            + "  mps prompts --from my-prompts.txt --out prompts.jsonl");
        foreach (Option option in new Option[] { count, seed, generator, from, outPath })
        {
            command.Options.Add(option);
        }

        command.SetAction(parsed =>
        {
            int? t = parsed.GetValue(count);
            // Ids are matched ignoring case, as the command has always done.
            if (!EnumIds.TryParse(parsed.GetValue(generator)?.ToLowerInvariant(), out PromptGeneratorKind kind))
            {
                var ids = EnumIds.Ids<PromptGeneratorKind>();
                throw new UsageException($"--generator must be {string.Join(", ", ids.Take(ids.Count - 1))} or {ids[^1]}, got '{parsed.GetValue(generator)}'.");
            }

            string? source = parsed.GetValue(from);
            if (t is < 1 or > PromptGenerator.MaxCount)
            {
                throw new UsageException($"--count must lie between 1 and {PromptGenerator.MaxCount}, got {t}.");
            }

            string path = parsed.GetValue(outPath)!;
            if (path != "-")
            {
                ResultFiles.Check([new NamedPath("--from", source)], [new NamedPath("--out", path)], probe: true);
            }

            IReadOnlyList<PromptRecord> prompts;
            string origin;
            if (source is not null)
            {
                if (!File.Exists(source))
                {
                    throw new UsageException($"--from: {source}: no such file.");
                }

                prompts = PromptFile.ReadPlainText(source, out var blankLines);
                if (blankLines.Count > 0)
                {
                    // Said, because after a blank line an id no longer matches its line number.
                    string which = string.Join(", ", blankLines.Take(5)) + (blankLines.Count > 5 ? ", ..." : string.Empty);
                    error.WriteLine($"mps prompts: {source}: skipped {blankLines.Count} blank line{(blankLines.Count == 1 ? string.Empty : "s")} "
                        + $"(line{(blankLines.Count == 1 ? string.Empty : "s")} {which}); the ids p1, p2, ... number the prompts, not the lines.");
                }

                if (t is int keep && keep < prompts.Count)
                {
                    prompts = [.. prompts.Take(keep)];
                }

                origin = $"from {source}";
            }
            else
            {
                if (t is null)
                {
                    throw new UsageException("--count is required (or give your own prompts with --from FILE.txt).");
                }

                prompts = PromptGenerator.Generate(t.Value, parsed.GetValue(seed), kind);
                origin = $"generator {EnumIds.ToId(kind)}, seed {parsed.GetValue(seed)}";
            }

            if (path == "-")
            {
                output.Write(PromptFile.ToJsonLines(prompts));
                return MpsCommandLine.Success;
            }

            PromptFile.Write(path, prompts);
            output.WriteLine(new StringBuilder().Append("Wrote ").Append(prompts.Count).Append(prompts.Count == 1 ? " prompt (" : " prompts (")
                .Append(origin).Append(") to ").Append(path).Append('.').ToString());
            return MpsCommandLine.Success;
        });
        return command;
    }
}
