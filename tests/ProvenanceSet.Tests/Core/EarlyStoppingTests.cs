using ProvenanceSet.Procedure;
using ProvenanceSet.Randomness;

namespace ProvenanceSet.Tests.Core;

/// <summary>Early stopping: never changes a decision (WhenDecided), is thread-independent, and the opt-in sequential rule keeps its risk bound.</summary>
public class EarlyStoppingTests
{
    [Fact]
    public void WhenDecided_GivesTheDecisionsOfTheFullRun_OnManyRandomInputs()
    {
        int stoppedEarly = 0;
        for (ulong seed = 0; seed < 160; seed++)
        {
            var rng = new Xoshiro256StarStar(TestData.Hash($"early-{seed}"));
            int m = 2 + (int)rng.NextBounded(14), n = 4 + (int)rng.NextBounded(300);
            int sources = (int)rng.NextBounded(4);
            double gap = 0.05 + (0.4 * rng.NextDouble());
            double alpha = new[] { 0.01, 0.05, 0.1, 0.2 }[rng.NextBounded(4)];
            int rounds = new[] { 99, 199, 499 }[rng.NextBounded(3)];
            var matrix = TestData.Matrix(seed, m, n, i => i < sources ? -gap : 0);
            int[]? groups = seed % 5 == 0 ? [.. Enumerable.Range(0, n).Select(t => t / 3)] : null;
            var options = ProvenanceOptions.Default with { Alpha = alpha, Permutations = rounds, Seed = seed, PromptGroups = groups };
            if (1.0 / (rounds + 1) > alpha)
            {
                continue;
            }

            var full = ModelProvenanceSet.Compute(matrix, options with { EarlyStopping = EarlyStopping.None });
            var early = ModelProvenanceSet.Compute(matrix, options);
            Assert.Equal(full.Set, early.Set);
            Assert.Equal(full.StoppingReason, early.StoppingReason);
            Assert.Equal(full.Steps.Count, early.Steps.Count);
            for (int s = 0; s < full.Steps.Count; s++)
            {
                ProvenanceStep f = full.Steps[s], e = early.Steps[s];
                Assert.Equal(f.CandidateIndex, e.CandidateIndex);
                Assert.Equal(f.Included, e.Included);
                Assert.Equal(f.Statistic, e.Statistic);
                // The rounds that ran are the full run's first rounds, bit for bit.
                Assert.Equal(Bits(f.NullStatistics.Take(e.NullStatistics.Count)), Bits(e.NullStatistics));
                if (e.Included)
                {
                    Assert.Equal(rounds, e.PermutationsRun);
                    Assert.Equal(f.PValue, e.PValue);
                    Assert.Equal(f.PValueMonotone, e.PValueMonotone);
                }
                else if (e.PermutationsRun < rounds)
                {
                    stoppedEarly++;
                    Assert.True(e.PValue > alpha && f.PValue > alpha);
                    Assert.Equal((1.0 + e.ExceedanceCount) / (e.PermutationsRun + 1.0), e.PValue);
                    // It stopped at the first round at which p > α became certain.
                    Assert.True((1.0 + e.ExceedanceCount) / (rounds + 1.0) > alpha);
                    Assert.False(e.ExceedanceCount / (rounds + 1.0) > alpha);
                }
            }

            foreach (var c in early.Candidates.Where(c => c.InSet))
            {
                Assert.Equal(full.Candidates[c.Index].InclusionPValue, c.InclusionPValue);
            }
        }

        Assert.True(stoppedEarly > 40, $"only {stoppedEarly} steps stopped early: the test does not exercise early stopping");
    }

    [Fact]
    public void WhereAStepStops_DoesNotDependOnThreads()
    {
        var matrix = TestData.Matrix(77, 12, 300, i => i == 3 ? -0.3 : 0);
        var options = ProvenanceOptions.Default with { Permutations = 999, Seed = 3 };
        var one = ModelProvenanceSet.Compute(matrix, options with { MaxDegreeOfParallelism = 1 });
        Assert.True(one.Steps[^1].PermutationsRun < 999);
        foreach (int threads in new[] { 2, 3, 5, -1 })
        {
            var other = ModelProvenanceSet.Compute(matrix, options with { MaxDegreeOfParallelism = threads });
            Assert.Equal(one.Steps.Select(s => s.PermutationsRun), other.Steps.Select(s => s.PermutationsRun));
            Assert.Equal(one.Steps.Select(s => s.PValue), other.Steps.Select(s => s.PValue));
            Assert.Equal(Bits(one.Steps[^1].NullStatistics), Bits(other.Steps[^1].NullStatistics));
        }
    }

