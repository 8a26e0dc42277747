using ProvenanceSet.Data;

namespace ProvenanceSet.Tests.Core;

public class ProcedureTests
{
    private static readonly ProvenanceOptions Fast = ProvenanceOptions.Default with { Permutations = 199 };

    [Fact]
    public void ClearSources_EnterTheSetFirst_AndTheLoopStopsAtTheBackground()
    {
        // Candidates 3 and 7 are sources (mean distance 1 lower, noise sd 1, N = 400: t ≈ −20).
        var matrix = TestData.Matrix(21, 12, 400, i => i is 3 or 7 ? -1 : 0);
        var result = ModelProvenanceSet.Compute(matrix, Fast);
        Assert.Equal(["candidate-4", "candidate-8"], result.Set.Order());
        Assert.Equal(StoppingReason.NotRejected, result.StoppingReason);
        Assert.Equal(3, result.Steps.Count);
        Assert.True(result.Steps[0].Included && result.Steps[1].Included && !result.Steps[2].Included);
        Assert.Equal(1.0 / 200, result.Steps[0].PValue);
        Assert.All(result.Candidates, c => Assert.Equal(c.InSet, c.Name is "candidate-4" or "candidate-8"));
        Assert.All(result.Candidates, c => Assert.Equal(1 - c.InclusionPValue, c.NiScore));
        Assert.Equal([1, 2], result.Candidates.Where(c => c.InSet).Select(c => c.SetRank!.Value).Order());
        Assert.Equal(result.SetIndices.Select(i => matrix.CandidateNames[i]), result.Set);
    }

    [Fact]
    public void PValues_LieInRange_AndTheRunningMaximumNeverDecreases()
    {
        for (ulong seed = 0; seed < 25; seed++)
        {
            int m = 2 + (int)(seed % 9), n = 5 + (int)(seed * 7 % 60);
            var matrix = TestData.Matrix(seed, m, n, i => i % 3 == 0 ? -0.4 : 0);
            var result = ModelProvenanceSet.Compute(matrix, Fast with { FullPath = true, Seed = seed });
            double previous = 0;
            foreach (var step in result.Steps)
            {
                Assert.InRange(step.PValue, 1.0 / 200, 1.0);
                Assert.True(step.PValueMonotone >= previous);
                Assert.Equal(Math.Max(previous, step.PValue), step.PValueMonotone);
                Assert.Equal(199, step.NullStatistics.Count);
                Assert.Equal(199, step.PermutationsRun);
                previous = step.PValueMonotone;
            }

            Assert.Equal(m - 1, result.Steps.Count);
        }
    }

    [Fact]
    public void FullPath_GivesTheSetForEveryAlpha()
    {
        var matrix = TestData.Matrix(5, 10, 150, i => -0.12 * (i % 4));
        var path = ModelProvenanceSet.Compute(matrix, Fast with { FullPath = true, Alpha = 0.5 });
        Assert.Equal(StoppingReason.FullPathCompleted, path.StoppingReason);
        foreach (double alpha in new[] { 0.01, 0.05, 0.1, 0.2, 0.5 })
        {
            var direct = ModelProvenanceSet.Compute(matrix, Fast with { Alpha = alpha, EarlyStopping = EarlyStopping.None });
            var fromPath = path.Candidates.Where(c => c.InclusionPValue <= alpha).OrderBy(c => c.InclusionPValue).ThenBy(c => c.SetRank ?? int.MaxValue);
            Assert.Equal(direct.Set.Order(), path.Candidates.Where(c => c.InclusionPValue <= alpha).Select(c => c.Name).Order());
            // Without early stopping every tested candidate has the same p̃ with or without the full path.
            foreach (var step in direct.Steps)
            {
                Assert.Equal(path.Candidates[step.CandidateIndex].InclusionPValue, direct.Candidates[step.CandidateIndex].InclusionPValue);
            }

            // With early stopping (the default) the set is the same and so is p̃ of every included candidate;
            // the candidate of the stopping step has p̃ > α from the rounds that ran.
            var early = ModelProvenanceSet.Compute(matrix, Fast with { Alpha = alpha });
            Assert.Equal(direct.Set, early.Set);
            foreach (var step in early.Steps)
            {
                double pathP = path.Candidates[step.CandidateIndex].InclusionPValue;
                if (step.Included)
                {
                    Assert.Equal(pathP, early.Candidates[step.CandidateIndex].InclusionPValue);
                }
                else
                {
                    Assert.True(pathP > alpha && early.Candidates[step.CandidateIndex].InclusionPValue > alpha);
                }
            }

            Assert.NotNull(fromPath);
        }
    }

