using ProvenanceSet.Randomness;

namespace ProvenanceSet.Tests.Randomness;

public class ShufflePlanTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Permutations_AreUniform(int m)
    {
        var plan = new ShufflePlan(m);
        var rng = new Xoshiro256StarStar(TestData.Hash($"uniform-{m}"));
        int factorial = Enumerable.Range(1, m).Aggregate(1, (a, b) => a * b);
        int draws = 10_000 * factorial;
        var counts = new Dictionary<string, int>();
        var perm = new int[m];
        var swaps = new int[m];
        for (int i = 0; i < draws; i++)
        {
            plan.DrawPermutation(ref rng, perm, swaps);
            string key = string.Join(",", perm);
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }

        Assert.Equal(factorial, counts.Count);
        // Pearson chi-square with m!−1 degrees of freedom; reject only beyond its 0.999999 quantile.
        double chi2 = counts.Values.Sum(c => (c - 10_000.0) * (c - 10_000.0) / 10_000.0);
        double limit = MathNet.Numerics.Distributions.ChiSquared.InvCDF(factorial - 1, 1 - 1e-6);
        Assert.True(chi2 < limit, $"chi2 = {chi2:F1} over {factorial - 1} df, limit {limit:F1}");
    }

    [Fact]
    public void Permutations_ArePermutations_ForEverySize()
    {
        var rng = new Xoshiro256StarStar(3);
        for (int m = 1; m <= 300; m++)
        {
            var plan = new ShufflePlan(m);
            var perm = new int[m];
            var swaps = new int[m];
            for (int rep = 0; rep < 5; rep++)
            {
                plan.DrawPermutation(ref rng, perm, swaps);
                Assert.Equal(Enumerable.Range(0, m), perm.Order());
                for (int j = 1; j < m; j++)
                {
                    Assert.InRange(swaps[j], 0, j);
                }
            }
        }
    }

    [Fact]
    public void WordDigits_AreTheMixedRadixDigitsOfOneLemireDraw()
    {
        // One word serving the bounds n_1..n_k is Lemire's method for the single bound P = Π n_i:
        // its digits spell ⌊r·P / 2^64⌋ in mixed radix. Checked against 128-bit arithmetic.
        for (int m = 2; m <= 400; m += 7)
        {
            var plan = new ShufflePlan(m);
            int size = plan.TargetsPerWord[0];
            var rng = new Xoshiro256StarStar((ulong)m);
            var copy = rng;
            var swaps = new int[m];
            plan.DrawSwapTargets(ref rng, swaps);

            UInt128 product = 1;
            for (int i = 0; i < size; i++)
            {
                product *= (ulong)(m - i);
            }

            // Lemire's rejection for bound P: redraw while (r·P mod 2^64) < (2^64 − P) mod P.
            ulong threshold = (ulong)((((UInt128)1 << 64) - product) % product);
            UInt128 full;
            do
            {
                full = (UInt128)copy.NextUInt64() * product;
            }
            while ((ulong)full < threshold);

            UInt128 index = full >> 64;
            // Least significant digit is the last bound on the word.
            for (int i = size - 1; i >= 0; i--)
            {
                ulong bound = (ulong)(m - i);
                Assert.Equal((int)(ulong)(index % bound), swaps[m - 1 - i]);
                index /= bound;
            }
        }
    }

    [Fact]
    public void OneWord_ServesSeveralSwapTargets()
    {
        // m = 50: bounds 50, 49, ... multiply past 2^56 after 10 factors, so one word serves ~10 swaps.
        Assert.True(new ShufflePlan(50).TargetsPerWord[0] >= 9);
        Assert.Equal(49, new ShufflePlan(50).TargetsPerWord.ToArray().Sum());
    }
}
