using ModelProvenance.Outputs;

namespace ModelProvenance.Fingerprints;

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
        // Auto: producer ids only when every record carries them; decided once, from the first batch.
        var source = _source ?? Interlocked.CompareExchange(ref _source,
            outputs.All(o => o.Tokens is not null) ? new ProducerTokenSource() : BpeTokenSource.Cl100k, null) ?? _source!;
        var result = new int[outputs.Count][];
        for (int i = 0; i < outputs.Count; i++)
        {
            result[i] = source.FirstTokens(outputs[i], _length);
        }

        return Task.FromResult<IReadOnlyList<int[]>>(result);
    }

    /// <inheritdoc />
    protected override double Distance(int[] a, int[] b) => _options.Distance == TokenDistanceKind.EditDistance
        ? TokenDistances.NormalizedEditDistance(a, b, _length)
        : TokenDistances.Disagreement(a, b, _length);
}
