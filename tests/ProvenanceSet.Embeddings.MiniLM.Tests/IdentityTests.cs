namespace ProvenanceSet.Embeddings.MiniLM.Tests;

/// <summary>The identity a fingerprint cache keys embeddings on: it must change with whatever changes an embedding.</summary>
public sealed class IdentityTests
{
    [Fact]
    public void Identity_names_the_model_and_the_token_budget_but_not_batching()
    {
        using var standard = new MiniLmEmbeddingGenerator();
        using var batched = new MiniLmEmbeddingGenerator(MiniLmEmbeddingOptions.Default with { BatchSize = 3, MaxDegreeOfParallelism = 1 });
        using var shorter = new MiniLmEmbeddingGenerator(MiniLmEmbeddingOptions.Default with { MaxTokens = 64 });
        Assert.StartsWith($"{MiniLmEmbeddingGenerator.ProviderName}/{MiniLmEmbeddingGenerator.ModelId}/", standard.Identity, StringComparison.Ordinal);
        Assert.Contains("max-tokens=128", standard.Identity, StringComparison.Ordinal);
        Assert.Contains("onnxruntime=", standard.Identity, StringComparison.Ordinal);
        Assert.Equal(standard.Identity, batched.Identity);
        Assert.NotEqual(standard.Identity, shorter.Identity);
    }
}
