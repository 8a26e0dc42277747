namespace ProvenanceSet.Outputs;

/// <summary>
/// Which distances a pool-wide screen needs: every target against every other model of the pool.
/// Change a copy with <c>with</c>.
/// </summary>
public sealed record PoolRequest
{
    /// <summary>The models audited as targets, in this order; null (default): every model in the outputs, in order of first appearance.</summary>
    public IReadOnlyList<string>? Targets { get; init; }

    /// <summary>The models that are candidates (each target's candidates are the pool minus the target); null (default): every model in the outputs.</summary>
    public IReadOnlyList<string>? Pool { get; init; }

    /// <summary>What to do with a prompt that a target or one of its candidates lacks (decided per target, as an audit of that target would).</summary>
    public MissingPromptPolicy MissingPrompts { get; init; } = MissingPromptPolicy.Drop;

    /// <summary>Per target, keep only the first K aligned prompts in the target's order. Null (default): all.</summary>
    public int? MaxPrompts { get; init; }

    /// <summary>Pairwise normalisation, as <see cref="DistanceRequest.Normalize"/>.</summary>
    public bool Normalize { get; init; }

    /// <summary>The most threads to use; -1 (default) uses every core. Results do not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;
}

/// <summary>A distance provider that can compute a whole pool's pairwise distances once and give every target's matrix from them.</summary>
public interface IPoolDistanceProvider : IDistanceProvider
{
    /// <summary>
    /// Fingerprints every output that some target's matrix needs once, computes each pair of outputs'
    /// distance once (distances are symmetric), and returns what every target's matrix is built from.
    /// </summary>
    /// <param name="outputs">The outputs of every model (enumerated twice).</param>
    /// <param name="request">Targets, pool and alignment settings.</param>
    /// <param name="progress">Optional progress (indexing, fingerprinting, distances).</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The pool's distances; <see cref="PoolDistances.ForTarget"/> gives the same matrix as <see cref="IDistanceProvider.ComputeAsync"/> for that target.</returns>
    /// <exception cref="ArgumentException">A target or pool model without outputs, a target with fewer than 2 candidates or prompts, or missing prompts under <see cref="MissingPromptPolicy.Error"/>.</exception>
    Task<PoolDistances> ComputePoolAsync(
        IEnumerable<ModelOutput> outputs,
        PoolRequest request,
        IProgress<DistanceProgress>? progress = null,
        CancellationToken cancellationToken = default);
}
