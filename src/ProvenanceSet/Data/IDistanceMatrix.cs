namespace ProvenanceSet.Data;

/// <summary>
/// The M × N matrix L of distances between each candidate's output and the target's output:
/// one row per candidate, one column per prompt, lower = closer.
/// </summary>
/// <remarks>
/// Implementations may hold the values in memory (<see cref="DistanceMatrix"/>) or compute them on
/// demand; the procedure reads each row once through <see cref="CopyRow"/>.
/// </remarks>
public interface IDistanceMatrix
{
    /// <summary>The number of candidates M (rows).</summary>
    int CandidateCount { get; }

    /// <summary>The number of prompts N (columns).</summary>
    int PromptCount { get; }

    /// <summary>Candidate names, one per row, unique.</summary>
    IReadOnlyList<string> CandidateNames { get; }

    /// <summary>Prompt ids, one per column, unique.</summary>
    IReadOnlyList<string> PromptIds { get; }

    /// <summary>
    /// The target model's name, when known. A target listed among its own candidates is an error.
    /// </summary>
    string? TargetName => null;

    /// <summary>Copies candidate <paramref name="candidate"/>'s N distances into <paramref name="destination"/>.</summary>
    /// <param name="candidate">0-based row index.</param>
    /// <param name="destination">At least <see cref="PromptCount"/> elements.</param>
    void CopyRow(int candidate, Span<double> destination);
}
