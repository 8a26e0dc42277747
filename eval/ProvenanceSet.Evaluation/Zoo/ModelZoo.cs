using System.Globalization;
using System.Text;
using System.Text.Json;
using MathNet.Numerics.Distributions;

namespace ProvenanceSet.Evaluation.Zoo;

/// <summary>A synthetic model of the zoo: its family, its lineage and how it writes.</summary>
/// <param name="Name">The model's name in the outputs file.</param>
/// <param name="Family">The vendor family whose style it writes in.</param>
/// <param name="Parents">The models it was derived from (empty for a base model).</param>
/// <param name="Copy">The share of its most likely answer taken from its parents (0 for a base model).</param>
/// <param name="Entropy">The share of answer tokens that it samples away from its most likely answer.</param>
internal sealed record ZooModel(string Name, int Family, string[] Parents, double Copy, double Entropy);

/// <summary>A zoo pool: the models, the target, its sources (every ancestor) and its related models.</summary>
internal sealed record ZooPool(IReadOnlyList<ZooModel> Models, string Target, string[] Sources, string[] Related);

/// <summary>
/// Synthetic models with a known lineage, written as outputs (JSON Lines with token ids), so that a whole audit
/// (alignment, token distance, normalisation, variant) runs on them. Every prompt has a content (24 tokens of a
/// Zipf vocabulary). A vendor family renders content in its style: an opening phrase, its own choice of words for a
/// share of the vocabulary, and its own take on a share of the content. A base model of a family keeps most of the
/// family's answer and changes the rest; a derived model takes a share of its parent's (or, for a merge, both
/// parents') most likely answer and writes the rest anew; every model then samples its output, changing a share of
/// tokens (its entropy). A look-alike family copies a family's style (opening and word choice) without any weights.
/// </summary>
internal static class ModelZoo
{
    public const int Vocabulary = 4000, Length = 24, Opening = 3;

    private sealed class Family
    {
        public required int[] Opening { get; init; }
        public required int[] WordChoice { get; init; }
        public required double StyleShare { get; init; }
        public required int Index { get; init; }
    }

    /// <summary>The outputs of every model of a pool on <paramref name="prompts"/> prompts, as JSON Lines.</summary>
    public static string Outputs(ZooPool pool, int prompts, Random rng, int lookAlikeOf = -1)
    {
        int families = pool.Models.Max(m => m.Family) + 1;
        var style = new Family[families];
        for (int f = 0; f < families; f++)
        {
            style[f] = new Family
            {
                Index = f,
                Opening = [.. Enumerable.Range(0, Opening).Select(_ => Zipf(rng))],
                WordChoice = [.. Enumerable.Range(0, Vocabulary).Select(_ => Zipf(rng))],
                StyleShare = ContinuousUniform.Sample(rng, 0.2, 0.5),
            };
        }

        // The look-alike family (the last one when asked) writes in another family's style: same opening, same words.
        if (lookAlikeOf >= 0)
        {
            var copied = style[lookAlikeOf];
            style[families - 1] = new Family { Index = families - 1, Opening = copied.Opening, WordChoice = copied.WordChoice, StyleShare = copied.StyleShare };
        }

        var familyTake = new double[families];
        for (int f = 0; f < families; f++)
        {
            familyTake[f] = ContinuousUniform.Sample(rng, 0.2, 0.4);
        }

        var byName = pool.Models.ToDictionary(m => m.Name);
        var own = pool.Models.ToDictionary(m => m.Name, _ => ContinuousUniform.Sample(rng, 0.2, 0.4));
        var sb = new StringBuilder();
        for (int t = 0; t < prompts; t++)
        {
            int[] content = [.. Enumerable.Range(0, Length).Select(_ => Zipf(rng))];
            var familyAnswer = new int[families][];
            for (int f = 0; f < families; f++)
            {
                familyAnswer[f] = [.. style[f].Opening, .. content.Select(w => rng.NextDouble() < familyTake[f] ? Zipf(rng) : rng.NextDouble() < style[f].StyleShare ? style[f].WordChoice[w] : w)];
            }

            var modes = new Dictionary<string, int[]>();
            int[] Mode(ZooModel model)
            {
                if (modes.TryGetValue(model.Name, out var known))
                {
                    return known;
                }

                int[] basis = familyAnswer[model.Family];
                int[][] parents = [.. model.Parents.Select(p => Mode(byName[p]))];
                var answer = new int[basis.Length];
                for (int k = 0; k < answer.Length; k++)
                {
                    double u = rng.NextDouble();
                    answer[k] = parents.Length > 0 && u < model.Copy
                        ? parents[(int)(u / model.Copy * parents.Length)][k]
                        : rng.NextDouble() < own[model.Name] ? style[model.Family].WordChoice[Zipf(rng)] : basis[k];
                }

                modes[model.Name] = answer;
                return answer;
            }

            foreach (var model in pool.Models)
            {
                int[] sampled = [.. Mode(model).Select(w => rng.NextDouble() < model.Entropy ? Zipf(rng) : w)];
                var record = new Dictionary<string, object>
                {
                    ["model"] = model.Name,
                    ["prompt_id"] = "p" + t.ToString(CultureInfo.InvariantCulture),
                    ["output"] = string.Join(' ', sampled.Select(w => "w" + w.ToString(CultureInfo.InvariantCulture))),
                    ["tokens"] = sampled,
                };
                sb.Append(JsonSerializer.Serialize(record)).Append('\n');
            }
        }

        return sb.ToString();
    }

    /// <summary>A word of a Zipf vocabulary: rank r with probability proportional to 1/(r + 10).</summary>
    private static int Zipf(Random rng)
    {
        // Inverse of the continuous approximation of the cumulative weight, log((r + 10)/10) / log((V + 10)/10).
        double u = rng.NextDouble();
        int r = (int)((10 * Math.Exp(u * Math.Log((Vocabulary + 10) / 10.0))) - 10);
        return Math.Clamp(r, 0, Vocabulary - 1);
    }
}
