using ProvenanceSet.Data;

namespace ProvenanceSet.Tests.Core;

/// <summary>Every bad input that docs/algorithm.md lists gets an exception whose message names the problem.</summary>
public class BadInputTests
{
    private static readonly DistanceMatrix Good = TestData.Matrix(1, 4, 20);

    private static void Fails<TException>(Action action, params string[] phrases)
        where TException : Exception
    {
        var ex = Assert.ThrowsAny<TException>(action);
        foreach (string phrase in phrases)
        {
            Assert.Contains(phrase, ex.Message, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void TooFewCandidates() =>
        Fails<ArgumentException>(() => ModelProvenanceSet.Compute(new DistanceMatrix(new double[1, 10])), "1 candidate", "at least 2");

    [Fact]
    public void TooFewPrompts() =>
        Fails<ArgumentException>(() => ModelProvenanceSet.Compute(new DistanceMatrix(new double[3, 1])), "1 prompt", "at least 2");

    [Theory]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    [InlineData(double.NegativeInfinity, "-Infinity")]
    public void NonFiniteValues_NameCandidateAndPrompt(double bad, string shown)
    {
        var values = new double[3, 4];
        values[1, 2] = bad;
        Fails<ArgumentException>(() => _ = new DistanceMatrix(values, ["a", "b", "c"], ["p1", "p2", "p3", "p4"]), "'b'", "'p3'", shown, "finite");
        var matrix = new FakeMatrix(values);
        Fails<ArgumentException>(() => ModelProvenanceSet.Compute(matrix), "'candidate-2'", "'3'", "finite");
    }

    [Fact]
    public void RaggedRows() =>
        Fails<ArgumentException>(() => _ = new DistanceMatrix([new double[5], new double[5], new double[4]]), "ragged", "row 3", "4 values", "5");

    [Fact]
    public void DuplicateCandidateNames()
    {
        Fails<ArgumentException>(() => _ = new DistanceMatrix(new double[3, 3], ["a", "b", "a"]), "duplicate", "'a'");
        Fails<ArgumentException>(() => ModelProvenanceSet.Compute(new FakeMatrix(new double[3, 3], ["x", "x", "y"])), "duplicate", "'x'");
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void AlphaOutsideUnitInterval(double alpha) =>
        Fails<ArgumentOutOfRangeException>(() => ModelProvenanceSet.Compute(Good, ProvenanceOptions.Default with { Alpha = alpha }), "alpha", "between 0 and 1");

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void PermutationsBelowOne(int r) =>
        Fails<ArgumentOutOfRangeException>(() => ModelProvenanceSet.Compute(Good, ProvenanceOptions.Default with { Permutations = r }), "permutations", "at least 1");

    [Fact]
    public void PermutationsTooFewToEverReject()
    {
        Fails<ArgumentException>(() => ModelProvenanceSet.Compute(Good, ProvenanceOptions.Default with { Permutations = 18, Alpha = 0.05 }),
            "smallest p-value", "1/(18+1)", "at least 19 permutations");
        // 19 rounds reach 1/20 = alpha exactly: allowed.
        ModelProvenanceSet.Compute(Good, ProvenanceOptions.Default with { Permutations = 19, Alpha = 0.05 });
    }

    [Fact]
    public void TargetAmongItsCandidates()
    {
        var matrix = new DistanceMatrix(new double[3, 4], ["zephyr", "llama", "target-x"]) { TargetName = "target-x" };
        Fails<ArgumentException>(() => ModelProvenanceSet.Compute(matrix), "target", "'target-x'", "among its own candidates");
    }

    [Fact]
    public void ExactModeTooLarge() =>
        Fails<ArgumentException>(() => ModelProvenanceSet.Compute(TestData.Matrix(1, 5, 10), ProvenanceOptions.Default with { Exact = true }),
            "exact", "more than 1,000,000");

    [Fact]
    public void ExactModeTooSmallToReject() =>
        Fails<ArgumentException>(() => ModelProvenanceSet.Compute(TestData.Matrix(1, 2, 3), ProvenanceOptions.Default with { Exact = true }),
            "8 relabellings", "smallest p-value is 2/8");

    [Fact]
    public void ExactModeRefusesWhenRelabellingEveryPromptAlikeKeepsTheSmallestPAboveAlpha()
    {
        // 3 candidates, 2 prompts: (3!)^2 = 36 relabellings, so 1/36 < 0.05, but the 3! = 6 that relabel
        // both prompts alike leave T unchanged and always count: no p-value can fall below 6/36.
        Fails<ArgumentException>(() => ModelProvenanceSet.Compute(TestData.Matrix(1, 3, 2), ProvenanceOptions.Default with { Exact = true }),
            "36 relabellings", "the 6 that relabel every one of the 2 prompts alike", "6/36");

        // Why: on any data, those 6 relabellings count, so every step's count is at least 3! (here with
        // 4 prompts, 6^4 = 1296 relabellings, which exact mode accepts).
        for (ulong seed = 1; seed <= 5; seed++)
        {
            var result = ModelProvenanceSet.Compute(TestData.Matrix(seed, 3, 4), ProvenanceOptions.Default with { Exact = true, FullPath = true });
            Assert.All(result.Steps, s => Assert.True(s.ExceedanceCount >= (s.ActiveCount == 3 ? 6 : 2), $"{s.ExceedanceCount} at m = {s.ActiveCount}"));
        }
    }

    [Fact]
    public void PromptGroupsOfWrongLength() =>
        Fails<ArgumentException>(() => ModelProvenanceSet.Compute(Good, ProvenanceOptions.Default with { PromptGroups = [0, 1, 2] }),
            "PromptGroups has 3 entries", "20 prompts");

    [Fact]
    public void BadParallelism() =>
        Fails<ArgumentOutOfRangeException>(() => ModelProvenanceSet.Compute(Good, ProvenanceOptions.Default with { MaxDegreeOfParallelism = 0 }),
            "MaxDegreeOfParallelism");

    [Fact]
    public void NullMatrix() => Assert.Throws<ArgumentNullException>(() => ModelProvenanceSet.Compute(null!));

    /// <summary>An IDistanceMatrix that does no validation of its own, to test the procedure's checks.</summary>
    private sealed class FakeMatrix(double[,] values, string[]? names = null) : IDistanceMatrix
    {
        public int CandidateCount => values.GetLength(0);

        public int PromptCount => values.GetLength(1);

        public IReadOnlyList<string> CandidateNames { get; } = names ?? [.. Enumerable.Range(1, values.GetLength(0)).Select(i => $"candidate-{i}")];

        public IReadOnlyList<string> PromptIds { get; } = [.. Enumerable.Range(1, values.GetLength(1)).Select(t => $"{t}")];

        public void CopyRow(int candidate, Span<double> destination)
        {
            for (int t = 0; t < PromptCount; t++)
            {
                destination[t] = values[candidate, t];
            }
        }
    }
}
