using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace ProvenanceSet.Outputs;

/// <summary>
/// The skeleton of a distance provider: each needed output is turned into a fingerprint once
/// (tokens, an embedding, ...), and the distance of two outputs is a function of their
/// fingerprints. Implement <see cref="FingerprintAsync"/> and <see cref="Distance"/>; alignment,
/// batching, progress, cancellation and pairwise normalisation are done here.
/// </summary>
/// <typeparam name="TFingerprint">What one output is reduced to.</typeparam>
/// <remarks>
/// The outputs are read twice: first only which model answered which prompt (so that bad input
/// and missing prompts are reported before any expensive work), then the needed outputs are
/// fingerprinted in batches. Outputs that are not needed (other models, dropped prompts) are never
/// fingerprinted, and no more than <see cref="BatchSize"/> × <see cref="ConcurrentBatches"/>
/// texts are held at once.
/// </remarks>
public abstract class FingerprintDistanceProvider<TFingerprint> : IPoolDistanceProvider
    where TFingerprint : notnull
{
    /// <inheritdoc />
    public abstract string Name { get; }

    /// <summary>How many outputs go to <see cref="FingerprintAsync"/> at once. Default 256.</summary>
    protected virtual int BatchSize => 256;

    /// <summary>How many batches may be fingerprinted concurrently. Default: one per core.</summary>
    protected virtual int ConcurrentBatches => Environment.ProcessorCount;

    /// <summary>The fingerprints of a batch of outputs, in the same order.</summary>
    /// <param name="outputs">The batch.</param>
    /// <param name="cancellationToken">Cancels the batch.</param>
    protected abstract Task<IReadOnlyList<TFingerprint>> FingerprintAsync(IReadOnlyList<ModelOutput> outputs, CancellationToken cancellationToken);

    /// <summary>
    /// Where fingerprints are kept between computations (and between processes); null (default):
    /// nowhere. Used only by providers whose <see cref="FingerprintSettings"/> is not null. The
    /// cache never changes a result: a fingerprint read from it is the one computed before.
    /// </summary>
    public IFingerprintCache? Cache { get; init; }

    /// <summary>
    /// Everything a fingerprint depends on besides its output's content (<see cref="ContentKey"/>):
    /// the kind of fingerprint and each setting, e.g. tokenizer and K, or embedding model and token
    /// budget. Null (the default) when fingerprints cannot be reused: then outputs are neither
    /// deduplicated nor cached, and the other cache members are never called. Called once per
    /// computation, with its first batch, before any fingerprint is made, so a provider may settle
    /// a choice it makes per run there (the settings must then name the choice).
    /// </summary>
    /// <param name="firstBatch">The first batch of outputs to be fingerprinted.</param>
    protected virtual string? FingerprintSettings(IReadOnlyList<ModelOutput> firstBatch) => null;

    /// <summary>
    /// The content a fingerprint is a function of, without the model's name or the prompt id, so
    /// that identical outputs share one fingerprint. Default: the output text in UTF-8.
    /// </summary>
    /// <param name="output">The output.</param>
    protected virtual byte[] ContentKey(ModelOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        return Encoding.UTF8.GetBytes(output.Output);
    }

    /// <summary>A fingerprint as bytes for the <see cref="Cache"/>; needed when <see cref="FingerprintSettings"/> is overridden.</summary>
    /// <param name="fingerprint">The fingerprint.</param>
    /// <exception cref="NotSupportedException">Not overridden.</exception>
    protected virtual byte[] SerializeFingerprint(TFingerprint fingerprint) =>
        throw new NotSupportedException($"{Name}: fingerprints have settings but no serialisation.");

    /// <summary>Reads back what <see cref="SerializeFingerprint"/> wrote; false for bytes that are not such a fingerprint (they are then recomputed).</summary>
    /// <param name="bytes">The stored bytes.</param>
    /// <param name="fingerprint">The fingerprint, when true is returned.</param>
    protected virtual bool TryDeserializeFingerprint(byte[] bytes, [MaybeNullWhen(false)] out TFingerprint fingerprint)
    {
        fingerprint = default;
        return false;
    }

    /// <summary>The distance between two outputs (lower = closer), from their fingerprints; must be symmetric and finite.</summary>
    /// <param name="a">One fingerprint.</param>
    /// <param name="b">The other fingerprint.</param>
    protected abstract double Distance(TFingerprint a, TFingerprint b);

    /// <inheritdoc />
    public async Task<OutputDistances> ComputeAsync(
        IEnumerable<ModelOutput> outputs,
        DistanceRequest request,
        IProgress<DistanceProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(request);
        var alignment = OutputAlignment.Build(outputs, request, progress, cancellationToken);
        var pool = await PoolAsync(outputs, [alignment], request.Normalize, request.MaxDegreeOfParallelism, progress, cancellationToken).ConfigureAwait(false);
        return pool.ForTarget(alignment.Target);
    }

    /// <inheritdoc />
    public async Task<PoolDistances> ComputePoolAsync(
        IEnumerable<ModelOutput> outputs,
        PoolRequest request,
        IProgress<DistanceProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(request);
        var index = OutputIndex.Build(outputs, progress, cancellationToken);
        IReadOnlyList<string> targets = request.Targets ?? index.Models;
        IReadOnlyList<string> pool = request.Pool ?? index.Models;
        foreach (string model in targets.Concat(pool))
        {
            if (!index.PromptsOf.ContainsKey(model))
            {
                throw new ArgumentException($"The model '{model}' has no outputs; models present: {string.Join(", ", index.Models.Select(m => $"'{m}'"))}.", nameof(request));
            }
        }

        if (targets.Distinct(StringComparer.Ordinal).Count() != targets.Count || pool.Distinct(StringComparer.Ordinal).Count() != pool.Count)
        {
            throw new ArgumentException("A model is named twice among the targets or the pool.", nameof(request));
        }

        var alignments = targets.Select(target => OutputAlignment.Align(index, new DistanceRequest
        {
            Target = target,
            Candidates = [.. pool.Where(m => m != target)],
            MissingPrompts = request.MissingPrompts,
            MaxPrompts = request.MaxPrompts,
            Normalize = request.Normalize,
            MaxDegreeOfParallelism = request.MaxDegreeOfParallelism,
        })).ToList();
        return await PoolAsync(outputs, alignments, request.Normalize, request.MaxDegreeOfParallelism, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Fingerprints what the alignments need, once each, and every needed pair's distance on each prompt, once each.</summary>
    private async Task<PoolDistances> PoolAsync(
        IEnumerable<ModelOutput> outputs, IReadOnlyList<OutputAlignment> alignments, bool normalize, int maxDegreeOfParallelism,
        IProgress<DistanceProgress>? progress, CancellationToken cancellationToken)
    {
        // The models and prompts involved, in a fixed order: first appearance in the alignments.
        var modelIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var promptIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var a in alignments)
        {
            foreach (string model in a.Candidates.Prepend(a.Target))
            {
                modelIndex.TryAdd(model, modelIndex.Count);
            }

            foreach (string prompt in a.Prompts)
            {
                promptIndex.TryAdd(prompt, promptIndex.Count);
            }
        }

        int models = modelIndex.Count, prompts = promptIndex.Count;
        var needed = new bool[models][];
        for (int i = 0; i < models; i++)
        {
            needed[i] = new bool[prompts];
        }

        foreach (var a in alignments)
        {
            foreach (string prompt in a.Prompts)
            {
                int t = promptIndex[prompt];
                foreach (string model in a.Candidates.Prepend(a.Target))
                {
                    needed[modelIndex[model]][t] = true;
                }
            }
        }

        var fingerprints = new TFingerprint[models][];
        for (int i = 0; i < models; i++)
        {
            fingerprints[i] = new TFingerprint[prompts];
        }

        var counts = await FingerprintAllAsync(outputs, modelIndex, promptIndex, needed, fingerprints, progress, cancellationToken).ConfigureAwait(false);
        string[] modelNames = [.. modelIndex.OrderBy(kv => kv.Value).Select(kv => kv.Key)];
        string[] promptIds = [.. promptIndex.OrderBy(kv => kv.Value).Select(kv => kv.Key)];
        var pairs = PairDistances(fingerprints, needed, modelNames, promptIds, maxDegreeOfParallelism, progress, cancellationToken);
        return new PoolDistances(Name, modelNames, promptIds, alignments, pairs, normalize, counts);
    }

    private async Task<FingerprintCounts> FingerprintAllAsync(
        IEnumerable<ModelOutput> outputs, Dictionary<string, int> modelIndex, Dictionary<string, int> promptIndex, bool[][] needed,
        TFingerprint[][] fingerprints, IProgress<DistanceProgress>? progress, CancellationToken cancellationToken)
    {
        long total = needed.Sum(row => (long)row.Count(x => x)), done = 0;
        long fingerprinted = 0, fromCache = 0;
        var filled = new bool[fingerprints.Length][];
        var queued = new bool[fingerprints.Length][];
        for (int i = 0; i < filled.Length; i++)
        {
            filled[i] = new bool[promptIndex.Count];
            queued[i] = new bool[promptIndex.Count];
        }

        using var slots = new SemaphoreSlim(Math.Max(1, ConcurrentBatches));
        var running = new List<Task>();
        var batch = new List<(ModelOutput Output, int Row, int Column)>(BatchSize);

        // Content keys: settled on the first batch (a provider may decide per run, e.g. its tokenizer, there).
        bool settled = false;
        using var keyHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[]? keyPrefix = null;
        var owners = new Dictionary<byte[], (int Row, int Column)>(KeyComparer.Instance);
        var duplicates = new List<(int Row, int Column, int OwnerRow, int OwnerColumn)>();

        async Task RunAsync(List<(ModelOutput Output, int Row, int Column)> items, byte[][]? keys, int batchDuplicates)
        {
            try
            {
                var found = new TFingerprint[items.Count];
                var missing = new List<int>(items.Count);
                var cached = keys is not null && Cache is not null
                    ? await Cache.GetAsync(keys, cancellationToken).ConfigureAwait(false)
                    : null;
                if (cached is not null && cached.Count != items.Count)
                {
                    // A cache that does not answer key for key is not trusted with any of them.
                    cached = null;
                }

                for (int k = 0; k < items.Count; k++)
                {
                    // A value that does not read back as a fingerprint is a miss: it is recomputed and replaced.
                    if (cached?[k] is { } bytes && TryDeserializeFingerprint(bytes, out var fingerprint))
                    {
                        found[k] = fingerprint;
                    }
                    else
                    {
                        missing.Add(k);
                    }
                }

                if (missing.Count > 0)
                {
                    var result = await FingerprintAsync([.. missing.Select(k => items[k].Output)], cancellationToken).ConfigureAwait(false);
                    if (result.Count != missing.Count)
                    {
                        throw new InvalidOperationException($"{Name}: {missing.Count} outputs gave {result.Count} fingerprints.");
                    }

                    for (int j = 0; j < missing.Count; j++)
                    {
                        found[missing[j]] = result[j];
                    }

                    if (keys is not null && Cache is not null)
                    {
                        await Cache.PutAsync([.. missing.Select(k => new KeyValuePair<byte[], byte[]>(keys[k], SerializeFingerprint(found[k])))], cancellationToken)
                            .ConfigureAwait(false);
                    }
                }

                for (int k = 0; k < items.Count; k++)
                {
                    fingerprints[items[k].Row][items[k].Column] = found[k];
                    filled[items[k].Row][items[k].Column] = true;
                }

                Interlocked.Add(ref fingerprinted, missing.Count);
                Interlocked.Add(ref fromCache, items.Count - missing.Count);
                progress?.Report(new DistanceProgress(DistanceStage.Fingerprinting, Interlocked.Add(ref done, items.Count + batchDuplicates), total));
            }
            finally
            {
                slots.Release();
            }
        }

        async Task FlushAsync()
        {
            var items = batch;
            batch = new List<(ModelOutput Output, int Row, int Column)>(BatchSize);
            if (!settled)
            {
                settled = true;
                if (FingerprintSettings([.. items.Select(x => x.Output)]) is { } settings)
                {
                    keyPrefix = KeyPrefix(settings);
                }
            }

            byte[][]? keys = null;
            int batchDuplicates = 0;
            if (keyPrefix is not null)
            {
                // Identical content within this computation is fingerprinted (or looked up) once.
                var unique = new List<(ModelOutput Output, int Row, int Column)>(items.Count);
                var uniqueKeys = new List<byte[]>(items.Count);
                foreach (var item in items)
                {
                    keyHash.AppendData(keyPrefix);
                    keyHash.AppendData(ContentKey(item.Output));
                    byte[] key = keyHash.GetHashAndReset();
                    if (owners.TryAdd(key, (item.Row, item.Column)))
                    {
                        unique.Add(item);
                        uniqueKeys.Add(key);
                    }
                    else
                    {
                        var owner = owners[key];
                        duplicates.Add((item.Row, item.Column, owner.Row, owner.Column));
                    }
                }

                batchDuplicates = items.Count - unique.Count;
                items = unique;
                keys = [.. uniqueKeys];
            }

            if (items.Count == 0)
            {
                progress?.Report(new DistanceProgress(DistanceStage.Fingerprinting, Interlocked.Add(ref done, batchDuplicates), total));
                return;
            }

            await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            running.Add(Task.Run(() => RunAsync(items, keys, batchDuplicates), cancellationToken));
            running.RemoveAll(t => t.IsCompletedSuccessfully);
            if (running.Find(t => t.IsFaulted || t.IsCanceled) is { } failed)
            {
                await failed.ConfigureAwait(false);
            }
        }

        progress?.Report(new DistanceProgress(DistanceStage.Fingerprinting, 0, total));
        foreach (var record in outputs)
        {
            // The first record of a (model, prompt) counts, as in the alignment.
            if (modelIndex.TryGetValue(record.Model, out int row) && promptIndex.TryGetValue(record.PromptId, out int column)
                && needed[row][column] && !queued[row][column])
            {
                queued[row][column] = true;
                batch.Add((record, row, column));
                if (batch.Count == BatchSize)
                {
                    await FlushAsync().ConfigureAwait(false);
                }
            }
        }

        if (batch.Count > 0)
        {
            await FlushAsync().ConfigureAwait(false);
        }

        await Task.WhenAll(running).ConfigureAwait(false);
        foreach (var (row, column, ownerRow, ownerColumn) in duplicates)
        {
            fingerprints[row][column] = fingerprints[ownerRow][ownerColumn];
            filled[row][column] = filled[ownerRow][ownerColumn];
        }

        for (int i = 0; i < filled.Length; i++)
        {
            for (int t = 0; t < filled[i].Length; t++)
            {
                if (needed[i][t] && !filled[i][t])
                {
                    // The outputs changed between the two passes (e.g. a file was rewritten meanwhile).
                    string model = modelIndex.First(kv => kv.Value == i).Key;
                    string prompt = promptIndex.First(kv => kv.Value == t).Key;
                    throw new InvalidOperationException(
                        $"The output of '{model}' for prompt '{prompt}' was present in the first pass over the outputs but not in the second.");
                }
            }
        }

        return new FingerprintCounts(fingerprinted, fromCache, duplicates.Count);
    }

    /// <summary>The start of every content key: a format tag and the settings, length-prefixed so that no settings string is a prefix of another's key input.</summary>
    private static byte[] KeyPrefix(string settings)
    {
        ReadOnlySpan<byte> tag = "provenanceset-fingerprint-key/1\n"u8;
        byte[] text = Encoding.UTF8.GetBytes(settings);
        var prefix = new byte[tag.Length + sizeof(int) + text.Length];
        tag.CopyTo(prefix);
        BinaryPrimitives.WriteInt32LittleEndian(prefix.AsSpan(tag.Length), text.Length);
        text.CopyTo(prefix.AsSpan(tag.Length + sizeof(int)));
        return prefix;
    }

    /// <summary>Byte-array keys compared by content.</summary>
    private sealed class KeyComparer : IEqualityComparer<byte[]>
    {
        public static readonly KeyComparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        // Keys are SHA-256 hashes: their first bytes are already uniform.
        public int GetHashCode(byte[] obj) => BinaryPrimitives.ReadInt32LittleEndian(obj);
    }

    private double[][] PairDistances(
        TFingerprint[][] fingerprints, bool[][] needed, string[] models, string[] prompts, int maxDegreeOfParallelism,
        IProgress<DistanceProgress>? progress, CancellationToken cancellationToken)
    {
        int m = models.Length, n = prompts.Length;
        var pairs = new double[n][];
        long done = 0;
        var options = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism, CancellationToken = cancellationToken };
        Parallel.For(0, n, options, t =>
        {
            var row = new double[PoolDistances.PairCount(m)];
            int k = 0;
            for (int a = 0; a < m; a++)
            {
                for (int b = a + 1; b < m; b++, k++)
                {
                    row[k] = needed[a][t] && needed[b][t] ? Checked(Distance(fingerprints[a][t], fingerprints[b][t]), models, a, b, prompts[t]) : double.NaN;
                }
            }

            pairs[t] = row;
            long now = Interlocked.Increment(ref done);
            if (now % 1024 == 0 || now == n)
            {
                progress?.Report(new DistanceProgress(DistanceStage.Distances, now, n));
            }
        });
        return pairs;
    }

    private double Checked(double distance, string[] models, int a, int b, string prompt) =>
        double.IsFinite(distance)
            ? distance
            : throw new InvalidOperationException($"{Name} returned a non-finite distance ({distance}) between '{models[a]}' and '{models[b]}' on prompt '{prompt}'.");
}
