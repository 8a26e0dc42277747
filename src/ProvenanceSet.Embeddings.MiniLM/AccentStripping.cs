using System.Globalization;
using System.Text;

namespace ProvenanceSet.Embeddings.MiniLM;

/// <summary>
/// The accent stripping of the BERT uncased normaliser — Unicode NFD, then every nonspacing mark
/// (category Mn) removed — done from a table compiled into the assembly, so that it gives the same
/// result with or without ICU (for example under <c>InvariantGlobalization</c>, where
/// <see cref="string.Normalize(NormalizationForm)"/> does not decompose).
/// </summary>
internal static partial class AccentStripping
{
    private const int HangulSyllableFirst = 0xAC00;
    private const int HangulSyllableLast = 0xD7A3;

    private static readonly Dictionary<int, Rune[]> Folds = ParseTable(Table);

    /// <summary>Number of code points the table folds (for tests).</summary>
    internal static int TableSize => Folds.Count;

    /// <summary>
    /// Writes the code points that <paramref name="rune"/> becomes after NFD and the removal of
    /// nonspacing marks into <paramref name="destination"/> (at least 3 long) and returns how many:
    /// 0 for a nonspacing mark, 1 for most characters, 2 or 3 for a Hangul syllable.
    /// </summary>
    public static int Fold(Rune rune, Span<Rune> destination)
    {
        int value = rune.Value;
        if (value < 0xC0)
        {
            // Nothing below U+00C0 decomposes and none of it is a nonspacing mark.
            destination[0] = rune;
            return 1;
        }

        if (value is >= HangulSyllableFirst and <= HangulSyllableLast)
        {
            // Unicode's arithmetic decomposition of precomposed Hangul into conjoining jamo.
            int index = value - HangulSyllableFirst;
            destination[0] = new Rune(0x1100 + index / 588);
            destination[1] = new Rune(0x1161 + index % 588 / 28);
            int trailing = index % 28;
            if (trailing == 0)
            {
                return 2;
            }

            destination[2] = new Rune(0x11A7 + trailing);
            return 3;
        }

        if (Folds.TryGetValue(value, out var folded))
        {
            folded.CopyTo(destination);
            return folded.Length;
        }

        if (Rune.GetUnicodeCategory(rune) == UnicodeCategory.NonSpacingMark)
        {
            return 0;
        }

        destination[0] = rune;
        return 1;
    }

    private static Dictionary<int, Rune[]> ParseTable(string table)
    {
        var folds = new Dictionary<int, Rune[]>(2048);
        foreach (var entry in table.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            int colon = entry.IndexOf(':', StringComparison.Ordinal);
            int source = int.Parse(entry.AsSpan(0, colon), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            var targets = entry[(colon + 1)..].Split('+');
            var runes = new Rune[targets.Length];
            for (int i = 0; i < targets.Length; i++)
            {
                runes[i] = new Rune(int.Parse(targets[i], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            }

            folds.Add(source, runes);
        }

        return folds;
    }
}
