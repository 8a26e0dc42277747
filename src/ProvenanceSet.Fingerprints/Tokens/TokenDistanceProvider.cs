using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Microsoft.ML.Tokenizers;
using ProvenanceSet.Outputs;

namespace ProvenanceSet.Fingerprints.Tokens;

/// <summary>
/// Token fingerprints: each output is reduced to its first K tokens (from a real tokenizer or the
/// producer's token ids), once per model and prompt, and two outputs are compared by
/// <see cref="TokenDistanceOptions.Distance"/>. Fast; best for shallow lineages, where a derived
/// model still starts its answers the way its parent does.
/// </summary>
public sealed class TokenDistanceProvider : FingerprintDistanceProvider<int[]>
{
    private readonly TokenDistanceOptions _options;
    private readonly int _length;
    private ITokenSource? _source;

    /// <summary>Creates the provider.</summary>
    /// <param name="options">Distance, K and tokenizer; null for <see cref="TokenDistanceOptions.Default"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">K &lt; 1 or an unknown distance or tokenizer.</exception>
    public TokenDistanceProvider(TokenDistanceOptions? options = null)
    {
        _options = options ?? TokenDistanceOptions.Default;
        if (!Enum.IsDefined(_options.Distance) || !Enum.IsDefined(_options.Tokenizer))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "Unknown token distance or tokenizer.");
        }

        _length = _options.Distance == TokenDistanceKind.FirstTokenMismatch ? 1 : _options.Length;
        ArgumentOutOfRangeException.ThrowIfLessThan(_length, 1, nameof(options));
        _source = _options.Tokenizer switch
        {
            TokenizerKind.Cl100k => BpeTokenSource.Cl100k,
            TokenizerKind.O200k => BpeTokenSource.O200k,
            TokenizerKind.Gpt2 => BpeTokenSource.Gpt2,
            TokenizerKind.Words => new WordTokenSource(),
            TokenizerKind.Producer => new ProducerTokenSource(),
            _ => null, // Auto: decided on the first batch.
        };
    }

    /// <inheritdoc />
    public override string Name => _options.Distance switch
    {
        TokenDistanceKind.FirstTokenMismatch => $"token-first/{TokenizerName}",
        TokenDistanceKind.EditDistance => $"token-edit@{_length}/{TokenizerName}",
        _ => $"token-disagreement@{_length}/{TokenizerName}",
    };

    /// <summary>The tokenizer in use ("auto" until the first batch decides).</summary>
    public string TokenizerName => _source?.Name ?? "auto";

    /// <inheritdoc />
    protected override int BatchSize => 512;

    /// <inheritdoc />
    protected override Task<IReadOnlyList<int[]>> FingerprintAsync(IReadOnlyList<ModelOutput> outputs, CancellationToken cancellationToken)
    {
        var source = Resolve(outputs);
        var result = new int[outputs.Count][];
        for (int i = 0; i < outputs.Count; i++)
        {
            result[i] = source.FirstTokens(outputs[i], _length);
        }

        return Task.FromResult<IReadOnlyList<int[]>>(result);
    }

    /// <inheritdoc />
    /// <remarks>
    /// The tokenizer as resolved for this run (so <see cref="TokenizerKind.Auto"/> never shares
    /// fingerprints between producer ids and a BPE), K, and the tokenizer library's version. Word
    /// tokens are numbered per run, so their fingerprints are neither cached nor shared: null. The
    /// distance kind is left out: every kind compares the same first K tokens.
    /// </remarks>
    protected override string? FingerprintSettings(IReadOnlyList<ModelOutput> firstBatch)
    {
        var source = Resolve(firstBatch);
        return source is WordTokenSource
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"tokens/{source.Name}/k={_length}/tokenizers={typeof(Tokenizer).Assembly.GetName().Version}");
    }

    /// <inheritdoc />
    /// <remarks>The first K token ids of the record for the producer tokenizer, otherwise the output text.</remarks>
    protected override byte[] ContentKey(ModelOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        return _source is ProducerTokenSource ? SerializeFingerprint(_source.FirstTokens(output, _length)) : Encoding.UTF8.GetBytes(output.Output);
    }

    /// <inheritdoc />
    protected override byte[] SerializeFingerprint(int[] fingerprint)
    {
        ArgumentNullException.ThrowIfNull(fingerprint);
        var bytes = new byte[fingerprint.Length * sizeof(int)];
        for (int i = 0; i < fingerprint.Length; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(i * sizeof(int)), fingerprint[i]);
        }

        return bytes;
    }

    /// <inheritdoc />
    protected override bool TryDeserializeFingerprint(byte[] bytes, [MaybeNullWhen(false)] out int[] fingerprint)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        fingerprint = null;
        if (bytes.Length % sizeof(int) != 0 || bytes.Length / sizeof(int) > _length)
        {
            return false;
        }

        fingerprint = new int[bytes.Length / sizeof(int)];
        for (int i = 0; i < fingerprint.Length; i++)
        {
            fingerprint[i] = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(i * sizeof(int)));
        }

        return true;
    }

    /// <summary>The token source; Auto takes producer ids only when every record of the first batch carries them, decided once.</summary>
    private ITokenSource Resolve(IReadOnlyList<ModelOutput> outputs) =>
        _source ?? Interlocked.CompareExchange(ref _source,
            outputs.All(o => o.Tokens is not null) ? new ProducerTokenSource() : BpeTokenSource.Cl100k, null) ?? _source!;

    /// <inheritdoc />
    protected override double Distance(int[] a, int[] b) => _options.Distance == TokenDistanceKind.EditDistance
        ? TokenDistances.NormalizedEditDistance(a, b, _length)
        : TokenDistances.Disagreement(a, b, _length);
}
