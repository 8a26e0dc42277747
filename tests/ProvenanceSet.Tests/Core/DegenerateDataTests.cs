using ProvenanceSet.Data;

namespace ProvenanceSet.Tests.Core;

/// <summary>Degenerate but legal data: no exception, a diagnostic that says what happened.</summary>
public class DegenerateDataTests
{
    private static readonly ProvenanceOptions Options = ProvenanceOptions.Default with { Permutations = 199 };

    [Fact]
    public void AllCandidatesIdentical_GivesEmptySetAndSaysWhy()
    {
        var values = new double[5, 30];
        for (int i = 0; i < 5; i++)
        {
            for (int t = 0; t < 30; t++)
            {
                values[i, t] = 0.3 + (0.01 * t);
            }
        }

        var result = ModelProvenanceSet.Compute(new DistanceMatrix(values), Options);
        Assert.Empty(result.Set);
        Assert.Equal(0, result.Steps[0].Statistic);
        Assert.Equal(1.0, result.Steps[0].PValue);
        Assert.Contains(result.Diagnostics, d => d.Contains("identical distances on every prompt", StringComparison.Ordinal));
        Assert.Contains(result.Diagnostics, d => d.Contains("heavy ties", StringComparison.Ordinal));
    }

    [Fact]
    public void ConstantRow_IsReported()
    {
        double[,] values = TestData.Gaussian(2, 4, 40);
        for (int t = 0; t < 40; t++)
        {
            values[2, t] = 1.0;
        }

        var result = ModelProvenanceSet.Compute(new DistanceMatrix(values), Options);
        Assert.Contains(result.Diagnostics, d => d.Contains("'candidate-3' has the same distance (1) on every prompt", StringComparison.Ordinal));
    }

    [Fact]
    public void ZeroRow_IsReportedAsAnExactCopy_AndEntersTheSet()
    {
        double[,] values = TestData.Gaussian(3, 4, 40, i => 3);
        for (int t = 0; t < 40; t++)
        {
            values[0, t] = 0;
        }

        var result = ModelProvenanceSet.Compute(new DistanceMatrix(values), Options);
        Assert.Contains(result.Diagnostics, d => d.Contains("'candidate-1' has distance 0 to the target on every prompt", StringComparison.Ordinal));
        Assert.Equal("candidate-1", result.Set[0]);
    }

    [Fact]
    public void ConstantRelativeDistance_GivesInfiniteT_NotNaN()
    {
        // Candidate 0 is exactly 0.5 closer than the others' mean on every prompt: zero variance.
        var values = new double[3, 25];
        for (int t = 0; t < 25; t++)
        {
            values[1, t] = t % 2;
            values[2, t] = 1 - (t % 2);
            values[0, t] = 0.5 - 0.75;
        }

        var result = ModelProvenanceSet.Compute(new DistanceMatrix(values), Options);
        Assert.Equal(double.NegativeInfinity, result.Steps[0].Statistic);
        Assert.DoesNotContain(result.Steps.SelectMany(s => s.CandidateStatistics), double.IsNaN);
        Assert.Contains(result.Diagnostics, d => d.Contains("zero variance", StringComparison.Ordinal) && d.Contains("-Infinity", StringComparison.Ordinal));
        Assert.Equal("candidate-1", result.Set[0]);
    }

    [Fact]
    public void TiedMinimum_TestsTheLowestIndexFirst_AndSaysSo()
    {
        // Rows 1 and 3 are identical and closest.
        double[,] values = TestData.Gaussian(4, 5, 60, i => 0);
        for (int t = 0; t < 60; t++)
        {
            values[1, t] = values[3, t] = -2 + (0.1 * Math.Sin(t));
        }

        var result = ModelProvenanceSet.Compute(new DistanceMatrix(values), Options);
        Assert.Equal(1, result.Steps[0].CandidateIndex);
        Assert.Contains(result.Diagnostics, d => d.Contains("tie for the lowest t", StringComparison.Ordinal));
    }

    [Fact]
    public void EveryTestRejects_LastCandidateIsReported()
    {
        var values = TestData.Gaussian(6, 3, 300, i => -2.0 * (2 - i));
        var result = ModelProvenanceSet.Compute(new DistanceMatrix(values), Options);
        Assert.Equal(StoppingReason.OneCandidateLeft, result.StoppingReason);
        Assert.Equal(2, result.Set.Count);
        Assert.Equal(1.0, result.Candidates[2].InclusionPValue);
        Assert.Contains(result.Diagnostics, d => d.Contains("one candidate ('candidate-3') was left", StringComparison.Ordinal));
    }

    [Fact]
    public void ProportionEstimator_IsFlagged()
    {
        var result = ModelProvenanceSet.Compute(TestData.Matrix(1, 3, 20), Options with { PValueEstimator = PValueEstimator.Proportion });
        Assert.Contains(result.Diagnostics, d => d.Contains("plain proportion", StringComparison.Ordinal));
    }
}
