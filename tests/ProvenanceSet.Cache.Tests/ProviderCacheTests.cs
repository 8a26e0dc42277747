using Microsoft.Extensions.AI;
using ProvenanceSet.Fingerprints;
using ProvenanceSet.Fingerprints.Semantic;
using ProvenanceSet.Fingerprints.Tokens;
using ProvenanceSet.Outputs;

namespace ProvenanceSet.Cache.Tests;

/// <summary>What the cache seam of FingerprintDistanceProvider does: deduplication, counts, keys, and that a cache never changes a result.</summary>
public class ProviderCacheTests
{
    private static readonly DistanceRequest Request = new() { Target = "t", Normalize = true };

    [Fact]
    public async Task A_cold_run_fingerprints_each_distinct_output_exactly_once_and_a_warm_run_none()
    {
        var outputs = Pools.Sharing();
        var cache = new MemoryCache();
        var cold = new CountingProvider("counting/1") { Cache = cache };
        var coldResult = await cold.ComputeAsync(outputs, Request);

        int distinct = Pools.DistinctTexts(outputs);
        Assert.True(distinct < outputs.Count, "the pool must share outputs between models for this test to mean anything");
        Assert.Equal(distinct, cold.Seen.Count);
        Assert.Equal(distinct, cold.Seen.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(new FingerprintCounts(distinct, 0, outputs.Count - distinct), coldResult.Fingerprints);

        var warm = new CountingProvider("counting/1") { Cache = cache };
        var warmResult = await warm.ComputeAsync(outputs, Request);
        Assert.Empty(warm.Seen);
        Assert.Equal(new FingerprintCounts(0, distinct, outputs.Count - distinct), warmResult.Fingerprints);
        Assert.Equal(Pools.Csv(coldResult.Matrix), Pools.Csv(warmResult.Matrix));

        var uncached = await new CountingProvider(null).ComputeAsync(outputs, Request);
        Assert.Equal(Pools.Csv(uncached.Matrix), Pools.Csv(warmResult.Matrix));
    }

    [Fact]
    public async Task A_provider_without_settings_is_neither_cached_nor_deduplicated()
    {
        var outputs = Pools.Sharing();
        var cache = new MemoryCache();
        var provider = new CountingProvider(null) { Cache = cache };
        var result = await provider.ComputeAsync(outputs, Request);
        Assert.Equal(outputs.Count, provider.Seen.Count);
        Assert.Equal(new FingerprintCounts(outputs.Count, 0, 0), result.Fingerprints);
        Assert.Equal(0, cache.Gets + cache.Puts);
    }

    [Fact]
    public async Task Other_settings_do_not_read_each_others_entries()
    {
        var outputs = Pools.Sharing();
        var cache = new MemoryCache();
        await new CountingProvider("counting/1") { Cache = cache }.ComputeAsync(outputs, Request);
        var other = new CountingProvider("counting/2") { Cache = cache };
        var result = await other.ComputeAsync(outputs, Request);
        Assert.Equal(0, result.Fingerprints!.FromCache);
        Assert.Equal(Pools.DistinctTexts(outputs), other.Seen.Count);
    }

    [Fact]
    public async Task Cached_bytes_that_are_no_fingerprint_are_recomputed_not_used()
    {
        var outputs = Pools.Sharing();
        var provider = new CountingProvider("counting/1") { Cache = new MemoryCache { AnswerGarbage = true } };
        var result = await provider.ComputeAsync(outputs, Request);
        Assert.Equal(0, result.Fingerprints!.FromCache);
        Assert.Equal(Pools.Csv((await new CountingProvider(null).ComputeAsync(outputs, Request)).Matrix), Pools.Csv(result.Matrix));
    }

    [Fact]
    public async Task A_cache_that_does_not_answer_key_for_key_is_not_used()
    {
        var outputs = Pools.Sharing();
        var cache = new MemoryCache();
        await new CountingProvider("counting/1") { Cache = cache }.ComputeAsync(outputs, Request);
        var broken = new MemoryCache { AnswerShort = true };
        foreach (var (key, value) in cache.Entries)
        {
            broken.Entries[key] = value;
        }

        var result = await new CountingProvider("counting/1") { Cache = broken }.ComputeAsync(outputs, Request);
        Assert.Equal(0, result.Fingerprints!.FromCache);
        Assert.Equal(Pools.Csv((await new CountingProvider(null).ComputeAsync(outputs, Request)).Matrix), Pools.Csv(result.Matrix));
    }

    [Theory]
    [InlineData(TokenizerKind.Cl100k, TokenDistanceKind.EditDistance)]
    [InlineData(TokenizerKind.Gpt2, TokenDistanceKind.Disagreement)]
    public async Task Token_fingerprints_round_trip_through_an_sqlite_cache(TokenizerKind tokenizer, TokenDistanceKind distance)
    {
        using var folder = new TempFolder();
        var outputs = Pools.Sharing();
        var options = new TokenDistanceOptions { Tokenizer = tokenizer, Distance = distance, Length = 8 };
        var plain = await new TokenDistanceProvider(options).ComputeAsync(outputs, Request);
        OutputDistances cold, warm;
        using (var cache = new SqliteFingerprintCache(folder.Path))
        {
            cold = await new TokenDistanceProvider(options) { Cache = cache }.ComputeAsync(outputs, Request);
        }

        using (var cache = new SqliteFingerprintCache(folder.Path))
        {
            warm = await new TokenDistanceProvider(options) { Cache = cache }.ComputeAsync(outputs, Request);
            Assert.Empty(cache.Diagnostics);
        }

        int distinct = Pools.DistinctTexts(outputs);
        Assert.Equal(new FingerprintCounts(distinct, 0, outputs.Count - distinct), cold.Fingerprints);
        Assert.Equal(new FingerprintCounts(0, distinct, outputs.Count - distinct), warm.Fingerprints);
        Assert.Equal(Pools.Csv(plain.Matrix), Pools.Csv(cold.Matrix));
        Assert.Equal(Pools.Csv(plain.Matrix), Pools.Csv(warm.Matrix));
    }

    [Fact]
    public async Task K_is_part_of_the_key()
    {
        var outputs = Pools.Sharing();
        var cache = new MemoryCache();
        await new TokenDistanceProvider(new TokenDistanceOptions { Tokenizer = TokenizerKind.Cl100k, Length = 20 }) { Cache = cache }.ComputeAsync(outputs, Request);
        var shorter = await new TokenDistanceProvider(new TokenDistanceOptions { Tokenizer = TokenizerKind.Cl100k, Length = 3 }) { Cache = cache }.ComputeAsync(outputs, Request);
        Assert.Equal(0, shorter.Fingerprints!.FromCache);
        var plain = await new TokenDistanceProvider(new TokenDistanceOptions { Tokenizer = TokenizerKind.Cl100k, Length = 3 }).ComputeAsync(outputs, Request);
        Assert.Equal(Pools.Csv(plain.Matrix), Pools.Csv(shorter.Matrix));
    }

    [Fact]
    public async Task Word_tokens_are_numbered_per_run_so_they_are_never_cached()
    {
        var outputs = Pools.Sharing();
        var cache = new MemoryCache();
        var options = new TokenDistanceOptions { Tokenizer = TokenizerKind.Words };
        var result = await new TokenDistanceProvider(options) { Cache = cache }.ComputeAsync(outputs, Request);
        Assert.Equal(new FingerprintCounts(outputs.Count, 0, 0), result.Fingerprints);
        Assert.Equal(0, cache.Gets + cache.Puts);
    }

    [Fact]
    public async Task The_auto_tokenizer_keys_on_the_tokenizer_it_resolved()
    {
        // The same texts, first with producer ids that have nothing to do with cl100k (auto takes them), then without (auto takes cl100k).
        var withIds = Pools.Sharing().Select((o, i) => o with { Tokens = [.. Enumerable.Range(i % 5, 20)] }).ToList();
        var withoutIds = Pools.Sharing();
        var cache = new MemoryCache();
        await new TokenDistanceProvider { Cache = cache }.ComputeAsync(withIds, Request);
        var provider = new TokenDistanceProvider { Cache = cache };
        var second = await provider.ComputeAsync(withoutIds, Request);
        Assert.Equal("cl100k", provider.TokenizerName);
        Assert.Equal(0, second.Fingerprints!.FromCache);
        var plain = await new TokenDistanceProvider(new TokenDistanceOptions { Tokenizer = TokenizerKind.Cl100k }).ComputeAsync(withoutIds, Request);
        Assert.Equal(Pools.Csv(plain.Matrix), Pools.Csv(second.Matrix));

        // What auto resolved to is what counts: an explicit cl100k run finds every fingerprint the auto run stored.
        var explicitRun = await new TokenDistanceProvider(new TokenDistanceOptions { Tokenizer = TokenizerKind.Cl100k }) { Cache = cache }.ComputeAsync(withoutIds, Request);
        Assert.Equal(0, explicitRun.Fingerprints!.Fingerprinted);
        Assert.Equal(Pools.Csv(plain.Matrix), Pools.Csv(explicitRun.Matrix));
    }

    [Fact]
    public async Task Producer_ids_are_the_content_so_equal_texts_with_other_ids_are_not_shared()
    {
        // t and a write the same text, but a's tokenizer gives other ids: they must not share a fingerprint.
        var outputs = Pools.Sharing().Select(o => o with { Tokens = [.. Enumerable.Range(o.Model == "a" ? 100 : 0, 20)] }).ToList();
        var options = new TokenDistanceOptions { Tokenizer = TokenizerKind.Producer, Distance = TokenDistanceKind.Disagreement };
        var cached = await new TokenDistanceProvider(options) { Cache = new MemoryCache() }.ComputeAsync(outputs, Request with { Normalize = false });
        Assert.Equal(1.0, cached.Matrix[0, 0]);
        var plain = await new TokenDistanceProvider(options).ComputeAsync(outputs, Request with { Normalize = false });
        Assert.Equal(Pools.Csv(plain.Matrix), Pools.Csv(cached.Matrix));
    }

    /// <summary>Embeds a text as (length, vowels, 1): deterministic, so a cached embedding equals a fresh one.</summary>
    private sealed class FakeGenerator : IEmbeddingGenerator<string, Embedding<float>>
    {
        public int Embedded;

        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            var list = values.ToList();
            Interlocked.Add(ref Embedded, list.Count);
            return Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(list.Select(t => new Embedding<float>(new float[] { t.Length, t.Count("aeiou".Contains), 1 }))));
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }

