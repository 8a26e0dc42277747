using System.Text.Json;
using ProvenanceSet.Data;
using ProvenanceSet.Simulation;

namespace ProvenanceSet.Tests.Statistics;

/// <summary>
/// The assumption checks that results carry. Rates are checked against binomial bands: ±4 standard errors
/// sqrt(q(1 − q)/K) around the target rate q (a false alarm about once in 15 000 runs), fixed seeds.
/// </summary>
public class AssumptionCheckTests
{
    private static readonly ProvenanceOptions Faithful = ProvenanceOptions.Default with { Permutations = 199, Alpha = 0.1 };

    [Fact]
    public void EquidistantBackground_OnHomogeneousPoolsWithSources_RaisesAFalseAlarmAtItsLevel()
    {
        // Equidistant unrelated candidates and two sources far closer: the check's far three quarters hold no
        // source, so it is an exact permutation test on the other prompts: Pr(p <= 0.1) = 20/200 with R = 199.
        const int K = 300;
        int alarms = 0;
        for (int k = 0; k < K; k++)
        {
            var pool = new PoolSimulation { Candidates = 20, Sources = 2, Prompts = 400, Gap = 0.08, Seed = TestData.Hash($"check-homogeneous-{k}") }.Generate();
            var result = ModelProvenanceSet.Compute(pool.Matrix, Faithful with { Seed = (ulong)k });
            var check = Assert.Single(result.Assumptions);
            Assert.Equal("equidistant-background", check.Name);
            alarms += check.Holds ? 0 : 1;
        }

        double rate = (double)alarms / K, se = Math.Sqrt(0.1 * 0.9 / K);
        Assert.InRange(rate, 0.1 - (4 * se), 0.1 + (4 * se));
    }

    [Fact]
    public void EquidistantBackground_OnAHeterogeneousPool_Fires()
    {
        // Unrelated candidates whose mean distances spread with sd 0.05 (noise of a half-sample mean: about 0.008).
        const int K = 40;
        int alarms = 0;
        for (int k = 0; k < K; k++)
        {
            var pool = new PoolSimulation { Candidates = 20, Sources = 1, Prompts = 400, BackgroundSpread = 0.05, Seed = TestData.Hash($"check-heterogeneous-{k}") }.Generate();
            var result = ModelProvenanceSet.Compute(pool.Matrix, Faithful with { Seed = (ulong)k });
            alarms += result.Assumptions.Single(a => a.Name == "equidistant-background").Holds ? 0 : 1;
        }

        Assert.True(alarms >= K - 1, $"{alarms} of {K}");
    }

    [Fact]
    public void EquidistantBackground_IsTheSameOnAnyNumberOfThreads_AndNamesTheSplit()
    {
        var pool = new PoolSimulation { Candidates = 12, Sources = 1, Prompts = 300, BackgroundSpread = 0.03, Seed = 3 }.Generate();
        var one = ModelProvenanceSet.Compute(pool.Matrix, Faithful with { MaxDegreeOfParallelism = 1 });
        var all = ModelProvenanceSet.Compute(pool.Matrix, Faithful with { MaxDegreeOfParallelism = -1 });
        Assert.Equal(one.Assumptions, all.Assumptions);
        Assert.Contains("The 9 candidates farthest from the target on a random third of the prompts (100 of 300 prompts)", one.Assumptions[0].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void TooFewCandidatesOrPrompts_HaveNoEquidistanceCheck()
    {
        Assert.Empty(ModelProvenanceSet.Compute(TestData.Matrix(1, 3, 50), Faithful).Assumptions);
        Assert.Empty(ModelProvenanceSet.Compute(TestData.Matrix(1, 8, 3), Faithful with { Permutations = 99 }).Assumptions);
    }

    [Fact]
    public void BackgroundGroups_TooFewGroups_StopsTheRobustVariant_AndSaysSo()
    {
        // Two clumps the data cannot split further: 3 candidates near 0 and 5 near 1 (noise 0.01, N = 200).
        var values = TestData.Gaussian(4, 8, 200, i => i < 3 ? 0 : 1, noise: 0.01);
        var result = ModelProvenanceSet.Compute(new DistanceMatrix(values), ProvenanceOptions.Default with { Variant = ProvenanceVariant.Robust, Permutations = 99, Alpha = 0.1 });
        Assert.Empty(result.Set);
        Assert.Equal(StoppingReason.TooFewBackgroundGroups, result.StoppingReason);
        var step = Assert.Single(result.Steps);
        Assert.Equal(1.0, step.PValue);
        Assert.True(step.BackgroundGroups < 4);
        var check = Assert.Single(result.Assumptions);
        Assert.Equal("background-groups", check.Name);
        Assert.False(check.Holds);
        Assert.Contains(result.Diagnostics, d => d.Contains("at least 4 are needed", StringComparison.Ordinal));
    }

    [Fact]
    public void BackgroundGroups_OnAHeterogeneousPool_Holds_AndTheJsonCarriesChecksAndTheTVector()
    {
        var pool = new PoolSimulation { Candidates = 20, Sources = 1, Prompts = 300, BackgroundSpread = 0.05, Gap = 0.3, Seed = 11 }.Generate();
        var result = ModelProvenanceSet.Compute(pool.Matrix, ProvenanceOptions.Default with { Variant = ProvenanceVariant.Robust, Permutations = 199 });
        var check = Assert.Single(result.Assumptions);
        Assert.True(check.Holds, check.Detail);
        Assert.Equal(pool.Sources, result.Set);

        using var json = JsonDocument.Parse(ProvenanceJson.Serialize(result));
        var root = json.RootElement;
        Assert.Equal("clustered", root.GetProperty("background").GetString());
        var first = root.GetProperty("steps")[0];
        Assert.Equal(20, first.GetProperty("tStatistics").GetArrayLength());
        Assert.Equal(20, first.GetProperty("activeCandidates").GetArrayLength());
        Assert.Equal(result.Steps[0].CandidateStatistics[3], first.GetProperty("tStatistics")[3].GetDouble());
        Assert.True(first.GetProperty("permutationPValue").GetDouble() <= first.GetProperty("pValue").GetDouble());
        Assert.True(first.GetProperty("backgroundPValue").GetDouble() <= first.GetProperty("pValue").GetDouble());
        var assumption = root.GetProperty("assumptions")[0];
        Assert.Equal("background-groups", assumption.GetProperty("name").GetString());
        Assert.True(assumption.GetProperty("holds").GetBoolean());
    }
}