    [Fact]
    public void FullPathAndExactMode_RunEveryRound()
    {
        var matrix = TestData.Matrix(78, 6, 80);
        var path = ModelProvenanceSet.Compute(matrix, ProvenanceOptions.Default with { Permutations = 199, FullPath = true, EarlyStopping = EarlyStopping.Sequential });
        Assert.All(path.Steps, s => Assert.Equal(199, s.PermutationsRun));
        var exact = ModelProvenanceSet.Compute(TestData.Matrix(79, 3, 5), ProvenanceOptions.Default with { Exact = true, Alpha = 0.5 });
        Assert.All(exact.Steps, s => Assert.Equal(ExactRelabellings.Count(s.ActiveCount, 5, long.MaxValue), s.PermutationsRun));
    }

    [Fact]
    public void Sequential_StopsClearStepsEarly_AndKeepsTheSet()
    {
        var matrix = TestData.Matrix(80, 20, 400, i => i is 4 or 11 ? -0.6 : 0);
        var options = ProvenanceOptions.Default with { Permutations = 2000, Seed = 9 };
        var full = ModelProvenanceSet.Compute(matrix, options with { EarlyStopping = EarlyStopping.None });
        var sequential = ModelProvenanceSet.Compute(matrix, options with { EarlyStopping = EarlyStopping.Sequential });
        Assert.Equal(full.Set, sequential.Set);
        Assert.All(sequential.Steps, s => Assert.True(s.PermutationsRun < 2000, $"step {s.Index + 1} ran {s.PermutationsRun} rounds"));
        Assert.All(sequential.Steps.Where(s => s.Included), s => Assert.True(s.PValue <= options.Alpha));
    }

    [Theory]
    [InlineData(0.07, true)]
    [InlineData(0.05, true)]
    [InlineData(0.03, false)]
    [InlineData(0.05, false)]
    public void Sequential_WrongSideEarlyDecisions_AreRarerThanTheRisk(double ideal, bool aboveAlpha)
    {
        // A step's exceedance indicators are Bernoulli(ideal). With ideal ≥ α an early "significant" stop
        // is a wrong-side decision, and with ideal ≤ α an early "not significant" stop is; Ville's
        // inequality bounds each by ε. 600 sequences of up to 3000 rounds; the count is Binomial(600, ≤ ε),
        // so it stays below ε·600 + 4 standard deviations.
        const double Alpha = 0.05, Risk = 0.02;
        const int Sequences = 600, Rounds = 3000;
        if (aboveAlpha != (ideal >= Alpha))
        {
            return;
        }

        var rule = StopRule.For(ProvenanceOptions.Default with { Alpha = Alpha, EarlyStopping = EarlyStopping.Sequential, ResamplingRisk = Risk }, Rounds)!;
        var rng = new Xoshiro256StarStar(TestData.Hash($"ville-{ideal}-{aboveAlpha}"));
        int wrong = 0;
        for (int sequence = 0; sequence < Sequences; sequence++)
        {
            long atMost = 0;
            for (long r = 1; r <= Rounds; r++)
            {
                atMost += rng.NextDouble() < ideal ? 1 : 0;
                if (rule.ShouldStop(r, atMost))
                {
                    bool significant = StopRule.PValue(atMost, r, PValueEstimator.PlusOne) <= Alpha;
                    wrong += significant == aboveAlpha ? 1 : 0;
                    break;
                }
            }
        }

        double limit = (Risk * Sequences) + (4 * Math.Sqrt(Risk * Sequences));
        Assert.True(wrong <= limit, $"{wrong} wrong-side early decisions of {Sequences}, limit {limit:F1}");
    }

    [Fact]
    public void ResamplingRisk_OutsideTheUnitInterval_IsRefused()
    {
        var matrix = TestData.Matrix(1, 3, 10);
        foreach (double risk in new[] { 0.0, 1.0, -0.1, double.NaN })
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => ModelProvenanceSet.Compute(matrix, ProvenanceOptions.Default with { ResamplingRisk = risk }));
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => ModelProvenanceSet.Compute(matrix, ProvenanceOptions.Default with { EarlyStopping = (EarlyStopping)7 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => ModelProvenanceSet.Compute(matrix, ProvenanceOptions.Default with { Kernel = (ProvenanceSet.Kernels.KernelChoice)9 }));
    }

    private static long[] Bits(IEnumerable<double> values) => [.. values.Select(BitConverter.DoubleToInt64Bits)];
}
