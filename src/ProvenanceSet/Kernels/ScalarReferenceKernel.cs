using ProvenanceSet.Randomness;

namespace ProvenanceSet.Kernels;

/// <summary>
/// The reference kernel: plain scalar code, written to be obviously right. It stays as the oracle
/// that every faster kernel is tested against, and as the baseline of the benchmarks.
/// </summary>
/// <remarks>
/// One round: for every group in stored order, draw a uniform permutation π of 0..m−1 (<see cref="ShufflePlan"/>); for
/// every prompt t of the group and every position k, add e[t, π(k)] to S1[k] and its square to S2[k]; T* = min_k t(S1[k],
/// S2[k]). Sums run over prompts in stored order for every k, which makes a kernel that adds across k bit-identical.
/// </remarks>
internal sealed class ScalarReferenceKernel : IPermutationKernel
{
    public static ScalarReferenceKernel Instance { get; } = new();

    public string Name => "reference";

    public int RoundsPerPass => 1;

    public void RunRounds(StepData step, RoundStream rounds, Span<double> nullStatistics)
    {
        int m = step.ActiveCount;
        ShufflePlan plan = step.ShufflePlan;
        var permutation = new int[m];
        var swaps = new int[m];
        var s1 = new double[m];
        var s2 = new double[m];
        for (int r = 0; r < nullStatistics.Length; r++)
        {
            var rng = rounds.Round(r);
            Array.Clear(s1);
            Array.Clear(s2);
            for (int g = 0; g < step.GroupCount; g++)
            {
                plan.DrawPermutation(ref rng, permutation, swaps);
                AccumulateGroup(step, g, permutation, s1, s2);
            }

            nullStatistics[r] = StudentizedStatistic.Min(s1, s2, step.PromptCount, out _);
        }
    }

    /// <summary>S1[k] += e[t, π(k)], S2[k] += e[t, π(k)]² for every prompt t of group g.</summary>
    public static void AccumulateGroup(StepData step, int group, ReadOnlySpan<int> permutation, Span<double> s1, Span<double> s2)
    {
        int m = step.ActiveCount;
        double[] values = step.Values;
        for (int p = step.GroupStarts[group]; p < step.GroupStarts[group + 1]; p++)
        {
            int row = p * m;
            for (int k = 0; k < m; k++)
            {
                double v = values[row + permutation[k]];
                s1[k] += v;
                s2[k] += v * v;
            }
        }
    }
}
