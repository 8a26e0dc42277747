namespace ProvenanceSet.Embeddings.MiniLM.Tests;

/// <summary>Sorting, batching and padding must not change what a text embeds to, nor the order.</summary>
[Collection(ModelTests.Name)]
public sealed class BatchingTests
{
    private readonly ModelFixture _model;

    public BatchingTests(ModelFixture model) => _model = model;

    [Fact]
    public async Task A_batch_equals_one_text_at_a_time_in_input_order_for_any_batch_size()
    {
        string[] texts = TestTexts.MixedLengths();
        var single = new List<ReadOnlyMemory<float>>();
        foreach (var text in texts)
        {
            var one = await _model.Default.GenerateAsync([text]);
            single.Add(one[0].Vector);
        }

        // Distinct texts give distinct embeddings, so a permuted result could not pass.
        Assert.True(TestTexts.Cosine(single[0], single[1]) < 0.99f);

        using var smallBatches = new MiniLmEmbeddingGenerator(MiniLmEmbeddingOptions.Default with { BatchSize = 3, MaxDegreeOfParallelism = 1 });
        foreach (var generator in new[] { _model.Default, smallBatches })
        {
            var batched = await generator.GenerateAsync(texts);
            Assert.Equal(texts.Length, batched.Count);
            for (int i = 0; i < texts.Length; i++)
            {
                float difference = TestTexts.MaxAbsDifference(single[i].Span, batched[i].Vector.Span);
                Assert.True(difference <= 1e-5f, $"batch size {generator.Options.BatchSize}, text {i}: max |difference| {difference}");
            }
        }
    }

    [Fact]
    public async Task Concurrent_calls_share_the_generator()
    {
        string[] texts = TestTexts.MixedLengths();
        var expected = await _model.Default.GenerateAsync(texts);
        var results = await Task.WhenAll(
            _model.Default.GenerateAsync(texts),
            _model.Default.GenerateAsync(texts.Reverse()));

        for (int i = 0; i < texts.Length; i++)
        {
            Assert.True(TestTexts.MaxAbsDifference(expected[i].Vector.Span, results[0][i].Vector.Span) <= 1e-5f);
            Assert.True(TestTexts.MaxAbsDifference(expected[i].Vector.Span, results[1][texts.Length - 1 - i].Vector.Span) <= 1e-5f);
        }
    }

    [Fact]
    public async Task Usage_counts_the_tokens_embedded_after_cutting()
    {
        string[] texts = ["hello world", string.Empty, TestTexts.Join(TestTexts.Words(200, 5))];
        var result = await _model.Default.GenerateAsync(texts);
        Assert.Equal(4 + 2 + 128, result.Usage!.InputTokenCount);
    }
}
