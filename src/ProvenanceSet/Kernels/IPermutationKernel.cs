using ProvenanceSet.Randomness;

namespace ProvenanceSet.Kernels;

/// <summary>
/// Computes permuted statistics T*_r for a range of rounds of one step. Round r always uses the
/// stream <see cref="RoundStream.Round"/>(r) and draws its permutations as <see cref="ShufflePlan"/> does,
/// so every kernel sees the same permutations; every kernel adds the same values in the same order,
/// so every kernel gives the same T* bits.
/// </summary>
internal interface IPermutationKernel
{
    /// <summary>A short stable name (used by benchmarks and tests).</summary>
    string Name { get; }

    /// <summary>How many rounds the kernel runs side by side; batches are best sized as multiples of it.</summary>
    int RoundsPerPass { get; }

    /// <summary>Writes T* of rounds FirstRound .. FirstRound + nullStatistics.Length − 1 of <paramref name="rounds"/>.</summary>
    void RunRounds(StepData step, RoundStream rounds, Span<double> nullStatistics);
}
