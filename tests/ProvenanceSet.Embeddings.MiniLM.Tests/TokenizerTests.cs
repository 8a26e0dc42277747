using System.Globalization;
using System.Text;
using Microsoft.ML.Tokenizers;

namespace ProvenanceSet.Embeddings.MiniLM.Tests;

/// <summary>The BERT uncased tokenizer, against Microsoft.ML.Tokenizers' BertTokenizer (an independent implementation) and known ids.</summary>
public sealed class TokenizerTests
{
    private static readonly BertWordPieceTokenizer Ours = ModelResources.Tokenizer;

    [Fact]
    public void Special_tokens_and_known_ids_are_those_of_bert_base_uncased()
    {
        Assert.Equal(30522, Ours.VocabularySize);
        Assert.Equal((0, 100, 101, 102), (Ours.PaddingId, Ours.UnknownId, Ours.ClassificationId, Ours.SeparatorId));
        // hello , world ! — ids every bert-base-uncased tokenizer gives.
        Assert.Equal([7592, 1010, 2088, 999], Ours.Encode("Hello, WORLD!", 100));
    }

    [Theory]
    [InlineData("Café naïve résumé in Zürich, São Paulo and Kraków.")]
    [InlineData("東京は日本の首都です。北京也很大")]
    [InlineData("Prices: 5.99, 3.14% & 1024 (roughly) — “quoted” text; isn't it? {c}[d] #tag @user \\path/to/it")]
    [InlineData("supercalifragilisticexpialidocious antidisestablishmentarianism tokenization")]
    [InlineData("Non\u00A0breaking and  double   spaces")]
    [InlineData("ÀÉÎÕÜ ÅNGSTRÖM Ŀ ǅ ﬁ")]
    [InlineData("Ελληνικά και русский текст")]
    public void Matches_Microsoft_ML_Tokenizers_BertTokenizer(string text)
    {
        using var vocabulary = ModelResources.Assembly.GetManifestResourceStream(ModelResources.VocabularyResourceName)!;
        var reference = BertTokenizer.Create(vocabulary, new BertOptions
        {
            LowerCaseBeforeTokenization = true,
            ApplyBasicTokenization = true,
            RemoveNonSpacingMarks = true,
            IndividuallyTokenizeCjk = true,
        });
        var expected = reference.EncodeToIds(text, addSpecialTokens: false);
        Assert.Equal(expected, Ours.Encode(text, 1000));
        Assert.Equal(expected.Count, Ours.Count(text));
    }

    // Where Microsoft.ML.Tokenizers 2.0.1 departs from the Hugging Face BertNormalizer and
    // BertPreTokenizer (it drops the ASCII symbols $+<=>^`|~, keeps '_' inside words, joins words
    // across tabs and line breaks, and gives [UNK] for Hangul), the expected tokens follow Hugging Face.

    [Fact]
    public void Tab_and_line_breaks_are_whitespace_not_removed_control_characters()
    {
        Assert.Equal(Ours.Encode("tabs and new lines", 100), Ours.Encode("tabs\tand\nnew\r\nlines", 100));
    }

    [Fact]
    public void Ascii_symbols_are_punctuation_tokens()
    {
        // '$' is ASCII punctuation for BERT: its own token (id 1002), as are '+', '<', '=', '>', '^',
        // '_', '`', '|' and '~'.
        Assert.Equal([1002, 1019], Ours.Encode("$5", 100));
        foreach (char symbol in "$+<=>^_`|~")
        {
            Assert.Equal(3, Ours.Count($"a{symbol}b"));
        }
    }

    [Fact]
    public void Hangul_syllables_are_decomposed_into_jamo_like_NFD()
    {
        string text = "한국어 문장도 처리합니다";
        var ids = Ours.Encode(text, 100);
        Assert.Equal(Ours.Encode(text.Normalize(NormalizationForm.FormD), 100), ids);
        Assert.DoesNotContain(Ours.UnknownId, ids);
    }

    [Fact]
    public void Control_and_format_characters_are_removed_and_unknown_words_are_one_unk()
    {
        // U+200B (zero width space, Cf) and U+0007 (bell, Cc) vanish; they do not split words.
        Assert.Equal(Ours.Encode("helloworld", 10), Ours.Encode("hello\u200Bwor\u0007ld", 10));
        // A word of more than 100 characters, and one with a piece outside the vocabulary, is a single [UNK].
        Assert.Equal([Ours.UnknownId], Ours.Encode(new string('a', 101), 10));
        Assert.Equal([Ours.UnknownId], Ours.Encode("\U0001F600", 10));
        Assert.NotEqual([Ours.UnknownId], Ours.Encode(new string('a', 100), 1000));
    }

    [Fact]
    public void Encoding_stops_at_the_budget_and_counting_has_none()
    {
        string text = string.Join(' ', Enumerable.Repeat("the model", 5000));
        Assert.Equal(10_000, Ours.Count(text));
        Assert.Equal(7, Ours.Encode(text, 7).Length);
        Assert.Empty(Ours.Encode(text, 0));
    }
}

/// <summary>The compiled accent-stripping table equals NFD without nonspacing marks, code point by code point.</summary>
public sealed class AccentStrippingTests
{
    [Fact]
    public void Table_equals_ICU_NFD_without_nonspacing_marks_for_every_code_point()
    {
        Span<Rune> folded = stackalloc Rune[3];
        var mismatches = new List<string>();
        int checkedCount = 0;
        for (int value = 0; value <= 0x10FFFF; value++)
        {
            if (!Rune.IsValid(value) || CharUnicodeInfo.GetUnicodeCategory(value) == UnicodeCategory.OtherNotAssigned)
            {
                continue;
            }

            var rune = new Rune(value);
            string expected;
            try
            {
                var builder = new StringBuilder();
                foreach (var r in rune.ToString().Normalize(NormalizationForm.FormD).EnumerateRunes())
                {
                    if (Rune.GetUnicodeCategory(r) != UnicodeCategory.NonSpacingMark)
                    {
                        builder.Append(r.ToString());
                    }
                }

                expected = builder.ToString();
            }
            catch (ArgumentException)
            {
                // ICU older than .NET's character data: a code point it does not know yet.
                continue;
            }

            int count = AccentStripping.Fold(rune, folded);
            var actual = new StringBuilder();
            foreach (var r in folded[..count])
            {
                actual.Append(r.ToString());
            }

            checkedCount++;
            if (actual.ToString() != expected)
            {
                mismatches.Add($"U+{value:X4}");
            }
        }

        Assert.True(checkedCount > 250_000, $"only {checkedCount} code points checked");
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} mismatches: {string.Join(' ', mismatches.Take(30))}");
        Assert.True(AccentStripping.TableSize > 2000);
    }
}
