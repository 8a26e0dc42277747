using System.Globalization;
using System.Text;

namespace ProvenanceSet.Embeddings.MiniLM;

/// <summary>
/// BERT uncased tokenization as the Hugging Face (Rust) tokenizer of all-MiniLM-L6-v2 does it:
/// the BertNormalizer (drop control characters, U+0000 and U+FFFD; whitespace to a space; spaces
/// around CJK ideographs; NFD and removal of nonspacing marks; lower case), the BertPreTokenizer
/// (split on whitespace, every punctuation character its own word) and WordPiece (greedy
/// longest-match-first with <c>##</c> continuations, a word with an unknown piece or of more than
/// 100 characters becomes <c>[UNK]</c>). Thread-safe after construction.
/// </summary>
internal sealed class BertWordPieceTokenizer
{
    private const int MaxInputCharsPerWord = 100;
    private const string ContinuationPrefix = "##";

    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _wordStarts;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _continuations;
    private readonly int _longestPiece;

    private BertWordPieceTokenizer(Dictionary<string, int> wordStarts, Dictionary<string, int> continuations, int vocabularySize)
    {
        _wordStarts = wordStarts.GetAlternateLookup<ReadOnlySpan<char>>();
        _continuations = continuations.GetAlternateLookup<ReadOnlySpan<char>>();
        _longestPiece = Math.Max(wordStarts.Keys.Max(k => k.Length), continuations.Keys.Max(k => k.Length));
        VocabularySize = vocabularySize;
        PaddingId = Special(wordStarts, "[PAD]");
        UnknownId = Special(wordStarts, "[UNK]");
        ClassificationId = Special(wordStarts, "[CLS]");
        SeparatorId = Special(wordStarts, "[SEP]");
    }

    /// <summary>Number of entries in the vocabulary.</summary>
    public int VocabularySize { get; }

    /// <summary>Id of <c>[PAD]</c>.</summary>
    public int PaddingId { get; }

    /// <summary>Id of <c>[UNK]</c>.</summary>
    public int UnknownId { get; }

    /// <summary>Id of <c>[CLS]</c>, the first token of every sequence.</summary>
    public int ClassificationId { get; }

    /// <summary>Id of <c>[SEP]</c>, the last token of every sequence.</summary>
    public int SeparatorId { get; }

    /// <summary>Reads a <c>vocab.txt</c> (one token a line, the id is the line number from 0).</summary>
    public static BertWordPieceTokenizer FromVocabulary(Stream vocabulary)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        var wordStarts = new Dictionary<string, int>(32_768, StringComparer.Ordinal);
        var continuations = new Dictionary<string, int>(8_192, StringComparer.Ordinal);
        using var reader = new StreamReader(vocabulary, Encoding.UTF8);
        int id = 0;
        while (reader.ReadLine() is { } line)
        {
            // Later duplicates win, as in the Hugging Face loader.
            if (line.StartsWith(ContinuationPrefix, StringComparison.Ordinal) && line.Length > ContinuationPrefix.Length)
            {
                continuations[line[ContinuationPrefix.Length..]] = id;
            }
            else
            {
                wordStarts[line] = id;
            }

            id++;
        }

