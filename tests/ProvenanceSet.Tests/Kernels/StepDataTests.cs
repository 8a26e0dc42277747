using ProvenanceSet.Data;
using ProvenanceSet.Procedure;
using ProvenanceSet.Randomness;

namespace ProvenanceSet.Tests.Kernels;

/// <summary>
/// <see cref="ProvenanceSet.Kernels.StepData.FillBlock"/> against the definition e[p, k] = L[A_k, p] − c_p, computed here
/// from the prepared rows: every kernel, the reference included, reads its values through FillBlock, so the kernel
/// equivalence tests cannot see a value it gets wrong.
/// </summary>
public class StepDataTests
{
    // Candidate counts around the sweeps of 8 candidates and the tiles of 8 prompts.
    public static TheoryData<int> ActiveCounts() => [1, 2, 7, 8, 9, 15, 16, 17, 31, 50];

    [Theory]
    [MemberData(nameof(ActiveCounts))]
    public void FillBlock_GivesEveryCentredValue_ForAnySpanSubsetAndGrouping(int m)
    {
        const int Candidates = 60, Prompts = 203;
        var values = TestData.Gaussian(TestData.Hash($"fill-block-{m}"), Candidates, Prompts, i => 0.05 * i);
        for (int t = 0; t < Prompts; t += 11)
        {
            // Prompts on which the active candidates all tie take the shared value as their centre.
            for (int i = 0; i < Candidates; i++)
            {
                values[i, t] = 0.25;
            }
        }

        var rng = new Xoshiro256StarStar(TestData.Hash($"fill-block-active-{m}"));
        int[] active = [.. Enumerable.Range(0, Candidates).OrderBy(_ => rng.NextUInt64()).Take(m)];
        int[] groups = [.. Enumerable.Range(0, Prompts).Select(_ => (int)rng.NextBounded(40))];
        foreach (int[]? grouping in new[] { null, groups })
        {
            var prepared = PreparedMatrix.Create(new DistanceMatrix(values), grouping);
            var step = prepared.BuildStep(active);
            double[] expected = Expected(prepared, active);
            foreach ((int first, int count) in new[] { (0, Prompts), (0, 1), (5, 8), (3, 17), (100, 103), (Prompts - 9, 9) })
            {
                var destination = new double[(count * m) + 3];
                Array.Fill(destination, double.NaN);
                step.FillBlock(first, count, destination);
                for (int p = 0; p < count; p++)
                {
                    for (int k = 0; k < m; k++)
                    {
                        Assert.True(
                            BitConverter.DoubleToInt64Bits(expected[((first + p) * m) + k]) == BitConverter.DoubleToInt64Bits(destination[(p * m) + k]),
                            $"m = {m}, groups = {grouping is not null}, span {first}+{count}: prompt {first + p}, candidate {k}");
                    }
                }

                Assert.All(destination[(count * m)..], value => Assert.True(double.IsNaN(value), "written past the block"));
            }
        }
    }

    // e[p, k] from the rows in stored order: the centre is the mean over the active candidates, added in their order, or
    // the shared value when they all tie.
    private static double[] Expected(PreparedMatrix prepared, int[] active)
    {
        int m = active.Length, n = prepared.PromptCount;
        var rows = active.Select(i =>
        {
            var row = new double[n];
            prepared.CopyRow(i, row);
            return row;
        }).ToArray();
        var expected = new double[n * m];
        for (int p = 0; p < n; p++)
        {
            double sum = 0;
            bool tie = true;
            for (int k = 0; k < m; k++)
            {
                sum += rows[k][p];
                tie &= rows[k][p] == rows[0][p];
            }

            double centre = tie ? rows[0][p] : sum / m;
            for (int k = 0; k < m; k++)
            {
                expected[(p * m) + k] = rows[k][p] - centre;
            }
        }

        return expected;
    }
}
