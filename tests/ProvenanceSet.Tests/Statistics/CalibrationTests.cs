using ProvenanceSet.Data;

namespace ProvenanceSet.Tests.Statistics;

/// <summary>
/// Size and coverage on simulations. Tolerances are binomial: with K independent data sets and
/// true rate q, the observed rate has standard error sqrt(q(1−q)/K); bands are ±4 standard errors
/// (a false alarm about once in 15 000 runs), and the seeds are fixed.
/// </summary>
public class CalibrationTests
{
    [Fact]
    public void ExchangeableNull_SetIsNonEmptyWithProbabilityAlpha()
    {
        // All rows i.i.d.: the first test is an exact permutation test, and with the plus-one
        // estimator and R = 99, Pr(p ≤ 0.1) = Pr(B ≤ 9) = 10/100 exactly (continuous data).
        const int K = 1000;
        const double alpha = 0.1;
        int nonEmpty = 0;
        for (int k = 0; k < K; k++)
        {
            var matrix = TestData.Matrix(TestData.Hash($"null-{k}"), 5, 30, promptEffect: 1.0);
            var result = ModelProvenanceSet.Compute(matrix, ProvenanceOptions.Default with { Permutations = 99, Alpha = alpha, Seed = (ulong)k });
            nonEmpty += result.Set.Count > 0 ? 1 : 0;
        }

        double rate = (double)nonEmpty / K, se = Math.Sqrt(alpha * (1 - alpha) / K);
        Assert.InRange(rate, alpha - (4 * se), alpha + (4 * se));
    }

    [Fact]
    public void NullWithHeavyTailsAndGroups_IsStillCalibrated()
    {
        // Prompts come in groups of 5 that share a per-candidate effect (correlated prompts).
        // Permuting whole groups keeps the test exact; the rate must stay near alpha.
        const int K = 600;
        const double alpha = 0.1;
        int nonEmpty = 0;
        int[] groups = [.. Enumerable.Range(0, 60).Select(t => t / 5)];
        for (int k = 0; k < K; k++)
        {
            var rng = new ProvenanceSet.Randomness.Xoshiro256StarStar(TestData.Hash($"grouped-null-{k}"));
            var l = new double[4, 60];
            for (int i = 0; i < 4; i++)
            {
                for (int g = 0; g < 12; g++)
                {
                    double shared = 2 * TestData.Normal(ref rng);
                    for (int t = g * 5; t < (g + 1) * 5; t++)
                    {
                        l[i, t] = shared + TestData.Normal(ref rng);
                    }
                }
            }

            var result = ModelProvenanceSet.Compute(new DistanceMatrix(l),
                ProvenanceOptions.Default with { Permutations = 99, Alpha = alpha, Seed = (ulong)k, PromptGroups = groups });
            nonEmpty += result.Set.Count > 0 ? 1 : 0;
        }

        double rate = (double)nonEmpty / K, se = Math.Sqrt(alpha * (1 - alpha) / K);
        Assert.InRange(rate, alpha - (4 * se), alpha + (4 * se));
    }

    [Fact]
    public void TwoSourcesAmongTwenty_AreCoveredAtLeastOneMinusAlpha_WithSmallSets()
    {
        // The paper's setting scaled down: 2 sources among 20 candidates with a clear gap.
        const int K = 200;
        const double alpha = 0.05;
        int covered = 0;
        double totalSize = 0;
        for (int k = 0; k < K; k++)
        {
            var matrix = TestData.Matrix(TestData.Hash($"coverage-{k}"), 20, 200, i => i is 0 or 1 ? -0.5 : 0);
            var result = ModelProvenanceSet.Compute(matrix, ProvenanceOptions.Default with { Permutations = 199, Alpha = alpha, Seed = (ulong)k });
            covered += result.SetIndices.Contains(0) && result.SetIndices.Contains(1) ? 1 : 0;
            totalSize += result.Set.Count;
        }

        double coverage = (double)covered / K, se = Math.Sqrt(alpha * (1 - alpha) / K);
        Assert.True(coverage >= 1 - alpha - (4 * se), $"coverage {coverage:F3}");
        // After the sources, the next test is a null test: at most ~alpha extra members on average
        // (α · 1 extra member + rare chains); 2.3 leaves 4 standard errors of room.
        Assert.InRange(totalSize / K, 2.0 * coverage, 2.3);
    }
}
