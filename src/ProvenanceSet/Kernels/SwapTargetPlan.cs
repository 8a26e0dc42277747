using System.Runtime.CompilerServices;
using ProvenanceSet.Randomness;

namespace ProvenanceSet.Kernels;

/// <summary>
/// The swap targets of <see cref="ShufflePlan"/>, re-derived so that the fast kernels can compute
/// them in any order and several at a time (in vectors) while drawing exactly the same permutations.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="ShufflePlan.DrawSwapTargets"/> takes one accepted 64-bit word r per batch and splits it
/// by a chain of 64×64-bit products: leftover₀ = r, (kᵢ, leftoverᵢ) = (high, low) of leftoverᵢ₋₁·nᵢ.
/// The low words are r·Qᵢ mod 2⁶⁴ with Qᵢ = n₁···nᵢ (multiplication modulo 2⁶⁴ is associative), so
/// swap target i is <c>high(((r·Qᵢ₋₁) mod 2⁶⁴) · nᵢ)</c>: one independent computation per target,
/// no chain. The rejection test of the batch is on the last low word, r·P mod 2⁶⁴ with P = Q_size.
/// </para>
/// <para>
/// Draw index d = 0 .. m−2 is the Fisher–Yates step at position j = m−1−d, with bound n = j+1.
/// Tests pin this class to <see cref="ShufflePlan"/> for every m from 2 to 300.
/// </para>
/// </remarks>
internal sealed class SwapTargetPlan
{
    private readonly int[] _batchOfDraw;
    private readonly ulong[] _prefixOfDraw;
    private readonly ulong[] _products;
    private readonly ulong[] _thresholds;

    public SwapTargetPlan(ShufflePlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        Length = plan.Length;
        ReadOnlySpan<int> sizes = plan.BatchSizes;
        _thresholds = plan.Thresholds.ToArray();
        _products = new ulong[sizes.Length];
        _batchOfDraw = new int[Math.Max(0, Length - 1)];
        _prefixOfDraw = new ulong[Math.Max(0, Length - 1)];
        int d = 0;
        for (int b = 0; b < sizes.Length; b++)
        {
            ulong prefix = 1;
            for (int i = 0; i < sizes[b]; i++, d++)
            {
                _batchOfDraw[d] = b;
                _prefixOfDraw[d] = prefix;
                prefix *= Bound(d);
            }

            _products[b] = prefix;
        }
    }

    /// <summary>m, the number of items a permutation moves.</summary>
    public int Length { get; }

    /// <summary>How many 64-bit words (batches) one permutation takes.</summary>
    public int BatchCount => _products.Length;

    /// <summary>P of each batch: the product of its bounds.</summary>
    public ReadOnlySpan<ulong> Products => _products;

    /// <summary>Lemire's rejection threshold (2⁶⁴ − P) mod P of each batch: a word w is redrawn while w·P mod 2⁶⁴ is below it.</summary>
    public ReadOnlySpan<ulong> Thresholds => _thresholds;

    /// <summary>The batch that draw index d takes its word from.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int BatchOf(int draw) => _batchOfDraw[draw];

    /// <summary>Q: the product of the bounds that precede draw index d in its batch.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong PrefixOf(int draw) => _prefixOfDraw[draw];

    /// <summary>The bound j + 1 of draw index d (position j = m − 1 − d).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Bound(int draw) => (ulong)(Length - draw);

    /// <summary>
    /// Draws the accepted word of every batch, consuming the stream exactly as
    /// <see cref="ShufflePlan.DrawSwapTargets"/> does (including Lemire's redraws).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void DrawWords(ref Xoshiro256StarStar rng, Span<ulong> words)
    {
        for (int b = 0; b < _products.Length; b++)
        {
            ulong product = _products[b], threshold = _thresholds[b];
            ulong word;
            do
            {
                word = rng.NextUInt64();
            }
            while (word * product < threshold);

            words[b] = word;
        }
    }

    /// <summary>
    /// The swap target of one draw: high(((word·prefix) mod 2⁶⁴)·bound), computed with 64-bit
    /// products only (the bound is below 2³², see <see cref="SwapTargetOperator"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong SwapTarget(ulong word, ulong prefix, ulong bound) => SwapTargetOperator.Invoke(word * prefix, bound);

    /// <summary>Whether draw index d is the first of its batch (it starts from the word itself: Q = 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool StartsBatch(int draw) => _prefixOfDraw[draw] == 1;

    /// <summary>Writes the swap targets k_j, j = m−1..1, from one permutation's words (index 0 untouched), like <see cref="ShufflePlan.DrawSwapTargets"/>.</summary>
    public void SwapTargets(ReadOnlySpan<ulong> words, Span<int> swapTargets)
    {
        for (int d = 0; d < Length - 1; d++)
        {
            swapTargets[Length - 1 - d] = (int)SwapTarget(words[_batchOfDraw[d]], _prefixOfDraw[d], Bound(d));
        }
    }
}
