namespace ProvenanceSet.Embeddings.MiniLM.Tests;

/// <summary>One loaded generator per budget, shared by the tests that run the model (loading takes about a second).</summary>
public sealed class ModelFixture : IDisposable
{
    private readonly Lazy<MiniLmEmbeddingGenerator> _wide = new(() => new MiniLmEmbeddingGenerator(MiniLmEmbeddingOptions.Default with { MaxTokens = 512 }));

    /// <summary>Default options: 128 tokens.</summary>
    public MiniLmEmbeddingGenerator Default { get; } = new();

    /// <summary>MaxTokens 512.</summary>
    public MiniLmEmbeddingGenerator Wide => _wide.Value;

    public void Dispose()
    {
        Default.Dispose();
        if (_wide.IsValueCreated)
        {
            _wide.Value.Dispose();
        }
    }
}

/// <summary>The tests that run the model share one fixture and run one after another (2 cores).</summary>
[CollectionDefinition(Name)]
public sealed class ModelTests : ICollectionFixture<ModelFixture>
{
    public const string Name = "MiniLM model";
}
