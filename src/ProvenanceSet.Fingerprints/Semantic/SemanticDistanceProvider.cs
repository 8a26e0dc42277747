using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Numerics.Tensors;
using Microsoft.Extensions.AI;
using ProvenanceSet.Outputs;

namespace ProvenanceSet.Fingerprints.Semantic;

/// <summary>
/// Semantic fingerprints: each output is embedded once by any Microsoft.Extensions.AI
/// <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> (a local model or an embedding service),
/// and two outputs are compared by cosine distance 1 − cos(a, b) ∈ [0, 2]. More robust than tokens
/// for deep lineages, where a derived model keeps its parent's content but not its wording.
/// </summary>
/// <remarks>
/// Embeddings are cached per (model, prompt id) for the lifetime of the provider, so auditing
/// several targets against one pool embeds each candidate output once; a cached embedding is used
/// only for the same text. How long a text may be is the generator's concern (the offline default,
/// ProvenanceSet.Embeddings.MiniLM, cuts texts to 128 tokens).
/// </remarks>
public sealed class SemanticDistanceProvider : FingerprintDistanceProvider<float[]>
{
    private readonly IEmbeddingGenerator<string, Embedding<float>> _generator;
    private readonly SemanticDistanceOptions _options;
    private readonly ConcurrentDictionary<(string Model, string PromptId), (string Text, float[] Vector)> _cache = new();

    /// <summary>Creates the provider.</summary>
    /// <param name="generator">The embedding generator (not disposed by the provider).</param>
    /// <param name="options">Batching; null for <see cref="SemanticDistanceOptions.Default"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="generator"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A batch size below 1.</exception>
    public SemanticDistanceProvider(IEmbeddingGenerator<string, Embedding<float>> generator, SemanticDistanceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(generator);
        _generator = generator;
        _options = options ?? SemanticDistanceOptions.Default;
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.BatchSize, 1, nameof(options));
    }

    /// <inheritdoc />
    public override string Name
    {
        get
        {
            var metadata = _generator.GetService<EmbeddingGeneratorMetadata>();
            return $"semantic-cosine/{metadata?.DefaultModelId ?? metadata?.ProviderName ?? _generator.GetType().Name}";
        }
    }

    /// <inheritdoc />
    protected override int BatchSize => _options.BatchSize;

    /// <inheritdoc />
    // The generator uses the cores itself; one batch at a time keeps it from oversubscribing them.
    protected override int ConcurrentBatches => 1;

    /// <inheritdoc />
    protected override async Task<IReadOnlyList<float[]>> FingerprintAsync(IReadOnlyList<ModelOutput> outputs, CancellationToken cancellationToken)
    {
        var result = new float[outputs.Count][];
        var missing = new List<int>();
        for (int i = 0; i < outputs.Count; i++)
        {
            if (_cache.TryGetValue((outputs[i].Model, outputs[i].PromptId), out var hit) && hit.Text == outputs[i].Output)
            {
                result[i] = hit.Vector;
            }
            else
            {
                missing.Add(i);
            }
        }

        if (missing.Count > 0)
        {
            var embeddings = await _generator.GenerateAsync([.. missing.Select(i => outputs[i].Output)], cancellationToken: cancellationToken).ConfigureAwait(false);
            if (embeddings.Count != missing.Count)
            {
                throw new InvalidOperationException($"The embedding generator returned {embeddings.Count} embeddings for {missing.Count} texts.");
            }

            for (int k = 0; k < missing.Count; k++)
            {
                var output = outputs[missing[k]];
                float[] vector = embeddings[k].Vector.ToArray();
                if (vector.Length == 0 || vector.Any(v => !float.IsFinite(v)))
                {
                    throw new InvalidOperationException($"The embedding of model '{output.Model}', prompt '{output.PromptId}' is empty or not finite.");
                }

                result[missing[k]] = vector;
                _cache[(output.Model, output.PromptId)] = (output.Output, vector);
            }
        }

        return result;
    }

    /// <inheritdoc />
    /// <remarks>Null (not cached) unless <see cref="SemanticDistanceOptions.GeneratorIdentity"/> names the generator.</remarks>
    protected override string? FingerprintSettings(IReadOnlyList<ModelOutput> firstBatch) =>
        _options.GeneratorIdentity is { } identity ? $"embedding/float32/{identity}" : null;

    /// <inheritdoc />
    protected override byte[] SerializeFingerprint(float[] fingerprint)
    {
        ArgumentNullException.ThrowIfNull(fingerprint);
        var bytes = new byte[fingerprint.Length * sizeof(float)];
        for (int i = 0; i < fingerprint.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), fingerprint[i]);
        }

        return bytes;
    }

    /// <inheritdoc />
    protected override bool TryDeserializeFingerprint(byte[] bytes, [MaybeNullWhen(false)] out float[] fingerprint)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        fingerprint = null;
        if (bytes.Length == 0 || bytes.Length % sizeof(float) != 0)
        {
            return false;
        }

        var vector = new float[bytes.Length / sizeof(float)];
        for (int i = 0; i < vector.Length; i++)
        {
            vector[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * sizeof(float)));
            if (!float.IsFinite(vector[i]))
            {
                return false;
            }
        }

        fingerprint = vector;
        return true;
    }

    /// <inheritdoc />
    protected override double Distance(float[] a, float[] b)
    {
        if (a.Length != b.Length)
        {
            throw new InvalidOperationException($"Embeddings of different dimensions ({a.Length} and {b.Length}).");
        }

        double normA = TensorPrimitives.Norm(a), normB = TensorPrimitives.Norm(b);
        if (normA == 0 || normB == 0)
        {
            // A zero vector has no direction: equal to another zero vector, unrelated to anything else.
            return normA == normB ? 0 : 1;
        }

        double cosine = TensorPrimitives.Dot(a, b) / (normA * normB);
        return 1 - Math.Clamp(cosine, -1, 1);
    }
}

/// <summary>Batching of <see cref="SemanticDistanceProvider"/>. Change a copy with <c>with</c>.</summary>
public sealed record SemanticDistanceOptions
{
    /// <summary>The defaults.</summary>
    public static SemanticDistanceOptions Default { get; } = new();

    /// <summary>How many texts go to the generator in one call. Default 64.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>
    /// Names the generator and every setting that changes its embeddings (model, version, token
    /// budget), e.g. <c>MiniLmEmbeddingGenerator.Identity</c>. When set, identical texts are
    /// embedded once per computation and embeddings may be kept in a
    /// <see cref="FingerprintDistanceProvider{TFingerprint}.Cache"/>; two generators given the same
    /// identity must give the same embeddings. Default null: a generator is not known by its
    /// metadata alone (a wrapper may change its embeddings), so nothing is shared or cached.
    /// </summary>
    public string? GeneratorIdentity { get; init; }
}
