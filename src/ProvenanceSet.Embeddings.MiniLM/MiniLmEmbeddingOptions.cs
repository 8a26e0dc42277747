namespace ProvenanceSet.Embeddings.MiniLM;

/// <summary>
/// Settings of a <see cref="MiniLmEmbeddingGenerator"/>. Immutable: start from
/// <see cref="Default"/> (or <c>new()</c>) and change a copy with <c>with</c>. Every setter checks
/// its value and throws <see cref="ArgumentOutOfRangeException"/> when it is out of range.
/// </summary>
/// <example>
/// <code>
/// var options = MiniLmEmbeddingOptions.Default with { MaxTokens = 256, BatchSize = 16 };
/// using var generator = new MiniLmEmbeddingGenerator(options);
/// </code>
/// </example>
public sealed record MiniLmEmbeddingOptions
{
    /// <summary>Default <see cref="MaxTokens"/>: 128 WordPiece tokens, <c>[CLS]</c> and <c>[SEP]</c> included.</summary>
    public const int DefaultMaxTokens = 128;

    /// <summary>Default <see cref="BatchSize"/>: 16 texts per ONNX Runtime call.</summary>
    public const int DefaultBatchSize = 16;

    /// <summary>The longest sequence the model accepts (its position embeddings): 512 tokens.</summary>
    public const int ModelMaxTokens = 512;

    /// <summary>The smallest <see cref="MaxTokens"/>: <c>[CLS]</c>, one token of text and <c>[SEP]</c>.</summary>
    public const int MinimumMaxTokens = 3;

    /// <summary>The default settings.</summary>
    public static MiniLmEmbeddingOptions Default { get; } = new();

    /// <summary>
    /// The token budget: every text is cut to at most this many WordPiece tokens, <c>[CLS]</c> and
    /// <c>[SEP]</c> included, before it is embedded; only the beginning of a longer text counts.
    /// Default <see cref="DefaultMaxTokens"/> (128), the length all-MiniLM-L6-v2 was trained on;
    /// from <see cref="MinimumMaxTokens"/> to <see cref="ModelMaxTokens"/>. The cost of a text
    /// grows with its token count, so a larger budget is slower on long texts.
    /// </summary>
    public int MaxTokens
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, MinimumMaxTokens);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, ModelMaxTokens);
            field = value;
        }
    } = DefaultMaxTokens;

    /// <summary>
    /// How many texts go through the model in one call. A call's texts are sorted by token count
    /// first, so a batch holds texts of similar length and little padding. Default
    /// <see cref="DefaultBatchSize"/> (16); at least 1. The results do not depend on it beyond
    /// floating-point rounding.
    /// </summary>
    public int BatchSize
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            field = value;
        }
    } = DefaultBatchSize;

    /// <summary>
    /// Threads ONNX Runtime uses inside one batch (its intra-op thread pool; the calling thread is
    /// one of them). Default <see cref="Environment.ProcessorCount"/>, every core; at least 1.
    /// </summary>
    public int MaxDegreeOfParallelism
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            field = value;
        }
    } = Environment.ProcessorCount;
}
