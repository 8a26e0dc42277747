using ProvenanceSet.Data;

namespace ProvenanceSet.Outputs;

/// <summary>
/// Which distances to compute from model outputs: the target, the candidates, how to treat prompts
/// that some model lacks, and optional pairwise normalisation. Change a copy with <c>with</c>.
/// </summary>
public sealed record DistanceRequest
{
    /// <summary>The target model's name, as it appears in the outputs.</summary>
    public required string Target { get; init; }

    /// <summary>The candidate models, in the order the matrix rows should have; null (default): every model in the outputs except the target, in order of first appearance.</summary>
    public IReadOnlyList<string>? Candidates { get; init; }

    /// <summary>What to do with a prompt that the target or some candidate lacks. Default <see cref="MissingPromptPolicy.Drop"/>.</summary>
    public MissingPromptPolicy MissingPrompts { get; init; } = MissingPromptPolicy.Drop;

    /// <summary>After aligning, keep only the first K prompts, in the order in which the target's outputs first list them. Null (default): all.</summary>
    public int? MaxPrompts { get; init; }

    /// <summary>
    /// Pairwise normalisation: subtract from L[i, t] candidate i's mean distance to the other
    /// candidates on prompt t, which removes how far a candidate is from everyone (its style, length
    /// or tokenizer) and keeps how much closer it is to the target. Default false.
    /// </summary>
    public bool Normalize { get; init; }

    /// <summary>The most threads to use for distances; -1 (default) uses every core. Results do not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;
}

/// <summary>What to do with a prompt that the target or some candidate lacks.</summary>
public enum MissingPromptPolicy
{
    /// <summary>Drop the prompt for every model and report how many were dropped (the default).</summary>
    Drop = 0,

    /// <summary>Refuse: an error names the model and the prompt.</summary>
    Error = 1,
}

/// <summary>Distances computed from outputs: the matrix and what alignment did.</summary>
public sealed record OutputDistances
{
    /// <summary>The M × N distance matrix (target name set), rows in candidate order, columns in the target's prompt order.</summary>
    public required DistanceMatrix Matrix { get; init; }

    /// <summary>Prompts dropped because the target or some candidate lacked them.</summary>
    public required int PromptsDropped { get; init; }

    /// <summary>Prompts left out by <see cref="DistanceRequest.MaxPrompts"/>.</summary>
    public required int PromptsBeyondLimit { get; init; }

    /// <summary>What the user should know about the alignment (dropped prompts and which model lacked them).</summary>
    public required IReadOnlyList<string> Notes { get; init; }

    /// <summary>How many outputs were fingerprinted, read from a cache, or shared an identical output's fingerprint; null when the provider does not say.</summary>
    public FingerprintCounts? Fingerprints { get; init; }
}

/// <summary>Progress of a distance computation.</summary>
/// <param name="Stage">What is running.</param>
/// <param name="Completed">Units done in this stage (records, outputs or prompts).</param>
/// <param name="Total">Units in this stage, or 0 when not known in advance.</param>
public readonly record struct DistanceProgress(DistanceStage Stage, long Completed, long Total);

/// <summary>The stages of a distance computation.</summary>
public enum DistanceStage
{
    /// <summary>First pass over the outputs: which model answered which prompt.</summary>
    Indexing = 0,

    /// <summary>Second pass: each needed output turned into its fingerprint (tokens, embedding), once.</summary>
    Fingerprinting = 1,

    /// <summary>Distances between fingerprints, prompt by prompt.</summary>
    Distances = 2,
}

/// <summary>Turns model outputs into a distance matrix for <see cref="ModelProvenanceSet.Compute"/>.</summary>
public interface IDistanceProvider
{
    /// <summary>A short name for reports (e.g. "token-disagreement@20/cl100k").</summary>
    string Name { get; }

    /// <summary>Computes the distance between each candidate's output and the target's output on every aligned prompt.</summary>
    /// <param name="outputs">The outputs; enumerated twice (keys first, then fingerprints), so a file reader or a list, not a one-shot stream.</param>
    /// <param name="request">Target, candidates and alignment policy.</param>
    /// <param name="progress">Optional progress per batch.</param>
    /// <param name="cancellationToken">Checked per batch.</param>
    Task<OutputDistances> ComputeAsync(
        IEnumerable<ModelOutput> outputs,
        DistanceRequest request,
        IProgress<DistanceProgress>? progress = null,
        CancellationToken cancellationToken = default);
}
