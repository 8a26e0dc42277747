using System.Globalization;
using ProvenanceSet.Data;
using ProvenanceSet.Kernels;

namespace ProvenanceSet.Procedure;

/// <summary>
/// The validated input in the layout the procedure needs: candidate rows of doubles (read in place
/// from a <see cref="DistanceMatrix"/>, copied once from any other <see cref="IDistanceMatrix"/>) and
/// the stored prompt order, in which each permutation group is contiguous.
/// </summary>
/// <remarks>
/// Every value the procedure reads is on the internal scale: the input times 2^−<see cref="ScaleExponent"/>.
/// The statistics are scale-invariant, and a power of two is exact in floating point, so the scale changes
/// no statistic; it only keeps sums of values and squares from overflowing (cells near 1e308) or
/// underflowing (cells near 1e−308). Inputs whose largest |cell| lies in [2^−<see cref="UnscaledExponentLimit"/>,
/// 2^(<see cref="UnscaledExponentLimit"/> + 1)) keep scale 1 and are read in place.
/// </remarks>
internal sealed class PreparedMatrix
{
    private readonly double[] _rows;
    private readonly int[]? _order;

    private PreparedMatrix(
        string[] names, string[] promptIds, double[] rows, int[]? order, int[] groupStarts, double[] means, int scaleExponent, string? targetName)
    {
        CandidateNames = names;
        PromptIds = promptIds;
        _rows = rows;
        _order = order;
        GroupStarts = groupStarts;
        MeanDistances = means;
        ScaleExponent = scaleExponent;
        TargetName = targetName;
    }

    public string[] CandidateNames { get; }

    /// <summary>Prompt ids in the stored (group-contiguous) order.</summary>
    public string[] PromptIds { get; }

    public int[] GroupStarts { get; }

    /// <summary>Each candidate's mean distance on the internal scale (<see cref="ToInputScale"/> gives the input's units).</summary>
    public double[] MeanDistances { get; }

    /// <summary>The input was divided by 2^ScaleExponent (0 for ordinary data: values are the input's).</summary>
    public int ScaleExponent { get; }

    public string? TargetName { get; }

    public int CandidateCount => CandidateNames.Length;

    public int PromptCount => PromptIds.Length;

    public int GroupCount => GroupStarts.Length - 1;

    /// <summary>
    /// Ordinary data (largest |cell| with binary exponent within ±this) is used as given: no copy, and the
    /// same bits as before scaling existed. Any such input's sums of N squares stay far from overflow and
    /// underflow (the centred values are at most twice the largest cell).
    /// </summary>
    public const int UnscaledExponentLimit = 20;

    /// <summary>A value on the internal scale in the input's units (exact: a power of two).</summary>
    public double ToInputScale(double value) => Math.ScaleB(value, ScaleExponent);

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

        int[]? order = GroupOrder(promptGroups, n, out int[] groupStarts);

        // A DistanceMatrix is immutable and already row-major: read it in place. Anything else is copied once.
        double[] rows;
        bool copied = false;
        if (matrix is DistanceMatrix inMemory && inMemory.RowMajorValues.Length == (long)m * n)
        {
            rows = inMemory.RowMajorValues;
        }
        else
        {
            copied = true;
            rows = new double[(long)m * n];
            for (int i = 0; i < m; i++)
            {
                matrix.CopyRow(i, rows.AsSpan(i * n, n));
            }
        }

        // One pass checks every value and takes the means and the largest |cell|; a sum that overflows
        // here is taken again below on the internal scale.
        var means = new double[m];
        double largest = 0;
        for (int i = 0; i < m; i++)
        {
            ReadOnlySpan<double> row = rows.AsSpan(i * n, n);
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
                largest = Math.Max(largest, Math.Abs(row[t]));
            }

            means[i] = sum / n;
        }

        // Out of the ordinary range, bring the largest |cell| into [1, 2) by a power of two: exact (up to
        // cells that become subnormal, which are below 2^−1022 of the largest and add nothing to any sum),
        // so every statistic has the same bits as for the input divided by any power of two.
        int exponent = largest == 0 ? 0 : Math.ILogB(largest);
        if (Math.Abs(exponent) > UnscaledExponentLimit)
        {
            // The caller's matrix is never written to: scaling works on a copy (the one made above, if any).
            double[] scaled = copied ? rows : new double[(long)m * n];
            for (long c = 0; c < scaled.LongLength; c++)
            {
                scaled[c] = Math.ScaleB(rows[c], -exponent);
            }

            rows = scaled;
            for (int i = 0; i < m; i++)
            {
                double sum = 0;
                foreach (double value in rows.AsSpan(i * n, n))
                {
                    sum += value;
                }

                means[i] = sum / n;
            }
        }
        else
        {
            exponent = 0;
        }

        string[] storedIds = order is null ? ids : [.. order.Select(t => ids[t])];
        return new PreparedMatrix(names, storedIds, rows, order, groupStarts, means, exponent, target);
    }

    /// <summary>
    /// The step over the active candidates: one centre per prompt, c_p = (Σ_k L[A_k, t_p]) / m added in
    /// k order; a prompt on which every active candidate has the same distance gets that distance as its
    /// centre, so it centres to exact zeros (the rounded mean of equal values can miss them by an ulp and
    /// invent a difference). The kernels then read e = L − c from the rows in place.
    /// </summary>
    public StepData BuildStep(ReadOnlySpan<int> active)
    {
        int m = active.Length, n = PromptCount;
        var sums = new double[n];
        var constant = new bool[n];
        ReadOnlySpan<double> first = Row(active[0]);
        for (int p = 0; p < n; p++)
        {
            constant[p] = true;
        }

        for (int k = 0; k < m; k++)
        {
            ReadOnlySpan<double> row = Row(active[k]);
            for (int p = 0; p < n; p++)
            {
                int t = _order is null ? p : _order[p];
                double value = row[t];
                sums[p] += value;
                constant[p] &= value == first[t];
            }
        }

        for (int p = 0; p < n; p++)
        {
            sums[p] = constant[p] ? first[_order is null ? p : _order[p]] : sums[p] / m;
        }

        return new StepData(_rows, PromptCount, active.ToArray(), _order, sums, GroupStarts);
    }

    /// <summary>Candidate i's row: its distances over prompts in stored order, on the internal scale.</summary>
    public void CopyRow(int candidate, Span<double> destination)
    {
        ReadOnlySpan<double> row = Row(candidate);
        for (int p = 0; p < PromptCount; p++)
        {
            destination[p] = row[_order is null ? p : _order[p]];
        }
    }

    /// <summary>How many prompts give every candidate the same distance.</summary>
    public int CountConstantPrompts()
    {
        int n = PromptCount;
        var constant = new bool[n];
        Array.Fill(constant, true);
        ReadOnlySpan<double> first = Row(0);
        for (int i = 1; i < CandidateCount; i++)
        {
            ReadOnlySpan<double> row = Row(i);
            for (int t = 0; t < n; t++)
            {
                constant[t] &= row[t] == first[t];
            }
        }

        return constant.Count(c => c);
    }

    // Rows are stored in the original prompt order.
    private ReadOnlySpan<double> Row(int candidate) => _rows.AsSpan(candidate * PromptCount, PromptCount);

    // Null when there are no groups: the stored order is the original order.
    private static int[]? GroupOrder(IReadOnlyList<int>? groups, int n, out int[] groupStarts)
    {
        if (groups is null)
        {
            groupStarts = [.. Enumerable.Range(0, n + 1)];
            return null;
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
