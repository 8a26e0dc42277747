using MathNet.Numerics.Distributions;

namespace ProvenanceSet.Procedure;

/// <summary>
/// The null model of the robust variant's default calibration (<see cref="RobustBackground.Clustered"/>):
/// the active candidates' mean distances are draws from a background in which candidates that the data
/// cannot tell apart form one group (a model family, a vendor's line) and share one group effect.
/// x_i = g_{group(i)} + o_i + η_i with group effects g ~ N(0, σ_g²), own effects o ~ N(0, σ_o²) and
/// sampling noise η_i ~ N(0, v_i), v_i the squared standard error of candidate i's mean distance.
/// Groups are found once per step from the observed means (complete linkage along the sorted means:
/// every two members of a group lie within <see cref="MergeDistance"/> standard errors of their
/// difference); σ_g² and σ_o² are moment estimates. Simulating the statistic from this model makes a
/// pool of a few families count as a few independent draws, not as many.
/// </summary>
internal sealed class ClusteredBackground
{
    /// <summary>Two candidates join one group when their means differ by at most this many standard errors of the difference.</summary>
    public const double MergeDistance = 1.0;

    /// <summary>The fewest groups (the tested candidate's included) with which a background spread can be estimated.</summary>
    public const int MinimumGroups = 4;

    private readonly int[] _groupOf;
    private readonly double[] _noiseSd;
    private readonly int[] _order;

    private ClusteredBackground(int[] groupOf, int[] order, int groupCount, double groupSd, double ownSd, double[] noiseSd)
    {
        _groupOf = groupOf;
        _order = order;
        GroupCount = groupCount;
        GroupSd = groupSd;
        OwnSd = ownSd;
        _noiseSd = noiseSd;
    }

    /// <summary>How many groups the active candidates form.</summary>
    public int GroupCount { get; }

    /// <summary>The estimated standard deviation of group effects σ_g.</summary>
    public double GroupSd { get; }

    /// <summary>The estimated standard deviation of candidates' own effects within a group σ_o.</summary>
    public double OwnSd { get; }

    /// <summary>The group of each active candidate (0 = the group with the lowest means).</summary>
    public ReadOnlySpan<int> GroupOf => _groupOf;

    /// <summary>Fits the model to the active candidates' mean distances and the squared standard errors of those means.</summary>
    public static ClusteredBackground Fit(ReadOnlySpan<double> means, ReadOnlySpan<double> noiseVariances)
    {
        int m = means.Length;
        int[] order = SortedOrder(means);
        var groupOf = new int[m];
        int groups = 0;
        int start = 0;
        for (int k = 1; k <= m; k++)
        {
            if (k < m && Joins(means, noiseVariances, order, start, k))
            {
                continue;
            }

            for (int j = start; j < k; j++)
            {
                groupOf[order[j]] = groups;
            }

            groups++;
            start = k;
        }

        return FromGroups(means, noiseVariances, groupOf, groups, order);
    }

    /// <summary>
    /// The model for given groups (numbered 0 .. <paramref name="groups"/> − 1); the evaluation also fits it to
    /// groups found by other means. <paramref name="order"/> is the positions sorted by mean.
    /// </summary>
    public static ClusteredBackground FromGroups(ReadOnlySpan<double> means, ReadOnlySpan<double> noiseVariances, int[] groupOf, int groups, int[] order)
    {
        int m = means.Length;
        var sums = new double[groups];
        var sizes = new int[groups];
        for (int i = 0; i < m; i++)
        {
            sums[groupOf[i]] += means[i];
            sizes[groupOf[i]]++;
        }

        var groupMeans = new double[groups];
        int lowest = 0;
        for (int g = 0; g < groups; g++)
        {
            groupMeans[g] = sums[g] / sizes[g];
            lowest = groupMeans[g] < groupMeans[lowest] ? g : lowest;
        }

        double noise = 0;
        foreach (double v in noiseVariances)
        {
            noise += v;
        }

        noise /= m;
        double within = 0;
        for (int i = 0; i < m; i++)
        {
            double d = means[i] - groupMeans[groupOf[i]];
            within += d * d;
        }

        double own = m > groups ? Math.Max(0, (within / (m - groups)) - noise) : 0;

        // Group effects from every group but the lowest (where a source would sit), less what the
        // members' own effects and noise add to a group mean.
        double group = 0;
        if (groups >= 3)
        {
            double mean = 0;
            for (int g = 0; g < groups; g++)
            {
                mean += g == lowest ? 0 : groupMeans[g];
            }

            mean /= groups - 1;
            double squares = 0;
            for (int g = 0; g < groups; g++)
            {
                squares += g == lowest ? 0 : (groupMeans[g] - mean) * (groupMeans[g] - mean);
            }

            double dilution = 0;
            for (int g = 0; g < groups; g++)
            {
                dilution += (own + noise) / sizes[g];
            }

            group = Math.Max(0, (squares / (groups - 2)) - (dilution / groups));
        }

        var noiseSd = new double[m];
        for (int i = 0; i < m; i++)
        {
            noiseSd[i] = Math.Sqrt(noiseVariances[i]);
        }

        return new ClusteredBackground(groupOf, order, groups, Math.Sqrt(group), Math.Sqrt(own), noiseSd);
    }

    /// <summary>Positions sorted by mean (ties by position): the order in which <see cref="Draw"/> consumes draws.</summary>
    public ReadOnlySpan<int> SortedPositions => _order;

    /// <summary>
    /// One draw of the m mean distances from the fitted model. Candidates take their draws in the order of
    /// their observed means, so the simulated null does not depend on the order in which candidates are listed.
    /// </summary>
    public void Draw(Random rng, Span<double> values, Span<double> groupEffects)
    {
        for (int g = 0; g < GroupCount; g++)
        {
            groupEffects[g] = GroupSd * Normal.Sample(rng, 0, 1);
        }

        foreach (int i in _order)
        {
            values[i] = groupEffects[_groupOf[i]] + (OwnSd * Normal.Sample(rng, 0, 1)) + (_noiseSd[i] * Normal.Sample(rng, 0, 1));
        }
    }

    /// <summary>Whether the candidate at sorted position k joins the group that starts at sorted position start.</summary>
    private static bool Joins(ReadOnlySpan<double> means, ReadOnlySpan<double> noiseVariances, int[] order, int start, int k)
    {
        int candidate = order[k];
        for (int j = start; j < k; j++)
        {
            int member = order[j];
            double allowed = MergeDistance * Math.Sqrt(noiseVariances[candidate] + noiseVariances[member]);
            if (means[candidate] - means[member] > allowed)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Positions sorted by mean, ties by position (a stable order).</summary>
    public static int[] SortedOrder(ReadOnlySpan<double> means)
    {
        int[] order = [.. Enumerable.Range(0, means.Length)];
        double[] keys = means.ToArray();
        Array.Sort(keys, order);
        // Array.Sort is not stable: restore position order among equal means.
        int start = 0;
        for (int k = 1; k <= order.Length; k++)
        {
            if (k == order.Length || keys[k] != keys[start])
            {
                Array.Sort(order, start, k - start);
                start = k;
            }
        }

        return order;
    }
}
