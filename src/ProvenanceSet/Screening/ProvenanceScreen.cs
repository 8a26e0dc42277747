using ProvenanceSet.Outputs;

namespace ProvenanceSet.Screening;

/// <summary>
/// Screens a pool: every target is audited against every other model of the pool, from one set of
/// fingerprints and pairwise distances. Each target's result is the one an audit of that target
/// would give with the same options (same alignment, matrix and seed); the guarantee is per target,
/// not joint over the targets.
/// </summary>
public static class ProvenanceScreen
{
    /// <summary>Runs the screen.</summary>
    /// <param name="outputs">Every model's outputs (enumerated twice).</param>
    /// <param name="provider">Fingerprints and distances (e.g. the token or semantic provider).</param>
    /// <param name="request">Targets (default: every model), pool (default: every model) and alignment settings.</param>
    /// <param name="options">The procedure's options for every target; null for <see cref="ProvenanceOptions.Default"/>.</param>
    /// <param name="progress">Optional progress: distances first, then targets completed.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>One result per target, in the request's order, and the pool's distances.</returns>
    /// <exception cref="ArgumentException">A named model without outputs, a target with too few candidates or prompts, or options <see cref="ModelProvenanceSet.Compute"/> refuses.</exception>
    public static async Task<ScreenResult> RunAsync(
        IEnumerable<ModelOutput> outputs,
        IPoolDistanceProvider provider,
        PoolRequest request,
        ProvenanceOptions? options = null,
        IProgress<ScreenProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(request);
        options ??= ProvenanceOptions.Default;
        var distanceProgress = progress is null ? null : new Relay<DistanceProgress>(p => progress.Report(new ScreenProgress(p.Stage switch
        {
            DistanceStage.Indexing => ScreenStage.Indexing,
            DistanceStage.Fingerprinting => ScreenStage.Fingerprinting,
            _ => ScreenStage.Distances,
        }, p.Completed, p.Total)));
        var pool = await provider.ComputePoolAsync(outputs, request, distanceProgress, cancellationToken).ConfigureAwait(false);

        var targets = new ScreenTarget[pool.Targets.Count];
        int done = 0;
        progress?.Report(new ScreenProgress(ScreenStage.Targets, 0, targets.Length));
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism, CancellationToken = cancellationToken };
        Parallel.For(0, targets.Length, parallel, k =>
        {
            string target = pool.Targets[k];
            var distances = pool.ForTarget(target);
            var result = ModelProvenanceSet.Compute(distances.Matrix, options, null, cancellationToken);
            result = result with
            {
                Distance = provider.Name,
                Diagnostics = [.. distances.Notes, .. result.Diagnostics],
            };
            targets[k] = new ScreenTarget(target, result, distances);
            progress?.Report(new ScreenProgress(ScreenStage.Targets, Interlocked.Increment(ref done), targets.Length));
        });
        return new ScreenResult(targets, pool);
    }

    private sealed class Relay<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}

/// <summary>A screen's results.</summary>
/// <param name="Targets">One result per target, in the request's order.</param>
/// <param name="Distances">The pool's distances (for every model pair's mean distance, or a target's matrix).</param>
public sealed record ScreenResult(IReadOnlyList<ScreenTarget> Targets, PoolDistances Distances);

/// <summary>One target's audit within a screen.</summary>
/// <param name="Target">The target model.</param>
/// <param name="Result">Its provenance set against the rest of the pool.</param>
/// <param name="Distances">Its distance matrix and what alignment did.</param>
public sealed record ScreenTarget(string Target, ProvenanceResult Result, OutputDistances Distances);

/// <summary>What a screen is doing.</summary>
public enum ScreenStage
{
    /// <summary>Reading which model answered which prompt.</summary>
    Indexing = 0,

    /// <summary>Fingerprinting outputs (each needed output once).</summary>
    Fingerprinting = 1,

    /// <summary>Pairwise distances, prompt by prompt.</summary>
    Distances = 2,

    /// <summary>Targets audited.</summary>
    Targets = 3,
}

/// <summary>Progress of a screen.</summary>
/// <param name="Stage">What is running.</param>
/// <param name="Completed">Units done in this stage.</param>
/// <param name="Total">Units in this stage (0 while unknown).</param>
public readonly record struct ScreenProgress(ScreenStage Stage, long Completed, long Total);
