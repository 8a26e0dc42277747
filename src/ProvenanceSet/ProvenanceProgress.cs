namespace ProvenanceSet;

/// <summary>Progress of <see cref="ModelProvenanceSet.Compute"/>, reported once per batch of permutation rounds.</summary>
/// <param name="Step">0-based index of the running step.</param>
/// <param name="ActiveCount">Candidates still under test in this step (m).</param>
/// <param name="RoundsCompleted">Permutation rounds (or exact relabellings) finished in this step.</param>
/// <param name="RoundsTotal">Rounds this step will run.</param>
public readonly record struct ProvenanceProgress(int Step, int ActiveCount, long RoundsCompleted, long RoundsTotal);