    [Fact]
    public async Task A_semantic_provider_is_cached_only_when_its_generator_is_named()
    {
        var outputs = Pools.Sharing();
        var cache = new MemoryCache();
        var anonymous = new FakeGenerator();
        var result = await new SemanticDistanceProvider(anonymous) { Cache = cache }.ComputeAsync(outputs, Request);
        Assert.Equal(outputs.Count, anonymous.Embedded);
        Assert.Equal(0, cache.Gets + cache.Puts);

        var named = new SemanticDistanceOptions { GeneratorIdentity = "fake/1" };
        var cold = new FakeGenerator();
        var coldResult = await new SemanticDistanceProvider(cold, named) { Cache = cache }.ComputeAsync(outputs, Request);
        Assert.Equal(Pools.DistinctTexts(outputs), cold.Embedded);
        var warm = new FakeGenerator();
        var warmResult = await new SemanticDistanceProvider(warm, named) { Cache = cache }.ComputeAsync(outputs, Request);
        Assert.Equal(0, warm.Embedded);
        Assert.Equal(Pools.Csv(result.Matrix), Pools.Csv(coldResult.Matrix));
        Assert.Equal(Pools.Csv(result.Matrix), Pools.Csv(warmResult.Matrix));

        var renamed = new FakeGenerator();
        await new SemanticDistanceProvider(renamed, named with { GeneratorIdentity = "fake/2" }) { Cache = cache }.ComputeAsync(outputs, Request);
        Assert.Equal(Pools.DistinctTexts(outputs), renamed.Embedded);
    }
}
