using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using ProvenanceSet.Data;

namespace ProvenanceSet.Tests.Core;

/// <summary>
/// The statistics are scale-invariant, so any finite input gives finite statistics, and multiplying the
/// matrix by a positive factor changes no decision: the same set and p-values, t-statistics within a tight
/// relative tolerance, mean distances in the input's units. A power-of-two factor changes no bit.
/// </summary>
public class ScaleInvarianceTests
{
    /// <summary>
    /// Tolerance on t and z after multiplying the matrix by an arbitrary factor, relative to max(1, |t|): rounding the
    /// products moves each centred value by about 1e-16 of the distances, which moves t by about 1e-15 in absolute terms.
    /// </summary>
    private const double StatisticTolerance = 1e-10;

    /// <summary>Relative tolerance on mean distances after multiplying the matrix by an arbitrary factor.</summary>
    private const double MeanTolerance = 1e-12;

    private static readonly string[] ConfigurationNames =
        ["faithful", "faithful-full-path", "faithful-exact", "faithful-groups", "robust-clustered", "robust-normal", "robust-t4"];

    public static TheoryData<string> Configurations => [.. ConfigurationNames];

    /// <summary>Cells from about 1e160 up to the largest finite doubles (the reported case: sums of squares overflowed to NaN).</summary>
    [Theory]
    [MemberData(nameof(Configurations))]
    public void HugeFiniteCells_GiveFiniteStatistics_AndTheRescaledMatrixsSet(string configuration)
    {
        (double[,] values, ProvenanceOptions options) = Case(configuration);
        var reference = ModelProvenanceSet.Compute(new DistanceMatrix(values), options);
        Assert.True(reference.Set.Count > 0, string.Join(" | ", reference.Steps.Select(s => $"{s.Candidate} T={s.Statistic} p={s.PValue} bp={s.BackgroundPValue} pp={s.PermutationPValue} g={s.BackgroundGroups}").Concat(reference.Diagnostics)));

        double max = values.Cast<double>().Max();
        foreach (double factor in new[] { 1e160, 3.7e250, 0.999 * double.MaxValue / max })
        {
            double[,] huge = Scaled(values, factor);
            var result = ModelProvenanceSet.Compute(new DistanceMatrix(huge), options);
            AssertFinite(result);
            AssertSameDecisions(reference, result, factor);
        }
    }

    /// <summary>Cells near the smallest normal doubles: squares underflowed to 0 and every t became ±∞.</summary>
    [Theory]
    [MemberData(nameof(Configurations))]
    public void TinyFiniteCells_GiveTheRescaledMatrixsSet(string configuration)
    {
        (double[,] values, ProvenanceOptions options) = Case(configuration);
        var reference = ModelProvenanceSet.Compute(new DistanceMatrix(values), options);
        foreach (double factor in new[] { 1e-300, 1e-200 })
        {
            var result = ModelProvenanceSet.Compute(new DistanceMatrix(Scaled(values, factor)), options);
            AssertFinite(result);
            AssertSameDecisions(reference, result, factor);
        }
    }

    [Fact]
    public void HugeConstantMatrix_StillSaysSo()
    {
        var values = new double[4, 20];
        for (int i = 0; i < 4; i++)
        {
            for (int t = 0; t < 20; t++)
            {
                values[i, t] = 1.5e308;
            }
        }

        var result = ModelProvenanceSet.Compute(new DistanceMatrix(values), ProvenanceOptions.Default with { Permutations = 99 });
        Assert.Empty(result.Set);
        Assert.Equal(0, result.Steps[0].Statistic);
        Assert.All(result.Candidates, c => Assert.True(Math.Abs((c.MeanDistance / 1.5e308) - 1) < MeanTolerance, $"mean distance {c.MeanDistance}"));
        Assert.Contains(result.Diagnostics, d => d.Contains("identical distances on every prompt", StringComparison.Ordinal));
        Assert.Contains(result.Diagnostics, d => d.Contains("has the same distance (1.5E+308) on every prompt", StringComparison.Ordinal));
    }

    [Fact]
    public void HugeConstantRelativeDistance_GivesInfiniteT_NotNaN()
    {
        // As in DegenerateDataTests, at 1e300: candidate 0 is a constant amount closer than the others' mean.
        var values = new double[3, 25];
        for (int t = 0; t < 25; t++)
        {
            values[1, t] = 1e300 * (1 + (t % 2));
            values[2, t] = 1e300 * (2 - (t % 2));
            values[0, t] = 1e300 * 0.5;
        }

        var result = ModelProvenanceSet.Compute(new DistanceMatrix(values), ProvenanceOptions.Default with { Permutations = 99 });
        Assert.Equal(double.NegativeInfinity, result.Steps[0].Statistic);
        Assert.Equal("candidate-1", result.Set[0]);
        Assert.DoesNotContain(result.Steps.SelectMany(s => s.CandidateStatistics), double.IsNaN);
        Assert.Contains(result.Diagnostics, d => d.Contains("zero variance", StringComparison.Ordinal));
    }

