using ProvenanceSet.Data;
using ProvenanceSet.Evaluation.Battery;
using ProvenanceSet.Fingerprints;
using ProvenanceSet.Fingerprints.Tokens;
using ProvenanceSet.Outputs;
using ProvenanceSet.Procedure;
using ProvenanceSet.Randomness;

namespace ProvenanceSet.Evaluation.Zoo;

/// <summary>
/// Two methods that need the candidates' distances to each other, which only outputs give: kept in the
/// evaluation as ablations of the default (whose groups come from the target's distances alone).
/// <list type="bullet">
/// <item>Family-aware groups: candidates whose mean distance to each other is a low outlier among all candidate
/// pairs (below the median pair distance by more than 3 MADs) are linked, and the linked components are the
/// groups of the clustered null (no permutation part).</item>
/// <item>A candidate–candidate reference: every active candidate in turn plays the target against the others; the
/// target's robust z is compared with theirs, p = (1 + #{z_j ≤ z}) / (m + 1).</item>
/// </list>
/// Both run on the same token distance as the default (edit distance over the first 20 tokens).
/// </summary>
internal static class PairwiseAblations
{
    public const string GroupsLabel = "ablation: groups from candidate-candidate distances";
    public const string ReferenceLabel = "ablation: candidate-candidate reference";

    /// <summary>The sets of both ablations (candidate names, in inclusion order) for one pool at level alpha.</summary>
    public static (List<string> Groups, List<string> Reference) Sets(string file, string target, string[] candidates, double alpha, int rounds, ulong seed)
    {
        var records = ModelOutputReader.ReadJsonLines([file]).ToList();
        var provider = new TokenDistanceProvider(TokenDistanceOptions.Default with { Distance = TokenDistanceKind.EditDistance });
        var normalised = provider.ComputeAsync(records, new DistanceRequest { Target = target, Candidates = candidates, Normalize = true }).GetAwaiter().GetResult().Matrix;
        // Everything below is indexed in the normalised matrix's candidate order.
        string[] names = [.. normalised.CandidateNames];
        var raw = RowMeans(provider.ComputeAsync(records, new DistanceRequest { Target = target, Candidates = names }).GetAwaiter().GetResult().Matrix);
        int m = names.Length;
        var pair = new double[m][];
        for (int a = 0; a < m; a++)
        {
            string[] others = [.. names.Where((_, k) => k != a)];
            var means = RowMeans(provider.ComputeAsync(records, new DistanceRequest { Target = names[a], Candidates = others }).GetAwaiter().GetResult().Matrix);
            pair[a] = [.. names.Select((name, b) => b == a ? 0 : means[name])];
        }

        return (GroupsSet(normalised, pair, alpha, rounds, seed), ReferenceSet([.. names.Select(n => raw[n])], pair, alpha, names));
    }

    private static List<string> GroupsSet(DistanceMatrix matrix, double[][] pair, double alpha, int rounds, ulong seed)
    {
        int m = matrix.CandidateCount;
        double[][] rows = [.. Enumerable.Range(0, m).Select(i => matrix.GetRow(i).ToArray())];
        double[] all = [.. Enumerable.Range(0, m).SelectMany(a => Enumerable.Range(a + 1, m - a - 1).Select(b => pair[a][b]))];
        double median = MathNet.Numerics.Statistics.ArrayStatistics.MedianInplace([.. all]);
        double mad = 1.482602218505602 * MathNet.Numerics.Statistics.ArrayStatistics.MedianInplace([.. all.Select(d => Math.Abs(d - median))]);
        double threshold = median - (3 * mad);
        var method = new StepTestMethod(GroupsLabel, (r, active, s, step) =>
        {
            var (means, noise) = Ablations.MeansAndNoise(r, active);
            int[] groupOf = Components(active, (a, b) => pair[a][b] <= threshold, out int groups);
            var model = ClusteredBackground.FromGroups(means, noise, groupOf, groups, ClusteredBackground.SortedOrder(means));
            double observed = RobustStep.Statistic(means, RobustStep.ClusteredLowTrim, new double[means.Length], out int argMin);
            if (groups < ClusteredBackground.MinimumGroups)
            {
                return (1, argMin);
            }

            var draws = new double[means.Length];
            var effects = new double[groups];
            var scratch = new double[means.Length];
            return (Ablations.PValue(observed, k =>
            {
                model.Draw(new StreamRandom(RandomStreams.StreamSeed(s, step, k)), draws, effects);
                return RobustStep.Statistic(draws, RobustStep.ClusteredLowTrim, scratch, out _);
            }, rounds), argMin);
        });
        return [.. method.Sets(new DistanceMatrix(Copy(rows), matrix.CandidateNames), [alpha], seed)[0].Select(i => matrix.CandidateNames[i])];
    }

    private static List<string> ReferenceSet(double[] target, double[][] pair, double alpha, string[] names)
    {
        int m = target.Length;
        var active = Enumerable.Range(0, m).ToList();
        var set = new List<int>();
        double runningMax = 0;
        while (active.Count >= RobustStep.MinimumActive + 1)
        {
            double z = RobustStep.Statistic([.. active.Select(i => target[i])], RobustStep.ClusteredLowTrim, new double[active.Count], out int argMin);
            int atMost = 0;
            foreach (int j in active)
            {
                double[] values = [.. active.Where(k => k != j).Select(k => pair[j][k])];
                atMost += RobustStep.Statistic(values, RobustStep.ClusteredLowTrim, new double[values.Length], out _) <= z ? 1 : 0;
            }

            runningMax = Math.Max(runningMax, (1.0 + atMost) / (active.Count + 1));
            if (runningMax > alpha)
            {
                break;
            }

            set.Add(active[argMin]);
            active.RemoveAt(argMin);
        }

        return [.. set.Select(i => names[i])];
    }

    /// <summary>Connected components of the active candidates under a link rule, numbered from 0.</summary>
    private static int[] Components(int[] active, Func<int, int, bool> linked, out int count)
    {
        int n = active.Length;
        var label = Enumerable.Repeat(-1, n).ToArray();
        count = 0;
        for (int start = 0; start < n; start++)
        {
            if (label[start] >= 0)
            {
                continue;
            }

            var stack = new Stack<int>([start]);
            label[start] = count;
            while (stack.Count > 0)
            {
                int a = stack.Pop();
                for (int b = 0; b < n; b++)
                {
                    if (label[b] < 0 && linked(active[a], active[b]))
                    {
                        label[b] = count;
                        stack.Push(b);
                    }
                }
            }

            count++;
        }

        return label;
    }

    private static Dictionary<string, double> RowMeans(DistanceMatrix matrix) =>
        Enumerable.Range(0, matrix.CandidateCount).ToDictionary(i => matrix.CandidateNames[i], i => matrix.GetRow(i).ToArray().Average());

    private static double[,] Copy(double[][] rows)
    {
        var values = new double[rows.Length, rows[0].Length];
        for (int i = 0; i < rows.Length; i++)
        {
            for (int t = 0; t < rows[i].Length; t++)
            {
                values[i, t] = rows[i][t];
            }
        }

        return values;
    }
}
