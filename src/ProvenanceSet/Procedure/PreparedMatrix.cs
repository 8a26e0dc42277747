using System.Globalization;
using ModelProvenance.Kernels;

namespace ModelProvenance.Procedure;

/// <summary>
/// The validated input in the layout the procedure needs: the full matrix prompt-major with
/// prompts reordered so that each permutation group is contiguous.
/// </summary>
internal sealed class PreparedMatrix
{
    private PreparedMatrix(string[] names, string[] promptIds, double[] promptMajor, int[] groupStarts, double[] means, string? targetName)
    {
        CandidateNames = names;
        PromptIds = promptIds;
        PromptMajor = promptMajor;
        GroupStarts = groupStarts;
        MeanDistances = means;
        TargetName = targetName;
    }

    public string[] CandidateNames { get; }

    /// <summary>Prompt ids in the stored (group-contiguous) order.</summary>
    public string[] PromptIds { get; }

    /// <summary>L prompt-major in stored order: <c>PromptMajor[p * M + i]</c>.</summary>
    public double[] PromptMajor { get; }

    public int[] GroupStarts { get; }

    public double[] MeanDistances { get; }

    public string? TargetName { get; }

    public int CandidateCount => CandidateNames.Length;

    public int PromptCount => PromptIds.Length;

    public int GroupCount => GroupStarts.Length - 1;

    public static PreparedMatrix Create(IDistanceMatrix matrix, IReadOnlyList<int>? promptGroups)
    {
        int m = matrix.CandidateCount, n = matrix.PromptCount;
        if (m < 2)
        {
            throw new ArgumentException($"The matrix has {m} candidate(s); the procedure needs at least 2.", nameof(matrix));
        }

        if (n < 2)
        {
            throw new ArgumentException($"The matrix has {n} prompt(s); the procedure needs at least 2.", nameof(matrix));
        }

        string[] names = NameList.Validated(matrix.CandidateNames, m, "candidate name", nameof(matrix));
        string[] ids = NameList.Validated(matrix.PromptIds, n, "prompt id", nameof(matrix));
        string? target = matrix.TargetName;
        if (target is not null && Array.IndexOf(names, target) is int self and >= 0)
        {
            throw new ArgumentException(
                $"The target '{target}' is listed among its own candidates (row {self + 1}): remove it from the candidates.", nameof(matrix));
        }

        int[] order = GroupOrder(promptGroups, n, out int[] groupStarts);
        var promptMajor = new double[(long)n * m];
        var row = new double[n];
        var means = new double[m];
        for (int i = 0; i < m; i++)
        {
            matrix.CopyRow(i, row);
            double sum = 0;
            for (int t = 0; t < n; t++)
            {
                if (!double.IsFinite(row[t]))
                {
                    throw new ArgumentException(
                        $"Distance of candidate '{names[i]}' on prompt '{ids[t]}' is {row[t].ToString(CultureInfo.InvariantCulture)}: distances must be finite numbers.",
                        nameof(matrix));
                }

                sum += row[t];
            }

            means[i] = sum / n;
            for (int p = 0; p < n; p++)
            {
                promptMajor[((long)p * m) + i] = row[order[p]];
            }
        }

        return new PreparedMatrix(names, [.. order.Select(t => ids[t])], promptMajor, groupStarts, means, target);
    }

    /// <summary>Centres the active candidates' columns and lays them out for the kernels.</summary>
    public StepData BuildStep(ReadOnlySpan<int> active)
    {
        int m = active.Length, n = PromptCount, total = CandidateCount;
        var values = new double[(long)n * m];
        for (int p = 0; p < n; p++)
        {
            int src = p * total, dst = p * m;
            double first = PromptMajor[src + active[0]], centre = 0;
            bool constant = true;
            for (int k = 0; k < m; k++)
            {
                double value = PromptMajor[src + active[k]];
                centre += value;
                constant &= value == first;
            }

            // A prompt on which every candidate ties must centre to exact zeros; the rounded mean
            // of equal values can miss them by an ulp and invent a difference.
            centre = constant ? first : centre / m;
            for (int k = 0; k < m; k++)
            {
                values[dst + k] = PromptMajor[src + active[k]] - centre;
            }
        }

        return new StepData(values, m, n, GroupStarts);
    }

    /// <summary>Candidate i's distances over prompts in stored order.</summary>
    public void CopyColumn(int candidate, Span<double> destination)
    {
        for (int p = 0; p < PromptCount; p++)
        {
            destination[p] = PromptMajor[(p * CandidateCount) + candidate];
        }
    }

    private static int[] GroupOrder(IReadOnlyList<int>? groups, int n, out int[] groupStarts)
    {
        if (groups is null)
        {
            groupStarts = [.. Enumerable.Range(0, n + 1)];
            return [.. Enumerable.Range(0, n)];
        }

        if (groups.Count != n)
        {
            throw new ArgumentException(
                $"PromptGroups has {groups.Count} entries but the matrix has {n} prompts: give one group key per prompt.", nameof(groups));
        }

        // Groups in order of first appearance; prompts keep their order within a group.
        var members = new Dictionary<int, List<int>>();
        var firstSeen = new List<int>();
        for (int t = 0; t < n; t++)
        {
            if (!members.TryGetValue(groups[t], out var list))
            {
                members[groups[t]] = list = [];
                firstSeen.Add(groups[t]);
            }

            list.Add(t);
        }

        var order = new int[n];
        groupStarts = new int[firstSeen.Count + 1];
        int pos = 0;
        for (int g = 0; g < firstSeen.Count; g++)
        {
            groupStarts[g] = pos;
            foreach (int t in members[firstSeen[g]])
            {
                order[pos++] = t;
            }
        }

        groupStarts[^1] = n;
        return order;
    }
}