    [Fact]
    public void SameSeed_IsBitIdentical_ForAnyNumberOfThreads()
    {
        var matrix = TestData.Matrix(8, 9, 333, i => i == 4 ? -0.3 : 0);
        var baseline = ModelProvenanceSet.Compute(matrix, Fast with { Seed = 99, MaxDegreeOfParallelism = 1, FullPath = true });
        foreach (int threads in new[] { 2, 3, 8, -1 })
        {
            var other = ModelProvenanceSet.Compute(matrix, Fast with { Seed = 99, MaxDegreeOfParallelism = threads, FullPath = true });
            Assert.Equal(baseline.Steps.Count, other.Steps.Count);
            for (int s = 0; s < baseline.Steps.Count; s++)
            {
                Assert.Equal(Bits(baseline.Steps[s].NullStatistics), Bits(other.Steps[s].NullStatistics));
                Assert.Equal(BitConverter.DoubleToInt64Bits(baseline.Steps[s].PValue), BitConverter.DoubleToInt64Bits(other.Steps[s].PValue));
                Assert.Equal(BitConverter.DoubleToInt64Bits(baseline.Steps[s].Statistic), BitConverter.DoubleToInt64Bits(other.Steps[s].Statistic));
            }
        }

        var reseeded = ModelProvenanceSet.Compute(matrix, Fast with { Seed = 100, MaxDegreeOfParallelism = 1 });
        Assert.NotEqual(Bits(baseline.Steps[0].NullStatistics), Bits(reseeded.Steps[0].NullStatistics));
    }

    private static long[] Bits(IReadOnlyList<double> values) => [.. values.Select(BitConverter.DoubleToInt64Bits)];

    [Fact]
    public void ReorderingCandidates_ChangesOnlyLabels()
    {
        double[,] l = TestData.Gaussian(12, 4, 4, i => i == 2 ? -1.5 : 0);
        int[] order = [3, 1, 0, 2];
        var reordered = new double[4, 4];
        for (int i = 0; i < 4; i++)
        {
            for (int t = 0; t < 4; t++)
            {
                reordered[i, t] = l[order[i], t];
            }
        }

        string[] names = ["a", "b", "c", "d"];
        var exact = ProvenanceOptions.Default with { Exact = true, FullPath = true, Alpha = 0.2 };
        var original = ModelProvenanceSet.Compute(new DistanceMatrix(l, names), exact);
        var moved = ModelProvenanceSet.Compute(new DistanceMatrix(reordered, [.. order.Select(i => names[i])]), exact);
        Assert.Equal(original.Set, moved.Set);
        foreach (var c in original.Candidates)
        {
            var twin = moved.Candidates.Single(x => x.Name == c.Name);
            Assert.Equal(c.InclusionPValue, twin.InclusionPValue, 12);
            Assert.Equal(c.FirstStepStatistic, twin.FirstStepStatistic, 10);
        }
    }

