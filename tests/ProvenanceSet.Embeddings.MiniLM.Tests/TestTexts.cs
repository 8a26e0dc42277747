using System.Numerics.Tensors;

namespace ProvenanceSet.Embeddings.MiniLM.Tests;

/// <summary>Texts written for these tests, and small vector helpers.</summary>
internal static class TestTexts
{
    /// <summary>Short English sentences that the reference encoder's simpler tokenizer splits the same way.</summary>
    public static readonly string[] Short =
    [
        "The quick brown fox jumps over the lazy dog.",
        "Embeddings turn sentences into vectors of numbers.",
        "I can't believe it's already Friday!",
        "What is the capital city of France?",
        "Model provenance asks which model an answer came from.",
        "Tokenization splits unaffable words into pieces.",
        "Photosynthesis converts light energy into chemical energy, mostly in leaves.",
        "hello",
    ];

    /// <summary>Words that are each one WordPiece token of the all-MiniLM-L6-v2 vocabulary (a test checks it).</summary>
    public static readonly string[] SingleTokenWords =
    [
        "the", "model", "answer", "water", "city", "road", "light", "music", "small", "large",
        "green", "house", "river", "story", "people", "study", "early", "night", "market", "school",
        "garden", "window", "simple", "energy", "paper", "number", "system", "change", "summer", "winter",
        "mountain", "language", "question", "history", "computer", "building", "friend", "morning", "slowly", "bright",
    ];

    /// <summary>
    /// <paramref name="count"/> words from <see cref="SingleTokenWords"/> chosen by a linear
    /// congruential sequence from <paramref name="seed"/>, so the text has exactly
    /// <paramref name="count"/> tokens (plus [CLS] and [SEP]).
    /// </summary>
    public static string[] Words(int count, uint seed)
    {
        var words = new string[count];
        uint state = seed;
        for (int i = 0; i < count; i++)
        {
            state = unchecked(state * 1_664_525u + 1_013_904_223u);
            words[i] = SingleTokenWords[(int)(state >> 16) % SingleTokenWords.Length];
        }

        return words;
    }

    public static string Join(IEnumerable<string> words) => string.Join(' ', words);

    /// <summary>Texts of 1 to about 180 tokens in a scrambled order, for the batching tests.</summary>
    public static string[] MixedLengths()
    {
        int[] lengths = [40, 1, 170, 7, 126, 127, 128, 3, 90, 15, 60, 180, 2, 33];
        var texts = new List<string>();
        for (int i = 0; i < lengths.Length; i++)
        {
            texts.Add(Join(Words(lengths[i], (uint)(i + 11))));
        }

        texts.Add(Short[0]);
        texts.Add(Short[6]);
        texts.Add(string.Empty);
        return [.. texts];
    }

    public static float Cosine(ReadOnlyMemory<float> a, ReadOnlyMemory<float> b) =>
        TensorPrimitives.CosineSimilarity(a.Span, b.Span);

    /// <summary>Largest |a[i] - b[i]|; NaN if either holds a NaN.</summary>
    public static float MaxAbsDifference(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        Assert.Equal(a.Length, b.Length);
        float max = 0;
        for (int i = 0; i < a.Length; i++)
        {
            max = MathF.Max(max, MathF.Abs(a[i] - b[i]));
        }

        return max;
    }
}