    /// <summary>Any positive factor, from 1e-300 to 1e300 and the huge range in particular: the same set and p-values.</summary>
    [Property(MaxTest = 60, Replay = "(20261202,1)")]
    public Property AnyPositiveFactor_GivesTheSameResult_Faithful() =>
        Prop.ForAll(Matrices(2), Factors(), (values, factor) =>
        {
            var options = ProvenanceOptions.Default with { Permutations = 39, Alpha = 0.2, FullPath = true };
            var a = ModelProvenanceSet.Compute(new DistanceMatrix(values), options);
            var b = ModelProvenanceSet.Compute(new DistanceMatrix(Scaled(values, factor)), options);
            AssertFinite(b, allowInfiniteT: true);
            AssertSameDecisions(a, b, factor);
        });

    [Property(MaxTest = 40, Replay = "(20261202,3)")]
    public Property AnyPositiveFactor_GivesTheSameResult_Robust() =>
        Prop.ForAll(Matrices(4), Factors(), Gen.Elements(RobustBackground.Clustered, RobustBackground.Normal, RobustBackground.StudentT4).ToArbitrary(),
            (values, factor, background) =>
            {
                var options = ProvenanceOptions.Default with
                {
                    Variant = ProvenanceVariant.Robust,
                    Background = background,
                    Permutations = 39,
                    Alpha = 0.2,
                    FullPath = true,
                };
                var a = ModelProvenanceSet.Compute(new DistanceMatrix(values), options);
                var b = ModelProvenanceSet.Compute(new DistanceMatrix(Scaled(values, factor)), options);
                AssertFinite(b, allowInfiniteT: true);
                AssertSameDecisions(a, b, factor);
            });

    /// <summary>A power of two is exact in floating point: every statistic is the same bits and every mean is scaled exactly.</summary>
    [Property(MaxTest = 60, Replay = "(20261202,5)")]
    public Property PowerOfTwoFactor_ChangesNoBit() =>
        Prop.ForAll(Matrices(4), Gen.Choose(-1000, 1000).ToArbitrary(), Gen.Elements(ConfigurationNames.Where(c => c != "faithful-exact").ToArray()).ToArbitrary(),
            (values, exponent, configuration) =>
            {
                var options = Options(configuration, values.GetLength(1)) with { Permutations = 39, Alpha = 0.2 };
                var a = ModelProvenanceSet.Compute(new DistanceMatrix(values), options);
                var b = ModelProvenanceSet.Compute(new DistanceMatrix(Scaled(values, Math.ScaleB(1, exponent))), options);
                Assert.Equal(a.SetIndices, b.SetIndices);
                Assert.Equal(a.Steps.Count, b.Steps.Count);
                for (int s = 0; s < a.Steps.Count; s++)
                {
                    Assert.Equal(a.Steps[s].Statistic, b.Steps[s].Statistic);
                    Assert.Equal(a.Steps[s].CandidateStatistics, b.Steps[s].CandidateStatistics);
                    Assert.Equal(a.Steps[s].NullStatistics, b.Steps[s].NullStatistics);
                    Assert.Equal(a.Steps[s].PValue, b.Steps[s].PValue);
                }

                Assert.Equal(a.Candidates.Select(c => Math.ScaleB(c.MeanDistance, exponent)), b.Candidates.Select(c => c.MeanDistance));
                Assert.Equal(a.Assumptions, b.Assumptions);
            });

    private static (double[,] Values, ProvenanceOptions Options) Case(string configuration)
    {
        // Two sources, the others spread apart (so the clustered calibration finds enough groups), all cells positive.
        int m = configuration == "faithful-exact" ? 3 : 16, n = configuration == "faithful-exact" ? 7 : 120;
        double[,] values = TestData.Gaussian(TestData.Hash(configuration), m, n, i => i < 2 ? -8 : 0.4 * i, promptEffect: 0.5, noise: 0.7);
        for (int i = 0; i < m; i++)
        {
            for (int t = 0; t < n; t++)
            {
                values[i, t] += 20;
            }
        }

        return (values, Options(configuration, n));
    }

    private static ProvenanceOptions Options(string configuration, int prompts)
    {
        var faithful = ProvenanceOptions.Default with { Permutations = 199, Alpha = 0.05 };
        var robust = faithful with { Variant = ProvenanceVariant.Robust };
        return configuration switch
        {
            "faithful" => faithful,
            "faithful-full-path" => faithful with { FullPath = true },
            "faithful-exact" => faithful with { Exact = true, Alpha = 0.1 },
            "faithful-groups" => faithful with { PromptGroups = [.. Enumerable.Range(0, prompts).Select(t => t / 2)] },
            "robust-clustered" => robust,
            "robust-normal" => robust with { Background = RobustBackground.Normal },
            "robust-t4" => robust with { Background = RobustBackground.StudentT4 },
            _ => throw new ArgumentOutOfRangeException(nameof(configuration)),
        };
    }

