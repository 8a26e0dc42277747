using ProvenanceSet.Data;

namespace ProvenanceSet.Tests.Statistics;

/// <summary>The library against the naive oracle in <see cref="BruteForce"/>.</summary>
public class ExactAndStatisticTests
{
    [Theory]
    [InlineData(2, 10)]
    [InlineData(5, 7)]
    [InlineData(20, 300)]
    public void FirstStepTVector_MatchesTwoPassStatistics(int m, int n)
    {
        double[,] l = TestData.Gaussian(TestData.Hash($"tvec-{m}-{n}"), m, n, i => 0.1 * i);
        var result = ModelProvenanceSet.Compute(new DistanceMatrix(l), ProvenanceOptions.Default with { Permutations = 19, Alpha = 0.1 });
        double[] expected = BruteForce.CandidateStatistics(l, [.. Enumerable.Range(0, m)]);
        var step = result.Steps[0];
        for (int k = 0; k < m; k++)
        {
            // One-pass sums against two-pass: agreement to ~1e-12 relative for well-scaled data.
            Assert.Equal(expected[k], step.CandidateStatistics[k], 1e-9 * Math.Max(1, Math.Abs(expected[k])));
            Assert.Equal(step.CandidateStatistics[k], result.Candidates[k].FirstStepStatistic);
        }

        Assert.Equal(expected.Min(), step.Statistic, 1e-9 * Math.Max(1, Math.Abs(expected.Min())));
        Assert.Equal(Array.IndexOf(expected, expected.Min()), step.CandidateIndex);
    }

    [Theory]
    [InlineData(2, 8, 0.0)]
    [InlineData(3, 5, 0.0)]
    [InlineData(3, 6, 0.8)]
    [InlineData(4, 3, 0.5)]
    public void ExactPValue_EqualsBruteForceEnumeration(int m, int n, double gap)
    {
        double[,] l = TestData.Gaussian(TestData.Hash($"exact-{m}-{n}-{gap}"), m, n, i => i == 0 ? -gap : 0);
        var (expected, count) = BruteForce.ExactPValue(l, [.. Enumerable.Range(0, m)]);
        var result = ModelProvenanceSet.Compute(new DistanceMatrix(l), ProvenanceOptions.Default with { Exact = true, Alpha = 0.5, FullPath = true });
        var step = result.Steps[0];
        Assert.Equal(count, step.PermutationsRun);
        Assert.Equal(expected, step.PValue);
        Assert.Equal(expected * count, step.ExceedanceCount);
        Assert.True(step.ExceedanceCount >= 1, "the identity relabelling is always counted");
    }

    [Fact]
    public void ExactPValue_WithGroups_EnumeratesPerGroup()
    {
        int m = 3, n = 8;
        int[] groups = [0, 0, 1, 1, 2, 2, 3, 3];
        double[,] l = TestData.Gaussian(TestData.Hash("exact-groups"), m, n, i => i == 1 ? -0.7 : 0);
        var (expected, count) = BruteForce.ExactPValue(l, [0, 1, 2], groups);
        Assert.Equal(1296, count); // (3!)^4
        var result = ModelProvenanceSet.Compute(new DistanceMatrix(l),
            ProvenanceOptions.Default with { Exact = true, Alpha = 0.5, PromptGroups = groups });
        Assert.Equal(count, result.Steps[0].PermutationsRun);
        Assert.Equal(expected, result.Steps[0].PValue);
        Assert.Equal(4, result.GroupCount);
    }

    [Fact]
    public void MonteCarloPValue_ConvergesToExact()
    {
        int m = 3, n = 6, r = 20_000;
        double[,] l = TestData.Gaussian(TestData.Hash("mc-converges"), m, n, i => i == 2 ? -0.6 : 0);
        var matrix = new DistanceMatrix(l);
        double exact = ModelProvenanceSet.Compute(matrix, ProvenanceOptions.Default with { Exact = true, Alpha = 0.5 }).Steps[0].PValue;
        double mc = ModelProvenanceSet.Compute(matrix, ProvenanceOptions.Default with { Permutations = r, Alpha = 0.5, Seed = 11 }).Steps[0].PValue;
        // B ~ Binomial(R, p): 4.5 standard errors plus the (1 + B)/(R + 1) offset.
        double tolerance = (4.5 * Math.Sqrt(exact * (1 - exact) / r)) + (1.0 / (r + 1));
        Assert.InRange(mc, exact - tolerance, exact + tolerance);
        Assert.InRange(exact, 0.02, 0.98); // the case is not trivially at an end of the scale
    }

    [Fact]
    public void ExactMode_CountsTheIdentityAndItsMirror()
    {
        // Candidate 0 is closer on every prompt. With m = 2, e_1 = −e_0, so the relabelling that swaps
        // every prompt reproduces T exactly: 2 of the 2^10 relabellings reach T (identity included).
        double[,] l = { { 0, 0.1, 0, 0.1, 0, 0.1, 0, 0.1, 0, 0.1 }, { 1, 1.2, 1.1, 1, 1.3, 1, 1.1, 1.2, 1, 1 } };
        var result = ModelProvenanceSet.Compute(new DistanceMatrix(l), ProvenanceOptions.Default with { Exact = true });
        Assert.Equal(1024, result.Steps[0].PermutationsRun);
        Assert.Equal(2.0 / 1024, result.Steps[0].PValue);
        Assert.Equal(["candidate-1"], result.Set);
        Assert.Equal(StoppingReason.OneCandidateLeft, result.StoppingReason);
    }
}
