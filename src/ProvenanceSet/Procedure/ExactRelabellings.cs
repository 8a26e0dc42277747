using ProvenanceSet.Kernels;

namespace ProvenanceSet.Procedure;

/// <summary>
/// Exact mode: every relabelling of a step (one permutation of the m active candidates per group,
/// (m!)^G in all) is enumerated once, the identity included.
/// </summary>
internal static class ExactRelabellings
{
    /// <summary>(m!)^G, or −1 when it exceeds <paramref name="cap"/>.</summary>
    public static long Count(int m, int groups, long cap)
    {
        long perGroup = 1;
        for (int k = 2; k <= m; k++)
        {
            if (perGroup > cap / k)
            {
                return -1;
            }

            perGroup *= k;
        }

        long total = 1;
        for (int g = 0; g < groups; g++)
        {
            if (perGroup > 1 && total > cap / perGroup)
            {
                return -1;
            }

            total *= perGroup;
        }

        return total;
    }

    /// <summary>
    /// Writes T* for relabellings index .. index + destination.Length − 1. Relabelling i is the
    /// mixed-radix number whose digit g (base m!, group 0 most significant) is the Lehmer code of
    /// group g's permutation; relabelling 0 is the identity.
    /// </summary>
    public static void Run(StepData step, long firstIndex, Span<double> destination)
    {
        int m = step.ActiveCount, groups = step.GroupCount;
        long perGroup = Count(m, 1, long.MaxValue);
        var permutation = new int[m];
        var scratch = new int[m];
        var s1 = new double[m];
        var s2 = new double[m];
        var digits = new long[groups];
        for (int r = 0; r < destination.Length; r++)
        {
            long index = firstIndex + r;
            for (int g = groups - 1; g >= 0; g--)
            {
                digits[g] = index % perGroup;
                index /= perGroup;
            }

            // Groups are accumulated in stored order, as for the observed statistic.
            Array.Clear(s1);
            Array.Clear(s2);
            for (int g = 0; g < groups; g++)
            {
                DecodeLehmer(digits[g], permutation, scratch);
                ScalarReferenceKernel.AccumulateGroup(step, g, permutation, s1, s2);
            }

            destination[r] = StudentizedStatistic.Min(s1, s2, step.PromptCount, out _);
        }
    }

    /// <summary>The permutation with rank <paramref name="rank"/> in lexicographic order (rank 0 = identity).</summary>
    public static void DecodeLehmer(long rank, Span<int> permutation, Span<int> scratch)
    {
        int m = permutation.Length;
        for (int k = 0; k < m; k++)
        {
            scratch[k] = k;
        }

        long factorial = 1;
        for (int k = 2; k < m; k++)
        {
            factorial *= k;
        }

        int remaining = m;
        for (int pos = 0; pos < m; pos++)
        {
            long digit = remaining > 1 ? rank / factorial : 0;
            rank -= digit * factorial;
            permutation[pos] = scratch[(int)digit];
            for (int k = (int)digit; k < remaining - 1; k++)
            {
                scratch[k] = scratch[k + 1];
            }

            remaining--;
            if (remaining > 1)
            {
                factorial /= remaining;
            }
        }
    }
}
