namespace ModelProvenance.Kernels;

/// <summary>
/// Computes permuted statistics T*_r for a range of rounds of one step. Round r always uses the
/// stream <see cref="Randomness.RandomStreams.ForRound"/>(seed, step, r) and draws its permutations
/// through <see cref="Randomness.ShufflePlan"/>, so every kernel sees the same permutations.
/// </summary>
internal interface IPermutationKernel
{
    /// <summary>A short stable name (used by benchmarks and tests).</summary>
    string Name { get; }

    /// <summary>Writes T*_r for r = firstRound .. firstRound + nullStatistics.Length − 1.</summary>
    void RunRounds(StepData step, ulong seed, int stepIndex, long firstRound, Span<double> nullStatistics);
}