    /// <summary>
    /// Matrices with <paramref name="minCandidates"/>–8 candidates and 4–25 prompts; values on a fine grid in [0, 2]
    /// plus a candidate offset, so that exact ties (which rounding could break one way or the other) are rare.
    /// </summary>
    private static Arbitrary<double[,]> Matrices(int minCandidates) =>
        (from m in Gen.Choose(minCandidates, 8)
         from n in Gen.Choose(4, 25)
         from offsets in Gen.ArrayOf(Gen.Choose(0, 1000).Select(v => v / 1000.0), m)
         from cells in Gen.ArrayOf(Gen.Choose(0, 2_000_000).Select(v => v / 1e6), m * n)
         select ToMatrix(cells, offsets, m, n)).ToArbitrary();

    /// <summary>Positive factors: a mantissa in [1, 10) times 10^e, e anywhere in [−300, 300], half of them 10^150 .. 10^300.</summary>
    private static Arbitrary<double> Factors() =>
        (from huge in Gen.Elements(true, false)
         from exponent in huge ? Gen.Choose(150, 300) : Gen.Choose(-300, 300)
         from mantissa in Gen.Choose(1000, 9999).Select(v => v / 1000.0)
         select mantissa * Math.Pow(10, exponent)).ToArbitrary();

    private static double[,] ToMatrix(double[] cells, double[] offsets, int m, int n)
    {
        var values = new double[m, n];
        for (int i = 0; i < m; i++)
        {
            for (int t = 0; t < n; t++)
            {
                values[i, t] = cells[(i * n) + t] + offsets[i];
            }
        }

        return values;
    }

    private static double[,] Scaled(double[,] values, double factor)
    {
        var scaled = new double[values.GetLength(0), values.GetLength(1)];
        for (int i = 0; i < values.GetLength(0); i++)
        {
            for (int t = 0; t < values.GetLength(1); t++)
            {
                scaled[i, t] = values[i, t] * factor;
            }
        }

        return scaled;
    }

    private static void AssertFinite(ProvenanceResult result, bool allowInfiniteT = false)
    {
        foreach (var step in result.Steps)
        {
            Assert.False(double.IsNaN(step.Statistic), $"step {step.Index + 1}: T is NaN");
            Assert.True(allowInfiniteT || double.IsFinite(step.Statistic), $"step {step.Index + 1}: T = {step.Statistic}");
            Assert.All(step.CandidateStatistics, t => Assert.True(allowInfiniteT ? !double.IsNaN(t) : double.IsFinite(t), $"t = {t}"));
            Assert.All(step.NullStatistics, t => Assert.False(double.IsNaN(t), "a null statistic is NaN"));
            Assert.True(double.IsFinite(step.PValue) && step.PValue is > 0 and <= 1, $"p = {step.PValue}");
        }

        Assert.All(result.Candidates, c => Assert.True(double.IsFinite(c.MeanDistance), $"{c.Name}: mean distance {c.MeanDistance}"));
    }

    /// <summary>b is a's matrix times <paramref name="factor"/>: the same decisions, statistics within the tolerances.</summary>
    private static void AssertSameDecisions(ProvenanceResult a, ProvenanceResult b, double factor)
    {
        Assert.Equal(a.SetIndices, b.SetIndices);
        Assert.Equal(a.StoppingReason, b.StoppingReason);
        Assert.Equal(a.Steps.Count, b.Steps.Count);
        for (int s = 0; s < a.Steps.Count; s++)
        {
            ProvenanceStep x = a.Steps[s], y = b.Steps[s];
            Assert.Equal(x.CandidateIndex, y.CandidateIndex);
            Assert.Equal(x.PValue, y.PValue);
            Assert.Equal(x.PValueMonotone, y.PValueMonotone);
            Assert.Equal(x.BackgroundGroups, y.BackgroundGroups);
            Assert.Equal(x.BackgroundPValue, y.BackgroundPValue);
            Assert.Equal(x.PermutationPValue, y.PermutationPValue);
            AssertClose(x.Statistic, y.Statistic, StatisticTolerance * Math.Max(1, Math.Abs(x.Statistic)));
            for (int k = 0; k < x.CandidateStatistics.Count; k++)
            {
                AssertClose(x.CandidateStatistics[k], y.CandidateStatistics[k], StatisticTolerance * Math.Max(1, Math.Abs(x.CandidateStatistics[k])));
            }
        }

        for (int i = 0; i < a.Candidates.Count; i++)
        {
            Assert.Equal(a.Candidates[i].InclusionPValue, b.Candidates[i].InclusionPValue);
            double expected = a.Candidates[i].MeanDistance * factor;
            AssertClose(expected, b.Candidates[i].MeanDistance, MeanTolerance * Math.Abs(expected));
        }

        Assert.Equal(a.Assumptions, b.Assumptions);
    }

    private static void AssertClose(double expected, double actual, double tolerance)
    {
        if (double.IsInfinity(expected))
        {
            Assert.Equal(expected, actual);
            return;
        }

        Assert.True(Math.Abs(actual - expected) <= tolerance, $"expected {expected:R}, got {actual:R}");
    }
}
