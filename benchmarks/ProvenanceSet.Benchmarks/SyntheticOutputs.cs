using System.Text;
using ProvenanceSet.Outputs;

namespace ProvenanceSet.Benchmarks;

/// <summary>
/// Chat-like outputs made from a small word list written for the project (no third-party text):
/// each model answers each prompt with about <c>characters</c> characters; models share openings
/// now and then, so that distances are not all 1.
/// </summary>
internal static class SyntheticOutputs
{
    private static readonly string[] Words =
    [
        "sure", "here", "is", "a", "simple", "way", "to", "make", "the", "answer", "clear", "first", "you", "should",
        "consider", "how", "each", "step", "works", "and", "why", "it", "matters", "for", "your", "project", "in",
        "practice", "most", "people", "find", "that", "small", "changes", "help", "more", "than", "large", "ones",
        "example", "recipe", "river", "history", "question", "garden", "music", "number", "city", "language", "model",
    ];

    public static List<ModelOutput> Generate(int models, int prompts, int characters, ulong seed = 1)
    {
        ulong state = seed;
        int Next(int bound)
        {
            state = (state * 6364136223846793005UL) + 1442695040888963407UL;
            return (int)((state >> 33) % (ulong)bound);
        }

        var outputs = new List<ModelOutput>(models * prompts);
        var sb = new StringBuilder();
        for (int p = 0; p < prompts; p++)
        {
            string opening = string.Join(' ', Enumerable.Range(0, 6).Select(_ => Words[Next(Words.Length)]));
            for (int m = 0; m < models; m++)
            {
                sb.Clear();
                if (Next(3) == 0)
                {
                    sb.Append(opening);
                }

                while (sb.Length < characters)
                {
                    sb.Append(sb.Length == 0 ? "" : " ").Append(Words[Next(Words.Length)]);
                    if (Next(12) == 0)
                    {
                        sb.Append('.');
                    }
                }

                outputs.Add(new ModelOutput(m == 0 ? "target" : $"candidate-{m}", $"p{p}", sb.ToString()));
            }
        }

        return outputs;
    }
}
