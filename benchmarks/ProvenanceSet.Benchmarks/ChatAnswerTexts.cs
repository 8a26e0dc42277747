using System.Text;

namespace ProvenanceSet.Benchmarks;

/// <summary>
/// Synthetic English chat answers for the embedding benchmarks: sentences assembled from small
/// phrase lists written for this project, chosen by a fixed linear congruential sequence (no
/// System.Random, no third-party text). Each answer is about <c>length</c> characters, so at the
/// default 800 it is longer than the 128-token budget.
/// </summary>
internal static class ChatAnswerTexts
{
    private static readonly string[] Openers =
    [
        "Sure, here is a short overview.", "Great question!", "There are a few things to keep in mind.",
        "Happy to help with that.", "The short answer is yes, with some caveats.", "Let me walk you through it.",
    ];

    private static readonly string[] Subjects =
    [
        "A well designed experiment", "The main advantage of this approach", "Most modern databases", "A careful reviewer",
        "The compiler", "Your training schedule", "A small vegetable garden", "The city council", "Regular exercise",
        "The second paragraph of your essay", "A good night's sleep", "The network layer", "Each new employee",
    ];

    private static readonly string[] Verbs =
    [
        "usually depends on", "can noticeably improve", "should be checked against", "tends to reduce", "is often confused with",
        "works best together with", "rarely replaces", "helps you understand", "needs to account for", "will gradually change",
    ];

    private static readonly string[] Objects =
    [
        "the quality of the final result", "how much memory the program uses", "the amount of water the plants receive",
        "the overall cost of the project", "your ability to focus in the afternoon", "the way people read long documents",
        "the number of errors in production", "the balance between speed and accuracy", "the structure of the argument",
        "the time it takes to recover", "the budget for next year", "what your readers expect",
    ];

    private static readonly string[] Tails =
    [
        "", " in most situations", " over several weeks", ", especially for beginners", " when the data is noisy",
        ", although results vary", " if you plan ahead", " without much extra effort", ", as many studies suggest",
    ];

    private static readonly string[] Connectors =
    [
        "In practice,", "For example,", "On the other hand,", "As a rule of thumb,", "Keep in mind that", "Finally,", "Also,",
    ];

    private static readonly string[] Closers =
    [
        "I hope this helps!", "Let me know if you would like more detail.", "Feel free to ask a follow-up question.",
        "Good luck with your project.",
    ];

    /// <summary><paramref name="count"/> answers of about <paramref name="length"/> characters each.</summary>
    public static string[] Generate(int count, int length = 800, uint seed = 1)
    {
        var answers = new string[count];
        uint state = seed;
        var builder = new StringBuilder(length + 200);
        for (int a = 0; a < count; a++)
        {
            builder.Clear();
            builder.Append(Pick(Openers, ref state));
            while (builder.Length < length - 60)
            {
                builder.Append(' ');
                if (Next(ref state) % 3 == 0)
                {
                    string subject = Pick(Subjects, ref state);
                    builder.Append(Pick(Connectors, ref state)).Append(' ').Append(char.ToLowerInvariant(subject[0])).Append(subject[1..]);
                }
                else
                {
                    builder.Append(Pick(Subjects, ref state));
                }

                builder.Append(' ').Append(Pick(Verbs, ref state)).Append(' ').Append(Pick(Objects, ref state)).Append(Pick(Tails, ref state)).Append('.');
            }

            builder.Append(' ').Append(Pick(Closers, ref state));
            answers[a] = builder.ToString();
        }

        return answers;
    }

    private static string Pick(string[] items, ref uint state) => items[(int)(Next(ref state) % (uint)items.Length)];

    private static uint Next(ref uint state)
    {
        state = unchecked(state * 1_664_525u + 1_013_904_223u);
        return state >> 8;
    }
}
