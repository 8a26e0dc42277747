using System.Text;

namespace ProvenanceSet.Collection.Prompts;

/// <summary>
/// Built-in prompt generators: sentence prefixes and instruction templates assembled from word
/// lists written for the project. The same seed always gives the same prompts, and prompt k does
/// not depend on the count asked for (the first 1 000 prompts of a run of 20 000 are the prompts of
/// a run of 1 000), so a prompt set can be extended later.
/// </summary>
/// <remarks>
/// Prompt ids are <c>p1</c>, <c>p2</c>, .... Texts never repeat within one generated set: a draw
/// that repeats an earlier text is drawn again from the same prompt's stream. Randomness comes from
/// the library's own SplitMix64 streams (one per prompt, derived from the seed and the prompt's
/// index), never from <see cref="Random"/>, whose seeded algorithm may change between runtimes.
/// </remarks>
public static class PromptGenerator
{
    /// <summary>More prompts than any generator can make distinct (the instruction generator has the fewest combinations).</summary>
    public const int MaxCount = 1_000_000;

    private const int MaxDrawsPerPrompt = 1000;

    /// <summary>Generates <paramref name="count"/> prompts.</summary>
    /// <param name="count">How many prompts, 1 to <see cref="MaxCount"/>.</param>
    /// <param name="seed">The seed: the same seed gives the same prompts.</param>
    /// <param name="kind">Which generator.</param>
    /// <returns>The prompts, with ids <c>p1</c> to <c>p{count}</c>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is below 1 or above <see cref="MaxCount"/>, or <paramref name="kind"/> is unknown.</exception>
    /// <exception cref="InvalidOperationException">The generator cannot make that many distinct prompts.</exception>
    public static IReadOnlyList<PromptRecord> Generate(int count, ulong seed = 0, PromptGeneratorKind kind = PromptGeneratorKind.Mixed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, MaxCount);
        if (!Enum.IsDefined(kind))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown prompt generator.");
        }

        var prompts = new PromptRecord[count];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var text = new StringBuilder(160);
        for (int i = 0; i < count; i++)
        {
            var random = new PromptRandom(seed, (ulong)i);
            string? prompt = null;
            for (int draw = 0; draw < MaxDrawsPerPrompt && prompt is null; draw++)
            {
                text.Clear();
                bool sentence = kind switch
                {
                    PromptGeneratorKind.Sentences => true,
                    PromptGeneratorKind.Instructions => false,
                    _ => random.Next(2) == 0,
                };
                if (sentence)
                {
                    AppendSentence(text, ref random);
                }
                else
                {
                    AppendInstruction(text, ref random);
                }

                string candidate = text.ToString();
                if (seen.Add(candidate))
                {
                    prompt = candidate;
                }
            }

            prompts[i] = new PromptRecord($"p{i + 1}", prompt ?? throw new InvalidOperationException(
                $"The '{kind}' generator could not make {count} distinct prompts (it stopped at prompt {i + 1}); ask for fewer or use another generator."));
        }

        return prompts;
    }

    private static void AppendSentence(StringBuilder text, ref PromptRandom random)
    {
        string prefix = string.Concat(
            Pick(PromptWords.Openings, ref random), " ",
            Pick(PromptWords.Subjects, ref random), " ",
            Pick(PromptWords.Verbs, ref random), " ",
            Pick(PromptWords.Objects, ref random),
            Pick(PromptWords.Settings, ref random),
            Pick(PromptWords.Connectors, ref random));
        text.Append(Pick(PromptWords.SentenceFrames, ref random).Replace("{0}", prefix, StringComparison.Ordinal));
    }

    private static void AppendInstruction(StringBuilder text, ref PromptRandom random)
    {
        text.Append(Pick(PromptWords.Requests, ref random));
        string template = Pick(PromptWords.InstructionTemplates, ref random);
        int start = 0;
        while (start < template.Length)
        {
            int open = template.IndexOf('{', start);
            if (open < 0)
            {
                text.Append(template, start, template.Length - start);
                break;
            }

            int close = template.IndexOf('}', open);
            text.Append(template, start, open - start);
            text.Append(Slot(template[(open + 1)..close], ref random));
            start = close + 1;
        }

        text.Append(Pick(PromptWords.Constraints, ref random));
        text.Append(Pick(PromptWords.Styles, ref random));
    }

    private static string Slot(string name, ref PromptRandom random) => name switch
    {
        "topic" => Pick(PromptWords.Topics, ref random),
        "audience" => Pick(PromptWords.Audiences, ref random),
        "form" => Pick(PromptWords.Forms, ref random),
        "number" => Pick(PromptWords.Numbers, ref random),
        "activity" => Pick(PromptWords.Activities, ref random),
        "place" => Pick(PromptWords.Places, ref random),
        "recipient" => Pick(PromptWords.Recipients, ref random),
        "situation" => Pick(PromptWords.Situations, ref random),
        "pair" => Pick(PromptWords.Pairs, ref random),
        "task" => Pick(PromptWords.Tasks, ref random),
        "business" => Pick(PromptWords.Businesses, ref random),
        "dish" => Pick(PromptWords.Dishes, ref random),
        "decision" => Pick(PromptWords.Decisions, ref random),
        "claim" => Pick(PromptWords.Claims, ref random),
        _ => throw new InvalidOperationException($"Unknown template slot '{name}'."),
    };

    private static string Pick(string[] words, ref PromptRandom random) => words[random.Next(words.Length)];
}
