using System.Numerics.Tensors;

namespace ProvenanceSet.Embeddings.MiniLM.Tests;

[Collection(ModelTests.Name)]
public sealed class SemanticTests
{
    private readonly ModelFixture _model;

    public SemanticTests(ModelFixture model) => _model = model;

    [Fact]
    public async Task Paraphrases_are_closer_than_an_unrelated_sentence()
    {
        string[] texts =
        [
            "The train to the airport was cancelled because of heavy snow.",
            "Heavy snowfall led to the cancellation of the airport train.",
            "My grandmother bakes the best apple pie in town.",
        ];
        var embeddings = await _model.Default.GenerateAsync(texts);

        float paraphrase = TestTexts.Cosine(embeddings[0].Vector, embeddings[1].Vector);
        float unrelated0 = TestTexts.Cosine(embeddings[0].Vector, embeddings[2].Vector);
        float unrelated1 = TestTexts.Cosine(embeddings[1].Vector, embeddings[2].Vector);
        Assert.True(paraphrase > 0.7f, $"paraphrase cosine {paraphrase}");
        Assert.True(paraphrase - Math.Max(unrelated0, unrelated1) > 0.4f, $"paraphrase {paraphrase}, unrelated {unrelated0} and {unrelated1}");
    }

    [Fact]
    public async Task Embeddings_are_unit_vectors_so_the_dot_product_is_the_cosine()
    {
        var embeddings = await _model.Default.GenerateAsync(TestTexts.Short);
        foreach (var embedding in embeddings)
        {
            Assert.Equal(1.0, TensorPrimitives.Norm(embedding.Vector.Span), 5);
            Assert.Equal("all-MiniLM-L6-v2", embedding.ModelId);
        }

        Assert.Equal(
            TensorPrimitives.Dot(embeddings[0].Vector.Span, embeddings[1].Vector.Span),
            TestTexts.Cosine(embeddings[0].Vector, embeddings[1].Vector),
            5);
    }
}
