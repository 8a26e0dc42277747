using Microsoft.Extensions.AI;

namespace ProvenanceSet.Embeddings.MiniLM.Tests;

/// <summary>The IEmbeddingGenerator contract: edge inputs, errors, cancellation, services.</summary>
[Collection(ModelTests.Name)]
public sealed class ContractTests
{
    private readonly ModelFixture _model;

    public ContractTests(ModelFixture model) => _model = model;

    [Fact]
    public async Task No_texts_give_an_empty_result()
    {
        var result = await _model.Default.GenerateAsync([]);
        Assert.Empty(result);
    }

    [Fact]
    public async Task An_empty_string_is_embedded()
    {
        var result = await _model.Default.GenerateAsync([string.Empty, "hello"]);
        Assert.Equal(2, result.Count);
        Assert.Equal(384, result[0].Vector.Length);
        Assert.All(result[0].Vector.ToArray(), value => Assert.True(float.IsFinite(value)));
        Assert.True(TestTexts.Cosine(result[0].Vector, result[1].Vector) < 0.99f);
        Assert.Equal(2, MiniLmEmbeddingGenerator.CountTokens(string.Empty));
    }

    [Fact]
    public async Task A_null_text_is_an_argument_error_that_names_its_index()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => _model.Default.GenerateAsync(["a", "b", null!, "d"]));
        Assert.Equal("values", error.ParamName);
        Assert.Contains("index 2", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentNullException>(() => _model.Default.GenerateAsync(null!));
    }

    [Fact]
    public async Task A_cancelled_token_throws_before_any_work()
    {
        using var source = new CancellationTokenSource();
        await source.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _model.Default.GenerateAsync(["hello"], cancellationToken: source.Token));
    }

    [Fact]
    public async Task Cancelling_during_a_long_call_stops_it()
    {
        // About 200 batches of work; cancelled after the first ones.
        var texts = Enumerable.Range(0, 200).Select(i => TestTexts.Join(TestTexts.Words(130, (uint)i))).ToArray();
        using var generator = new MiniLmEmbeddingGenerator(MiniLmEmbeddingOptions.Default with { BatchSize = 1 });
        using var source = new CancellationTokenSource();
        var call = generator.GenerateAsync(texts, cancellationToken: source.Token);
        source.CancelAfter(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
    }

    [Fact]
    public async Task Options_may_only_name_this_model_and_its_size()
    {
        var byName = await _model.Default.GenerateAsync(["hello"], new EmbeddingGenerationOptions { ModelId = "sentence-transformers/all-MiniLM-L6-v2", Dimensions = 384 });
        Assert.Single(byName);
        await Assert.ThrowsAsync<ArgumentException>(() => _model.Default.GenerateAsync(["hello"], new EmbeddingGenerationOptions { Dimensions = 256 }));
        await Assert.ThrowsAsync<ArgumentException>(() => _model.Default.GenerateAsync(["hello"], new EmbeddingGenerationOptions { ModelId = "text-embedding-3-small" }));
    }

    [Fact]
    public void GetService_returns_the_metadata_the_options_and_the_generator()
    {
        IEmbeddingGenerator<string, Embedding<float>> generator = _model.Default;

        var metadata = generator.GetService<EmbeddingGeneratorMetadata>();
        Assert.NotNull(metadata);
        Assert.Equal("ProvenanceSet.MiniLM", metadata.ProviderName);
        Assert.Equal("all-MiniLM-L6-v2", metadata.DefaultModelId);
        Assert.Equal(384, metadata.DefaultModelDimensions);

        Assert.Same(_model.Default.Options, generator.GetService<MiniLmEmbeddingOptions>());
        Assert.Same(generator, generator.GetService<IEmbeddingGenerator<string, Embedding<float>>>());
        Assert.Same(generator, generator.GetService<MiniLmEmbeddingGenerator>());
        Assert.Null(generator.GetService<string>());
        Assert.Null(generator.GetService(typeof(EmbeddingGeneratorMetadata), serviceKey: "key"));
        Assert.Throws<ArgumentNullException>(() => generator.GetService(null!));
    }

    [Fact]
    public async Task A_disposed_generator_refuses_work()
    {
        var generator = new MiniLmEmbeddingGenerator(MiniLmEmbeddingOptions.Default with { MaxDegreeOfParallelism = 1 });
        generator.Dispose();
        generator.Dispose();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => generator.GenerateAsync(["hello"]));
    }
}
