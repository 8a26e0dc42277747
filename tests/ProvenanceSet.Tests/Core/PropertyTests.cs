using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using ProvenanceSet.Data;

namespace ProvenanceSet.Tests.Core;

/// <summary>Spec properties over arbitrary small matrices (FsCheck, fixed replay seed in CI).</summary>
public class PropertyTests
{
    private static readonly ProvenanceOptions Options = ProvenanceOptions.Default with { Permutations = 39, Alpha = 0.2, FullPath = true };

    /// <summary>Matrices with 2–7 candidates, 2–25 prompts, and values from a small grid so that ties occur.</summary>
    private static Arbitrary<double[,]> Matrices() =>
        (from m in Gen.Choose(2, 7)
         from n in Gen.Choose(2, 25)
         from cells in Gen.ArrayOf(Gen.Choose(-20, 20).Select(v => v / 4.0), m * n)
         select ToMatrix(cells, m, n)).ToArbitrary();

    private static double[,] ToMatrix(double[] cells, int m, int n)
    {
        var values = new double[m, n];
        for (int i = 0; i < m; i++)
        {
            for (int t = 0; t < n; t++)
            {
                values[i, t] = cells[(i * n) + t];
            }
        }

        return values;
    }

    [Property(MaxTest = 200, Replay = "(20261126,1)")]
    public Property PValuesAreValid_AndTheSetIsAPrefixOfThePath() =>
        Prop.ForAll(Matrices(), values =>
        {
            var result = ModelProvenanceSet.Compute(new DistanceMatrix(values), Options);
            double previous = 0;
            bool stillIncluding = true;
            foreach (var step in result.Steps)
            {
                if (step.PValue < 1.0 / 40 || step.PValue > 1 || step.PValueMonotone < previous || double.IsNaN(step.Statistic))
                {
                    return false;
                }

                if (step.Included && !stillIncluding)
                {
                    return false;
                }

                stillIncluding &= step.Included;
                previous = step.PValueMonotone;
            }

            var fromPath = result.Candidates.Where(c => c.InclusionPValue <= Options.Alpha).Select(c => c.Index).Order();
            return result.Steps.Count == values.GetLength(0) - 1
                && fromPath.SequenceEqual(result.SetIndices.Order())
                && result.Candidates.All(c => c.NiScore == 1 - c.InclusionPValue && c.InclusionPValue is > 0 and <= 1);
        });

    [Property(MaxTest = 100, Replay = "(20261126,3)")]
    public Property ShiftingAPromptForEveryCandidate_ChangesNoPValue() =>
        Prop.ForAll(Matrices(), Gen.Choose(-8, 8).ToArbitrary(), (values, shift) =>
        {
            var shifted = (double[,])values.Clone();
            for (int i = 0; i < values.GetLength(0); i++)
            {
                shifted[i, 0] += shift / 2.0; // exact in binary: no rounding can differ
            }

            var a = ModelProvenanceSet.Compute(new DistanceMatrix(values), Options);
            var b = ModelProvenanceSet.Compute(new DistanceMatrix(shifted), Options);
            return a.Steps.Select(s => s.PValue).SequenceEqual(b.Steps.Select(s => s.PValue))
                && a.Set.SequenceEqual(b.Set);
        });
}
