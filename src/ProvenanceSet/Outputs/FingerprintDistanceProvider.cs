namespace ModelProvenance.Outputs;

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

        await FingerprintAllAsync(outputs, modelIndex, promptIndex, needed, fingerprints, progress, cancellationToken).ConfigureAwait(false);
        string[] modelNames = [.. modelIndex.OrderBy(kv => kv.Value).Select(kv => kv.Key)];
        string[] promptIds = [.. promptIndex.OrderBy(kv => kv.Value).Select(kv => kv.Key)];
        var pairs = PairDistances(fingerprints, needed, modelNames, promptIds, maxDegreeOfParallelism, progress, cancellationToken);
        return new PoolDistances(Name, modelNames, promptIds, alignments, pairs, normalize);
    }

    private async Task FingerprintAllAsync(
        IEnumerable<ModelOutput> outputs, Dictionary<string, int> modelIndex, Dictionary<string, int> promptIndex, bool[][] needed,
        TFingerprint[][] fingerprints, IProgress<DistanceProgress>? progress, CancellationToken cancellationToken)
    {
        long total = needed.Sum(row => (long)row.Count(x => x)), done = 0;
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

        async Task RunAsync(List<(ModelOutput Output, int Row, int Column)> items)
        {
            try
            {
                var result = await FingerprintAsync([.. items.Select(x => x.Output)], cancellationToken).ConfigureAwait(false);
                if (result.Count != items.Count)
                {
                    throw new InvalidOperationException($"{Name}: {items.Count} outputs gave {result.Count} fingerprints.");
                }

                for (int k = 0; k < items.Count; k++)
                {
                    fingerprints[items[k].Row][items[k].Column] = result[k];
                    filled[items[k].Row][items[k].Column] = true;
                }

                progress?.Report(new DistanceProgress(DistanceStage.Fingerprinting, Interlocked.Add(ref done, items.Count), total));
            }
            finally
            {
                slots.Release();
            }
        }

        async Task FlushAsync()
        {
            await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            var items = batch;
            batch = new List<(ModelOutput Output, int Row, int Column)>(BatchSize);
            running.Add(Task.Run(() => RunAsync(items), cancellationToken));
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
