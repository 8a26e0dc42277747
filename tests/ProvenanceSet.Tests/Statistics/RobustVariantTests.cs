using ProvenanceSet.Data;
using ProvenanceSet.Simulation;

namespace ProvenanceSet.Tests.Statistics;

/// <summary>
/// The background-robust variant. Simulation bands are ±4 binomial standard errors
/// sqrt(q(1 − q)/K) around the target rate q (a false alarm about once in 15 000 runs), fixed seeds.
/// </summary>
public class RobustVariantTests
{
    private static readonly ProvenanceOptions Robust = ProvenanceOptions.Default with { Variant = ProvenanceVariant.Robust, Permutations = 99, Alpha = 0.1 };

    [Theory]
    [InlineData(10, 0.05)]
    [InlineData(40, 0.05)]
    [InlineData(40, 0.0)]
    public void NoSource_SetIsNonEmptyWithProbabilityAlpha(int m, double backgroundSpread)
    {
        // Gaussian background (heterogeneous when the spread is > 0, homogeneous otherwise): the
        // candidates' mean distances are i.i.d. normal, so the first test is exact: with R = 99 and
        // the plus-one estimator, Pr(p <= 0.1) = 10/100.
        const int K = 500;
        int nonEmpty = 0;
        for (int k = 0; k < K; k++)
        {
            var pool = new PoolSimulation { Candidates = m, Sources = 0, Prompts = 200, BackgroundSpread = backgroundSpread, Seed = TestData.Hash($"robust-null-{m}-{backgroundSpread}-{k}") }.Generate();
            nonEmpty += ModelProvenanceSet.Compute(pool.Matrix, Robust with { Seed = (ulong)k }).Set.Count > 0 ? 1 : 0;
        }

        double rate = (double)nonEmpty / K, se = Math.Sqrt(0.1 * 0.9 / K);
        Assert.InRange(rate, 0.1 - (4 * se), 0.1 + (4 * se));
    }