    [Fact]
    public void PromptConstantsAndPositiveScale_ChangeNothing()
    {
        double[,] l = TestData.Gaussian(13, 8, 120, i => i < 2 ? -0.35 : 0);
        var shifted = (double[,])l.Clone();
        var scaled = (double[,])l.Clone();
        for (int t = 0; t < 120; t++)
        {
            double c = 10 * Math.Sin(t);
            for (int i = 0; i < 8; i++)
            {
                shifted[i, t] += c;
                scaled[i, t] *= 3.7;
            }
        }

        var options = Fast with { FullPath = true, Seed = 4 };
        var a = ModelProvenanceSet.Compute(new DistanceMatrix(l), options);
        foreach (var other in new[] { ModelProvenanceSet.Compute(new DistanceMatrix(shifted), options), ModelProvenanceSet.Compute(new DistanceMatrix(scaled), options) })
        {
            Assert.Equal(a.Set, other.Set);
            Assert.Equal(a.Steps.Select(s => s.CandidateIndex), other.Steps.Select(s => s.CandidateIndex));
            // Same seed, same permutations: every count is the same; statistics agree to rounding.
            Assert.Equal(a.Steps.Select(s => s.PValue), other.Steps.Select(s => s.PValue));
            for (int s = 0; s < a.Steps.Count; s++)
            {
                Assert.Equal(a.Steps[s].Statistic, other.Steps[s].Statistic, 1e-9 * Math.Abs(a.Steps[s].Statistic));
            }
        }
    }

    [Fact]
    public void PromptGroups_PermuteWholeGroups()
    {
        // With 2 groups and m = 2 there are only 4 relabellings of the whole data set.
        var matrix = TestData.Matrix(3, 2, 40, i => i == 0 ? -1 : 0);
        int[] groups = [.. Enumerable.Range(0, 40).Select(t => t % 2)];
        var result = ModelProvenanceSet.Compute(matrix, ProvenanceOptions.Default with { Permutations = 400, PromptGroups = groups, Alpha = 0.5 });
        Assert.Equal(2, result.GroupCount);
        // Each round relabels both groups; T* takes at most 4 distinct values, one of which is T itself.
        Assert.True(result.Steps[0].NullStatistics.Distinct().Count() <= 4);
        // Two of the four relabellings (identity and full swap, m = 2) reach T: p ≈ 1/2.
        Assert.InRange(result.Steps[0].PValue, 0.5 - 0.1, 0.5 + 0.1);
    }

    [Fact]
    public void Progress_IsReportedPerBatch_AndCancellationStops()
    {
        var matrix = TestData.Matrix(1, 6, 50);
        var reports = new List<ProvenanceProgress>();
        var progress = new SynchronousProgress(p => { lock (reports) { reports.Add(p); } });
        var result = ModelProvenanceSet.Compute(matrix, Fast with { MaxDegreeOfParallelism = 1 }, progress);
        Assert.Contains(reports, r => r.Step == 0 && r.RoundsCompleted == 0 && r.RoundsTotal == 199 && r.ActiveCount == 6);
        // Each step's last report says how many rounds it ran: all 199, or fewer when it stopped early.
        foreach (var step in result.Steps)
        {
            var last = reports.Last(r => r.Step == step.Index);
            Assert.Equal(step.PermutationsRun, last.RoundsCompleted);
            Assert.Equal(step.PermutationsRun, last.RoundsTotal);
            Assert.True(reports.Where(r => r.Step == step.Index).Select(r => r.RoundsCompleted).Order().SequenceEqual(reports.Where(r => r.Step == step.Index).Select(r => r.RoundsCompleted)));
        }

        var full = new List<ProvenanceProgress>();
        ModelProvenanceSet.Compute(matrix, Fast with { EarlyStopping = EarlyStopping.None }, new SynchronousProgress(p => { lock (full) { full.Add(p); } }));
        Assert.Contains(full, r => r.Step == 0 && r.RoundsCompleted == 199 && r.RoundsTotal == 199 && r.ActiveCount == 6);
        Assert.True(full.Count(r => r.Step == 0) > 2, "progress comes once per batch");

        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => ModelProvenanceSet.Compute(matrix, Fast, null, cts.Token));
    }

    private sealed class SynchronousProgress(Action<ProvenanceProgress> report) : IProgress<ProvenanceProgress>
    {
        public void Report(ProvenanceProgress value) => report(value);
    }
}
