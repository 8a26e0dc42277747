using System.Globalization;
using ProvenanceSet.Data;
using ProvenanceSet.Kernels;
using ProvenanceSet.Randomness;

namespace ProvenanceSet.Procedure;

/// <summary>
/// Checks of each variant's assumptions on the data at hand, where a check can be honest: a test with a
/// known false-alarm rate, or a plain count.
/// </summary>
internal static class AssumptionChecks
{
    /// <summary>The name of the faithful variant's check.</summary>
    public const string EquidistantBackground = "equidistant-background";

    /// <summary>The name of the robust variant's (clustered calibration) check.</summary>
    public const string BackgroundGroups = "background-groups";

    // Keeps the check's split and permutations apart from the procedure's own streams.
    private const ulong CheckSalt = 0x5851F42D4C957F2DUL;

    public static IReadOnlyList<AssumptionCheck> For(
        PreparedMatrix data, ProvenanceOptions options, IPermutationKernel kernel, IReadOnlyList<ProvenanceStep> steps, CancellationToken cancellationToken)
    {
        if (options.Variant == ProvenanceVariant.Faithful)
        {
            return Equidistant(data, options, kernel, cancellationToken) is AssumptionCheck check ? [check] : [];
        }

        if (options.Background == RobustBackground.Clustered && steps.Count > 0 && steps[0].BackgroundGroups is int groups)
        {
            bool holds = groups >= ClusteredBackground.MinimumGroups;
            string detail = string.Create(CultureInfo.InvariantCulture,
                $"The {steps[0].ActiveCount} candidates form {groups} group(s) that the data tell apart (means within one standard error count once); ")
                + (holds
                    ? "the background spread is estimated from the groups."
                    : $"at least {ClusteredBackground.MinimumGroups} are needed to estimate the background spread, so no candidate can enter the set.");
            return [new AssumptionCheck(BackgroundGroups, holds, detail)];
        }

        return [];
    }

    /// <summary>
    /// The faithful variant assumes that the unrelated candidates are equally far from the target. Split the
    /// prompts (whole groups) at random into a third A and two thirds B; on A, pick the three quarters of the
    /// pool farthest from the target (where sources are not, when they are fewer than a quarter); on B, run the
    /// faithful test on those candidates alone. A and B are independent, so when the far candidates are
    /// equidistant the test rejects with probability at most α.
    /// </summary>
    private static AssumptionCheck? Equidistant(PreparedMatrix data, ProvenanceOptions options, IPermutationKernel kernel, CancellationToken cancellationToken)
    {
        int m = data.CandidateCount, groups = data.GroupCount;
        if (m < 4 || groups < 4)
        {
            return null;
        }

        ulong seed = SplitMix64.Mix(options.Seed ^ CheckSalt);
        var rng = new Xoshiro256StarStar(seed);
        int[] shuffled = [.. Enumerable.Range(0, groups)];
        for (int j = groups - 1; j > 0; j--)
        {
            int k = (int)rng.NextBounded((ulong)(j + 1));
            (shuffled[j], shuffled[k]) = (shuffled[k], shuffled[j]);
        }

        var inA = new bool[groups];
        int selecting = groups / 3;
        for (int g = 0; g < selecting; g++)
        {
            inA[shuffled[g]] = true;
        }

        int n = data.PromptCount;
        var promptInA = new bool[n];
        var groupOf = new int[n];
        for (int g = 0; g < groups; g++)
        {
            for (int p = data.GroupStarts[g]; p < data.GroupStarts[g + 1]; p++)
            {
                promptInA[p] = inA[g];
                groupOf[p] = g;
            }
        }

        int countA = promptInA.Count(a => a), countB = n - countA;
        var row = new double[n];
        var meansA = new double[m];
        var rows = new double[m][];
        for (int i = 0; i < m; i++)
        {
            data.CopyRow(i, row);
            double sum = 0;
            var rowB = new double[countB];
            int b = 0;
            for (int p = 0; p < n; p++)
            {
                if (promptInA[p])
                {
                    sum += row[p];
                }
                else
                {
                    rowB[b++] = row[p];
                }
            }

            meansA[i] = sum / countA;
            rows[i] = rowB;
        }

        // The far part: the m − ⌊m/4⌋ candidates with the largest mean distance on A (ties: the later index).
        int half = m - (m / 4);
        int[] far = [.. Enumerable.Range(0, m).OrderByDescending(i => meansA[i]).ThenByDescending(i => i).Take(half).Order()];
        string[] promptIds = [.. Enumerable.Range(0, n).Where(p => !promptInA[p]).Select(p => data.PromptIds[p])];
        int[]? subGroups = groups == n ? null : [.. Enumerable.Range(0, n).Where(p => !promptInA[p]).Select(p => groupOf[p])];
        var matrix = new DistanceMatrix([.. far.Select(i => rows[i])], [.. far.Select(i => data.CandidateNames[i])], promptIds);
        // The rows are on the internal scale, which the test does not see (it is scale-invariant).
        var split = PreparedMatrix.Create(matrix, subGroups);
        var checkOptions = options with { Seed = seed, Exact = false, FullPath = false, EarlyStopping = EarlyStopping.WhenDecided };
        var step = SequentialProcedure.RunStep(split, checkOptions, kernel, 0, [.. Enumerable.Range(0, half)], [], null, cancellationToken);
        bool holds = step.PValue > options.Alpha;
        string halves = groups == n
            ? string.Create(CultureInfo.InvariantCulture, $"{countA} of {n} prompts")
            : string.Create(CultureInfo.InvariantCulture, $"{selecting} of {groups} prompt groups");
        string detail = string.Create(CultureInfo.InvariantCulture,
            $"The {half} candidates farthest from the target on a random third of the prompts ({halves}) ")
            + (holds
                ? string.Create(CultureInfo.InvariantCulture, $"show no unequal distances on the other two thirds (p = {step.PValue:0.####} > alpha).")
                : string.Create(CultureInfo.InvariantCulture, $"are not equally far from it on the other two thirds (p = {step.PValue:0.####} <= alpha): the set may fill with unrelated models."));
        return new AssumptionCheck(EquidistantBackground, holds, detail);
    }
}
