namespace ProvenanceSet.Collection.Collecting;

/// <summary>
/// How <see cref="OutputCollector"/> queries the models. Every property has a documented default;
/// change a copy with <c>with</c>.
/// </summary>
public sealed record CollectionOptions
{
    /// <summary>The defaults: greedy (temperature 0), 256 output tokens, 4 requests at a time per endpoint, 6 retries, 120 s timeout.</summary>
    public static CollectionOptions Default { get; } = new();

    /// <summary>Sampling temperature sent with every request; 0 (greedy, the default) makes answers reproducible. Null sends none (the server's default).</summary>
    public float? Temperature { get; init; } = 0f;

    /// <summary>Most output tokens per answer (default 256). Null sends no limit. The token distance reads only the first 20 tokens, so 32 is enough for <c>--distance token</c>.</summary>
    public int? MaxOutputTokens { get; init; } = 256;

    /// <summary>An optional system message sent before every prompt (default none).</summary>
    public string? SystemPrompt { get; init; }

    /// <summary>Most requests in flight at once per endpoint (shared by the models on it); default 4.</summary>
    public int MaxConcurrencyPerEndpoint { get; init; } = 4;

    /// <summary>Retries of one request after a transient failure (429, 408, 5xx, timeout, dropped or refused connection); default 6. 0 makes one attempt.</summary>
    public int MaxRetries { get; init; } = 6;

    /// <summary>The first backoff delay (default 1 s); it doubles per retry, up to <see cref="MaxRetryDelay"/>, times a jitter factor in [0.5, 1].</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between two attempts (default 60 s); it also caps a server's Retry-After.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long one attempt may take before it is cancelled and counted as a transient failure (default 120 s).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Also write the prompt text into each record (the optional <c>prompt</c> field); default false.</summary>
    public bool IncludePrompt { get; init; }

    /// <summary>Seed of the backoff jitter, so that retry timing is reproducible (default 0).</summary>
    public ulong Seed { get; init; }

    internal void Validate()
    {
        if (Temperature is { } t && !(t >= 0 && float.IsFinite(t)))
        {
            throw new ArgumentOutOfRangeException(nameof(Temperature), t, "The temperature must be a finite number of at least 0.");
        }

        if (MaxOutputTokens is { } m)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(m, 1, nameof(MaxOutputTokens));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConcurrencyPerEndpoint, 1, nameof(MaxConcurrencyPerEndpoint));
        ArgumentOutOfRangeException.ThrowIfNegative(MaxRetries, nameof(MaxRetries));
        ArgumentOutOfRangeException.ThrowIfLessThan(RetryBaseDelay, TimeSpan.Zero, nameof(RetryBaseDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxRetryDelay, RetryBaseDelay, nameof(MaxRetryDelay));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Timeout, TimeSpan.Zero, nameof(Timeout));
    }
}
