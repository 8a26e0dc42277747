using ProvenanceSet.Embeddings.MiniLM;
using ProvenanceSet.Fingerprints;
using ProvenanceSet.Fingerprints.Semantic;
using ProvenanceSet.Outputs;

namespace ProvenanceSet.Evaluation;

/// <summary>The semantic distance of the evaluation: the offline MiniLM default (texts cut to 128 tokens).</summary>
internal static class SemanticDistances
{
    public static Func<IDistanceProvider>? Factory() =>
        () => new SemanticDistanceProvider(new MiniLmEmbeddingGenerator(MiniLmEmbeddingOptions.Default));
}
