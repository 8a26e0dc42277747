namespace ProvenanceSet.Embeddings.MiniLM.Tests;

/// <summary>The token budget: only the first MaxTokens tokens ([CLS] and [SEP] included) count.</summary>
[Collection(ModelTests.Name)]
public sealed class TruncationTests
{
    private readonly ModelFixture _model;

    public TruncationTests(ModelFixture model) => _model = model;

    [Fact]
    public void Test_words_are_one_token_each()
    {
        foreach (var word in TestTexts.SingleTokenWords)
        {
            Assert.True(MiniLmEmbeddingGenerator.CountTokens(word) == 3, word);
        }

        Assert.Equal(302, MiniLmEmbeddingGenerator.CountTokens(TestTexts.Join(TestTexts.Words(300, 1))));
    }

    [Fact]
    public async Task A_long_text_embeds_as_its_first_MaxTokens_tokens()
    {
        var words = TestTexts.Words(300, 1);
        string full = TestTexts.Join(words);
        string cut = TestTexts.Join(words[..126]); // 126 + [CLS] + [SEP] = 128
        string sameStartOtherEnd = TestTexts.Join([.. words[..200], .. TestTexts.Words(100, 2)]);
        Assert.NotEqual(full, sameStartOtherEnd);

        var budget128 = await _model.Default.GenerateAsync([full, cut, sameStartOtherEnd]);
        Assert.Equal(128 * 3, budget128.Usage!.InputTokenCount);
        Assert.True(TestTexts.MaxAbsDifference(budget128[0].Vector.Span, budget128[1].Vector.Span) <= 1e-6f, "full vs its first 126 words");
        Assert.True(TestTexts.MaxAbsDifference(budget128[0].Vector.Span, budget128[2].Vector.Span) <= 1e-6f, "texts that differ only after the budget");

        var budget512 = await _model.Wide.GenerateAsync([full, cut, sameStartOtherEnd]);
        Assert.Equal(302 + 128 + 302, budget512.Usage!.InputTokenCount);
        Assert.True(TestTexts.Cosine(budget512[0].Vector, budget512[2].Vector) < 0.995f, "a larger budget sees where the texts differ");
        Assert.True(TestTexts.Cosine(budget512[0].Vector, budget128[0].Vector) < 0.995f, "a larger budget sees more of the text");
        Assert.True(TestTexts.MaxAbsDifference(budget512[1].Vector.Span, budget128[1].Vector.Span) <= 1e-5f, "a text within both budgets");
    }

    [Fact]
    public void The_budget_cuts_between_the_pieces_of_a_word_like_Hugging_Face_truncation()
    {
        var tokenizer = ModelResources.Tokenizer;
        int[] all = tokenizer.Encode("the unaffable answer", 100);
        Assert.True(all.Length >= 4, "unaffable is more than one piece");
        Assert.Equal(all[..2], tokenizer.Encode("the unaffable answer", 2));
        Assert.Equal(all[..3], tokenizer.Encode("the unaffable answer", 3));
        Assert.Equal(all.Length + 2, MiniLmEmbeddingGenerator.CountTokens("the unaffable answer"));
    }
}
