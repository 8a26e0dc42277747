namespace ProvenanceSet.Outputs;

/// <summary>
/// A store of fingerprints that outlives one computation, so that an output met again (in a later
/// run, or from another model with the same text) is not fingerprinted again. Keys are hashes that
/// <see cref="FingerprintDistanceProvider{TFingerprint}"/> makes from the provider's settings and
/// the output's content; values are serialised fingerprints. Both are opaque bytes to the cache.
/// </summary>
/// <remarks>
/// A cache may forget any entry at any time (eviction) and must never return a value that was not
/// put under the key. It must not throw for its own trouble (a damaged or locked store): it answers
/// with misses and drops puts instead, since the fingerprints can always be computed again.
/// Implementations must be safe for concurrent calls.
/// </remarks>
public interface IFingerprintCache
{
    /// <summary>Looks up keys; the result has one entry per key, in order, null where the key is not stored.</summary>
    /// <param name="keys">The keys.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    Task<IReadOnlyList<byte[]?>> GetAsync(IReadOnlyList<byte[]> keys, CancellationToken cancellationToken = default);

    /// <summary>Stores values (replacing any stored under the same key).</summary>
    /// <param name="entries">Keys and values.</param>
    /// <param name="cancellationToken">Cancels the store.</param>
    Task PutAsync(IReadOnlyList<KeyValuePair<byte[], byte[]>> entries, CancellationToken cancellationToken = default);
}

/// <summary>
/// How the outputs of one computation got their fingerprints. The three counts add up to the
/// outputs used (target and candidates × aligned prompts).
/// </summary>
/// <param name="Fingerprinted">Outputs fingerprinted in this computation.</param>
/// <param name="FromCache">Outputs whose fingerprint was read from the <see cref="IFingerprintCache"/>.</param>
/// <param name="Duplicates">Outputs whose content equals that of another output of this computation, which gave its fingerprint.</param>
public sealed record FingerprintCounts(long Fingerprinted, long FromCache, long Duplicates)
{
    /// <summary>All outputs used: the sum of the three counts.</summary>
    public long Total => Fingerprinted + FromCache + Duplicates;
}