        return new BertWordPieceTokenizer(wordStarts, continuations, id);
    }

    /// <summary>
    /// The WordPiece ids of <paramref name="text"/> without <c>[CLS]</c> and <c>[SEP]</c>, at most
    /// <paramref name="maxTokens"/> of them: the first ones, a word cut between its pieces if the
    /// budget ends inside it (as Hugging Face truncation does). Stops reading the text once the
    /// budget is used.
    /// </summary>
    public int[] Encode(string text, int maxTokens)
    {
        var ids = new List<int>(Math.Min(maxTokens, 256));
        Tokenize(text, maxTokens, ids);
        return [.. ids];
    }

    /// <summary>Number of WordPiece tokens in <paramref name="text"/>, without <c>[CLS]</c> and <c>[SEP]</c>.</summary>
    public int Count(string text) => Tokenize(text, int.MaxValue, null);

    private int Tokenize(string text, int maxTokens, List<int>? ids)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (maxTokens <= 0)
        {
            return 0;
        }

        var state = new WordState(this, maxTokens, ids);
        Span<Rune> folded = stackalloc Rune[3];
        foreach (var rune in text.EnumerateRunes())
        {
            int value = rune.Value;
            if (value is '\t' or '\n' or '\r')
            {
                state.EndWord();
            }
            else if (value is 0 or 0xFFFD || IsOther(Rune.GetUnicodeCategory(rune)))
            {
                // Cleaned away: control, format, private-use, surrogate and unassigned code points.
                continue;
            }
            else if (Rune.IsWhiteSpace(rune))
            {
                state.EndWord();
            }
            else if (IsCjkIdeograph(value))
            {
                // A CJK ideograph is a word of its own.
                state.EndWord();
                int count = AccentStripping.Fold(rune, folded);
                for (int i = 0; i < count; i++)
                {
                    state.Append(Rune.ToLowerInvariant(folded[i]));
                }

                state.EndWord();
            }
            else
            {
                int count = AccentStripping.Fold(rune, folded);
                for (int i = 0; i < count; i++)
                {
                    var lower = Rune.ToLowerInvariant(folded[i]);
                    if (Rune.IsWhiteSpace(lower))
                    {
                        state.EndWord();
                    }
                    else if (IsPunctuation(lower))
                    {
                        state.EndWord();
                        state.Append(lower);
                        state.EndWord();
                    }
                    else
                    {
                        state.Append(lower);
                    }
                }
            }

            if (state.Full)
            {
                return state.Count;
            }
        }

        state.EndWord();
        return state.Count;
    }

    /// <summary>Appends the pieces of <paramref name="word"/>, or <c>[UNK]</c>; returns how many were appended.</summary>
    private int AppendWordPieces(ReadOnlySpan<char> word, int scalarCount, int room, List<int>? ids)
    {
        if (scalarCount > MaxInputCharsPerWord)
        {
            return AppendUnknown(room, ids);
        }

        if (_wordStarts.TryGetValue(word, out int whole))
        {
            ids?.Add(whole);
            return 1;
        }

        // A word of at most 100 scalars has at most 100 pieces.
        Span<int> pieces = stackalloc int[MaxInputCharsPerWord];
        int pieceCount = 0;
        int start = 0;
        while (start < word.Length)
        {
            var lookup = start == 0 ? _wordStarts : _continuations;
            int end = Math.Min(word.Length, start + _longestPiece);
            if (end < word.Length && char.IsLowSurrogate(word[end]))
            {
                end--;
            }

            int found = -1;
            while (end > start)
            {
                if (lookup.TryGetValue(word[start..end], out int id))
                {
                    found = id;
                    break;
                }

                end--;
                if (end > start && char.IsLowSurrogate(word[end]))
                {
                    end--;
                }
            }

            if (found < 0)
            {
                return AppendUnknown(room, ids);
            }

            pieces[pieceCount++] = found;
            start = end;
        }

        int taken = Math.Min(pieceCount, room);
        if (ids is not null)
        {
            for (int i = 0; i < taken; i++)
            {
                ids.Add(pieces[i]);
            }
        }

        return taken;
    }

    private int AppendUnknown(int room, List<int>? ids)
    {
        if (room <= 0)
        {
            return 0;
        }

        ids?.Add(UnknownId);
        return 1;
    }

    /// <summary>Control, format, surrogate, private-use and unassigned: Rust's <c>char::is_other</c>.</summary>
    private static bool IsOther(UnicodeCategory category) => category is UnicodeCategory.Control
        or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned;

    /// <summary>ASCII punctuation (including <c>$+&lt;=&gt;^`|~</c>) or any Unicode punctuation category.</summary>
    private static bool IsPunctuation(Rune rune)
    {
        int value = rune.Value;
        if (value < 128)
        {
            return value is (>= 33 and <= 47) or (>= 58 and <= 64) or (>= 91 and <= 96) or (>= 123 and <= 126);
        }

        return Rune.GetUnicodeCategory(rune) is UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation
            or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
            or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation;
    }

    /// <summary>The CJK Unified Ideographs blocks that BERT's Chinese-character rule names.</summary>
    private static bool IsCjkIdeograph(int value) => value is (>= 0x4E00 and <= 0x9FFF) or (>= 0x3400 and <= 0x4DBF)
        or (>= 0x20000 and <= 0x2A6DF) or (>= 0x2A700 and <= 0x2B73F) or (>= 0x2B740 and <= 0x2B81F)
        or (>= 0x2B820 and <= 0x2CEAF) or (>= 0xF900 and <= 0xFAFF) or (>= 0x2F800 and <= 0x2FA1F);

    private static int Special(Dictionary<string, int> vocabulary, string token) =>
        vocabulary.TryGetValue(token, out int id) ? id : throw new InvalidDataException($"The vocabulary has no {token} token.");

    /// <summary>The word being read and the tokens produced so far.</summary>
    private sealed class WordState
    {
        // Characters past this many cannot change the outcome: such a word is [UNK] anyway.
        private const int BufferLength = 2 * MaxInputCharsPerWord + 2;

        private readonly BertWordPieceTokenizer _owner;
        private readonly int _maxTokens;
        private readonly List<int>? _ids;
        private readonly char[] _buffer = new char[BufferLength];
        private int _length;
        private int _scalars;

        public WordState(BertWordPieceTokenizer owner, int maxTokens, List<int>? ids)
        {
            _owner = owner;
            _maxTokens = maxTokens;
            _ids = ids;
        }

        public int Count { get; private set; }

        public bool Full => Count >= _maxTokens;

        public void Append(Rune rune)
        {
            _scalars++;
            if (_length + rune.Utf16SequenceLength <= BufferLength)
            {
                _length += rune.EncodeToUtf16(_buffer.AsSpan(_length));
            }
        }

        public void EndWord()
        {
            if (_scalars == 0)
            {
                return;
            }

            if (!Full)
            {
                Count += _owner.AppendWordPieces(_buffer.AsSpan(0, _length), _scalars, _maxTokens - Count, _ids);
            }

            _length = 0;
            _scalars = 0;
        }
    }
}
