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
public abstract class FingerprintDistanceProvider<TFingerprint> : IDistanceProvider
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
        int m = alignment.Candidates.Length, n = alignment.Prompts.Length;

        // Row 0 holds the target, rows 1..m the candidates.
        var fingerprints = new TFingerprint[m + 1][];
        for (int i = 0; i <= m; i++)
        {
            fingerprints[i] = new TFingerprint[n];
        }

        await FingerprintAllAsync(outputs, alignment, fingerprints, progress, cancellationToken).ConfigureAwait(false);
        var values = Distances(fingerprints, m, n, request, progress, cancellationToken);
        var matrix = new DistanceMatrix(values, alignment.Candidates, alignment.Prompts) { TargetName = alignment.Target };
        var notes = new List<string>(alignment.Notes);
        if (request.Normalize)
        {
            notes.Add("Distances are pairwise-normalised: each candidate's mean distance to the other candidates on a prompt is subtracted.");
        }

        return new OutputDistances
        {
            Matrix = matrix,
            PromptsDropped = alignment.PromptsDropped,
            PromptsBeyondLimit = alignment.PromptsBeyondLimit,
            Notes = notes,
        };
    }

    private async Task FingerprintAllAsync(
        IEnumerable<ModelOutput> outputs, OutputAlignment alignment, TFingerprint[][] fingerprints,
        IProgress<DistanceProgress>? progress, CancellationToken cancellationToken)
    {
        long total = (long)(alignment.Candidates.Length + 1) * alignment.Prompts.Length, done = 0;
        var filled = new bool[fingerprints.Length][];
        for (int i = 0; i < filled.Length; i++)
        {
            filled[i] = new bool[alignment.Prompts.Length];
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
            if (alignment.TryLocate(record, out int row, out int column))
            {
                batch.Add((record, row + 1, column));
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
            int missing = Array.IndexOf(filled[i], false);
            if (missing >= 0)
            {
                // The outputs changed between the two passes (e.g. a file was rewritten meanwhile).
                string model = i == 0 ? alignment.Target : alignment.Candidates[i - 1];
                throw new InvalidOperationException(
                    $"The output of '{model}' for prompt '{alignment.Prompts[missing]}' was present in the first pass over the outputs but not in the second.");
            }
        }
    }

    private double[,] Distances(TFingerprint[][] fingerprints, int m, int n, DistanceRequest request, IProgress<DistanceProgress>? progress, CancellationToken cancellationToken)
    {
        var values = new double[m, n];
        long done = 0;
        var options = new ParallelOptions { MaxDegreeOfParallelism = request.MaxDegreeOfParallelism, CancellationToken = cancellationToken };
        Parallel.For(0, n, options, t =>
        {
            var target = fingerprints[0][t];
            for (int i = 0; i < m; i++)
            {
                values[i, t] = Checked(Distance(target, fingerprints[i + 1][t]), i, t);
            }

            if (request.Normalize)
            {
                // Mean distance of each candidate to the others on this prompt, summed in a fixed order.
                var toOthers = new double[m];
                for (int i = 0; i < m; i++)
                {
                    for (int j = i + 1; j < m; j++)
                    {
                        double d = Checked(Distance(fingerprints[i + 1][t], fingerprints[j + 1][t]), i, t);
                        toOthers[i] += d;
                        toOthers[j] += d;
                    }
                }

                for (int i = 0; i < m; i++)
                {
                    values[i, t] -= toOthers[i] / (m - 1);
                }
            }

            long now = Interlocked.Increment(ref done);
            if (now % 1024 == 0 || now == n)
            {
                progress?.Report(new DistanceProgress(DistanceStage.Distances, now, n));
            }
        });
        return values;
    }

    private double Checked(double distance, int candidate, int prompt) =>
        double.IsFinite(distance)
            ? distance
            : throw new InvalidOperationException($"{Name} returned a non-finite distance ({distance}) for candidate {candidate + 1} on prompt {prompt + 1}.");
}
