using System.Runtime.CompilerServices;

namespace ProvenanceSet.Randomness;

/// <summary>
/// How one uniform permutation of m items is drawn: Fisher–Yates from the last position down, with
/// the swap targets k_j ∈ [0, j] for j = m−1..1 taken several at a time from one 64-bit draw
/// (batched ranged integers, Brackett-Rozinsky and Lemire 2024).
/// </summary>
/// <remarks>
/// One accepted 64-bit word r serves the swap targets of several positions with bounds n_1..n_k: r is multiplied by
/// each bound in turn, and the high words are the mixed-radix digits of ⌊r·P/2^64⌋ with P = Πn_i, so this is
/// Lemire's unbiased method for the single bound P, with the same rejection rule on the final low word. Products
/// are capped at 2^56, which keeps the rejection probability below 2^-8 per word.
/// Every kernel draws its permutations through this one plan, so all kernels see identical
/// permutations for the same stream.
/// </remarks>
internal sealed class ShufflePlan
{
    private const ulong ProductCap = 1UL << 56;

    private readonly int[] _targetsPerWord;
    private readonly ulong[] _thresholds;

    public ShufflePlan(int length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        Length = length;
        var sizes = new List<int>();
        var thresholds = new List<ulong>();
        int j = length - 1;
        while (j >= 1)
        {
            ulong product = 1;
            int size = 0;
            while (j - size >= 1 && product <= ProductCap / (ulong)(j - size + 1))
            {
                product *= (ulong)(j - size + 1);
                size++;
            }

            sizes.Add(size);
            thresholds.Add((0 - product) % product);
            j -= size;
        }

        _targetsPerWord = [.. sizes];
        _thresholds = [.. thresholds];
    }

    /// <summary>How many swap targets each accepted 64-bit word yields, word by word (from j = m−1 down).</summary>
    internal ReadOnlySpan<int> TargetsPerWord => _targetsPerWord;

    /// <summary>Lemire's rejection threshold (2^64 − P) mod P of each word, P = the product of its bounds.</summary>
    internal ReadOnlySpan<ulong> Thresholds => _thresholds;

    /// <summary>The number of items a permutation of this plan moves (m).</summary>
    public int Length { get; }

    /// <summary>
    /// Draws the swap targets: <paramref name="swapTargets"/>[j] ∈ [0, j] for j = m−1..1
    /// (index 0 is left untouched).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void DrawSwapTargets(ref Xoshiro256StarStar rng, Span<int> swapTargets)
    {
        int j = Length - 1;
        for (int w = 0; w < _targetsPerWord.Length; w++)
        {
            int size = _targetsPerWord[w];
            ulong threshold = _thresholds[w];
            ulong leftover;
            do
            {
                leftover = rng.NextUInt64();
                for (int i = 0; i < size; i++)
                {
                    int jj = j - i;
                    ulong hi = Math.BigMul(leftover, (ulong)(jj + 1), out leftover);
                    swapTargets[jj] = (int)hi;
                }
            }
            while (leftover < threshold);

            j -= size;
        }
    }

    /// <summary>Draws a uniform permutation of 0..m−1 into <paramref name="permutation"/>.</summary>
    public void DrawPermutation(ref Xoshiro256StarStar rng, Span<int> permutation, Span<int> swapTargets)
    {
        DrawSwapTargets(ref rng, swapTargets);
        for (int i = 0; i < Length; i++)
        {
            permutation[i] = i;
        }

        ApplySwaps(swapTargets, permutation);
    }

    /// <summary>Applies the Fisher–Yates swaps (j ↔ k_j for j = m−1..1) to <paramref name="items"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ApplySwaps<T>(ReadOnlySpan<int> swapTargets, Span<T> items)
    {
        for (int j = items.Length - 1; j >= 1; j--)
        {
            int k = swapTargets[j];
            (items[j], items[k]) = (items[k], items[j]);
        }
    }
}