    [Fact]
    public void FaithfulVariant_OnTheSameHeterogeneousNull_IsFarAboveAlpha()
    {
        // The reason the robust variant exists: unrelated candidates that are not equidistant make
        // the faithful null false, and it rejects nearly always.
        const int K = 30;
        int nonEmpty = 0;
        for (int k = 0; k < K; k++)
        {
            var pool = new PoolSimulation { Candidates = 20, Sources = 0, Prompts = 200, BackgroundSpread = 0.05, Seed = TestData.Hash($"faithful-het-{k}") }.Generate();
            nonEmpty += ModelProvenanceSet.Compute(pool.Matrix, ProvenanceOptions.Default with { Permutations = 99, Alpha = 0.1 }).Set.Count > 0 ? 1 : 0;
        }

        Assert.True(nonEmpty > K * 0.9, $"{nonEmpty} of {K}");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void SourcesThatStandOut_AreCovered_WithSmallSets(int sources)
    {
        const int K = 200;
        const double alpha = 0.1;
        int covered = 0, total = 0;
        for (int k = 0; k < K; k++)
        {
            var pool = new PoolSimulation
            {
                Candidates = 30,
                Sources = sources,
                Prompts = 400,
                BackgroundSpread = 0.02,
                Gap = 0.15,
                Seed = TestData.Hash($"robust-cover-{sources}-{k}"),
            }.Generate();
            var result = ModelProvenanceSet.Compute(pool.Matrix, Robust with { Seed = (ulong)k });
            covered += pool.SourceIndices.All(result.SetIndices.Contains) ? 1 : 0;
            total += result.Set.Count;
        }

        double coverage = (double)covered / K, se = Math.Sqrt(alpha * (1 - alpha) / K);
        Assert.True(coverage >= 1 - alpha - (4 * se), $"coverage {coverage:F3}");
        Assert.True((double)total / K <= 1.5 * sources, $"mean set size {(double)total / K:F2}");
    }

    [Fact]
    public void LocationScaleAndCandidateOrder_ChangeNothing()
    {
        var pool = new PoolSimulation { Candidates = 15, Sources = 2, Prompts = 100, BackgroundSpread = 0.03, Gap = 0.1, Seed = 5 }.Generate();
        var options = Robust with { FullPath = true, Seed = 9 };
        var a = ModelProvenanceSet.Compute(pool.Matrix, options);
        int m = pool.Matrix.CandidateCount, n = pool.Matrix.PromptCount;
        var moved = new double[m, n];
        int[] order = [.. Enumerable.Range(0, m).Reverse()];
        for (int i = 0; i < m; i++)
        {
            for (int t = 0; t < n; t++)
            {
                moved[i, t] = (2.5 * pool.Matrix[order[i], t]) + 7;
            }
        }

        var b = ModelProvenanceSet.Compute(new DistanceMatrix(moved, [.. order.Select(i => pool.Matrix.CandidateNames[i])]), options);
        Assert.Equal(a.Set, b.Set);
        foreach (var c in a.Candidates)
        {
            var twin = b.Candidates.Single(x => x.Name == c.Name);
            Assert.Equal(c.InclusionPValue, twin.InclusionPValue);
        }

        for (int s = 0; s < a.Steps.Count; s++)
        {
            Assert.Equal(a.Steps[s].Statistic, b.Steps[s].Statistic, 1e-9 * Math.Max(1, Math.Abs(a.Steps[s].Statistic)));
        }
    }

    [Fact]
    public void RobustZ_IsTheDocumentedFormula()
    {
        // Values 0 (lowest) and nine others 1..9: drop the lowest ⌊0.25 · 9⌋ = 2 of them (1, 2),
        // background 3..9: mean 6, sample sd sqrt(28 / 6).
        double[] values = [5, 3, 0, 1, 2, 4, 6, 7, 8, 9];
        double z = Procedure.RobustStep.Statistic(values, Procedure.RobustStep.IidLowTrim, new double[values.Length], out int argMin);
        Assert.Equal(2, argMin);
        Assert.Equal((0 - 6) / Math.Sqrt(28.0 / 6), z, 12);
        // A second low value (a second source) is the lowest now; the background stays 3..9 because
        // the old lowest (0) is among the dropped quarter.
        values[3] = -100;
        Assert.Equal((-100 - 6) / Math.Sqrt(28.0 / 6), Procedure.RobustStep.Statistic(values, Procedure.RobustStep.IidLowTrim, new double[values.Length], out argMin), 12);
        Assert.Equal(3, argMin);
    }

    [Fact]
    public void ClusteredGroups_AreCompleteLinkageAlongTheSortedMeans_WithinOneStandardError()
    {
        // Standard error of every difference: sqrt(0.125 + 0.125) = 0.5. Sorted: 0, 0.5 join (0.5 <= 0.5);
        // 0.9 is within 0.5 of 0.5 but not of 0, so it starts a group (complete, not single, linkage);
        // 3 starts one, 3.2 joins it.
        double[] means = [3.2, 0, 0.9, 3, 0.5];
        double[] noise = [.. Enumerable.Repeat(0.125, 5)];
        var model = Procedure.ClusteredBackground.Fit(means, noise);
        Assert.Equal(3, model.GroupCount);
        Assert.Equal([2, 0, 1, 2, 0], model.GroupOf.ToArray());
        Assert.Equal([1, 4, 2, 3, 0], model.SortedPositions.ToArray());

        // Moments: within-group variance (0.125 + 0.02) / (5 − 3) = 0.0725 is below the noise 0.125, so no own
        // effect; group means 0.25, 0.9, 3.1 without the lowest: variance 2.42, less (0 + 0.125) × (1/2 + 1 + 1/2) / 3.
        Assert.Equal(0, model.OwnSd);
        Assert.Equal(Math.Sqrt(((3.1 - 0.9) * (3.1 - 0.9) / 2) - (0.125 * 2 / 3)), model.GroupSd, 12);
    }

    [Fact]
    public void TooSmallPools_AreRefused_AndShrinkingPoolsStopWithADiagnostic()
    {
        var small = TestData.Matrix(1, 3, 50);
        var ex = Assert.Throws<ArgumentException>(() => ModelProvenanceSet.Compute(small, Robust));
        Assert.Contains("needs at least 4 candidates", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => ModelProvenanceSet.Compute(TestData.Matrix(1, 6, 50), Robust with { Exact = true }));

        // Five candidates, two far closer than the rest: after two inclusions only 3 remain
        // (the i.i.d. calibration: the clustered one stops earlier, see the next test).
        var values = TestData.Gaussian(2, 5, 200, i => i < 2 ? -10.0 * (5 - i) : 0, noise: 0.1);
        var result = ModelProvenanceSet.Compute(new DistanceMatrix(values), Robust with { Background = RobustBackground.Normal });
        Assert.Equal(StoppingReason.BackgroundTooSmall, result.StoppingReason);
        Assert.Equal(["candidate-1", "candidate-2"], result.Set);
        Assert.Contains(result.Diagnostics, d => d.Contains("too few others to estimate the background spread", StringComparison.Ordinal));
    }

    [Fact]
    public void StudentT4Calibration_IsMoreConservativeOnANormalBackground()
    {
        const int K = 300;
        int normal = 0, heavy = 0;
        for (int k = 0; k < K; k++)
        {
            var pool = new PoolSimulation { Candidates = 20, Sources = 0, Prompts = 100, BackgroundSpread = 0.05, Seed = TestData.Hash($"t4-{k}") }.Generate();
            normal += ModelProvenanceSet.Compute(pool.Matrix, Robust with { Seed = (ulong)k }).Set.Count > 0 ? 1 : 0;
            heavy += ModelProvenanceSet.Compute(pool.Matrix, Robust with { Seed = (ulong)k, Background = RobustBackground.StudentT4 }).Set.Count > 0 ? 1 : 0;
        }

        Assert.True(heavy < normal, $"t4 {heavy} vs normal {normal} of {K}");
        // Still a valid test: at most alpha plus 4 standard errors.
        Assert.True((double)heavy / K <= 0.1 + (4 * Math.Sqrt(0.09 / K)));
    }
}
