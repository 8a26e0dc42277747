namespace ProvenanceSet.Tests;

/// <summary>
/// An independent, deliberately naive implementation of one MPS step, written from docs/algorithm.md
/// with two-pass statistics (MathNet) and recursive enumeration: the oracle for the library.
/// </summary>
internal static class BruteForce
{
    /// <summary>t_i for the active rows of L (rows = candidates), two-pass mean and variance.</summary>
    public static double[] CandidateStatistics(double[,] l, int[] active)
    {
        int n = l.GetLength(1), m = active.Length;
        var e = Centred(l, active);
        var t = new double[m];
        for (int k = 0; k < m; k++)
        {
            var row = Enumerable.Range(0, n).Select(p => e[k, p]).ToArray();
            double mean = MathNet.Numerics.Statistics.Statistics.Mean(row);
            double variance = MathNet.Numerics.Statistics.Statistics.Variance(row);
            t[k] = mean / Math.Sqrt(variance / n);
        }

        return t;
    }

    public static double[,] Centred(double[,] l, int[] active)
    {
        int n = l.GetLength(1), m = active.Length;
        var e = new double[m, n];
        for (int p = 0; p < n; p++)
        {
            double c = active.Average(i => l[i, p]);
            for (int k = 0; k < m; k++)
            {
                e[k, p] = l[active[k], p] - c;
            }
        }

        return e;
    }

    /// <summary>
    /// The exact permutation p-value #{T* ≤ T}/(m!)^G of one step: every prompt group gets every
    /// permutation of the active rows, independently. Near-ties within 1e-9 relative count as ties.
    /// </summary>
    public static (double P, long Count) ExactPValue(double[,] l, int[] active, int[]? groupOfPrompt = null)
    {
        int n = l.GetLength(1), m = active.Length;
        var e = Centred(l, active);
        groupOfPrompt ??= [.. Enumerable.Range(0, n)];
        int[] groups = [.. groupOfPrompt.Distinct()];
        var perms = AllPermutations(m).ToArray();
        double observed = CandidateStatistics(l, active).Min();
        long atMost = 0, count = 0;
        var chosen = new int[groups.Length];
        void Recurse(int g)
        {
            if (g == groups.Length)
            {
                count++;
                var permuted = new double[m, n];
                for (int p = 0; p < n; p++)
                {
                    int[] perm = perms[chosen[Array.IndexOf(groups, groupOfPrompt[p])]];
                    for (int k = 0; k < m; k++)
                    {
                        permuted[k, p] = e[perm[k], p];
                    }
                }

                double tMin = double.PositiveInfinity;
                for (int k = 0; k < m; k++)
                {
                    var row = Enumerable.Range(0, n).Select(p => permuted[k, p]).ToArray();
                    double mean = row.Average();
                    double variance = MathNet.Numerics.Statistics.Statistics.Variance(row);
                    tMin = Math.Min(tMin, mean / Math.Sqrt(variance / n));
                }

                if (tMin <= observed + (1e-9 * Math.Abs(observed)))
                {
                    atMost++;
                }

                return;
            }

            for (int i = 0; i < perms.Length; i++)
            {
                chosen[g] = i;
                Recurse(g + 1);
            }
        }

        Recurse(0);
        return ((double)atMost / count, count);
    }

    public static IEnumerable<int[]> AllPermutations(int m)
    {
        if (m == 1)
        {
            yield return [0];
            yield break;
        }

        foreach (int[] smaller in AllPermutations(m - 1))
        {
            for (int pos = 0; pos < m; pos++)
            {
                var p = new List<int>(smaller);
                p.Insert(pos, m - 1);
                yield return [.. p];
            }
        }
    }
}
