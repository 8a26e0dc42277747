using ProvenanceSet.Embeddings.MiniLM;
using ProvenanceSet.Fingerprints;
using ProvenanceSet.Fingerprints.Semantic;
using ProvenanceSet.Fingerprints.Tokens;
using ProvenanceSet.Outputs;

namespace ProvenanceSet.Cli.Commands;

/// <summary>The distance provider a command asked for, with whatever it needs disposed afterwards.</summary>
internal sealed class DistanceProviders : IDisposable
{
    private readonly IDisposable? _owned;

    private DistanceProviders(IDistanceProvider provider, IDisposable? owned)
    {
        Provider = provider;
        _owned = owned;
    }

    public IDistanceProvider Provider { get; }

    /// <summary>The provider; <paramref name="cache"/> (when not null) keeps its fingerprints between runs.</summary>
    public static DistanceProviders Create(string distance, TokenDistanceOptions tokenOptions, int maxTokens, IFingerprintCache? cache)
    {
        if (distance == "semantic")
        {
            if (maxTokens is < MiniLmEmbeddingOptions.MinimumMaxTokens or > MiniLmEmbeddingOptions.ModelMaxTokens)
            {
                throw new UsageException(
                    $"--max-tokens must lie between {MiniLmEmbeddingOptions.MinimumMaxTokens} and {MiniLmEmbeddingOptions.ModelMaxTokens} for the MiniLM model, got {maxTokens}.");
            }

            var generator = new MiniLmEmbeddingGenerator(MiniLmEmbeddingOptions.Default with { MaxTokens = maxTokens });
            // The generator names its model, versions and token budget, so its embeddings may be shared and cached.
            var options = SemanticDistanceOptions.Default with { GeneratorIdentity = generator.Identity };
            return new DistanceProviders(new SemanticDistanceProvider(generator, options) { Cache = cache }, generator);
        }

        return new DistanceProviders(new TokenDistanceProvider(tokenOptions) { Cache = cache }, null);
    }

    public void Dispose() => _owned?.Dispose();
}
