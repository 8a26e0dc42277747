using System.Runtime.CompilerServices;
using ProvenanceSet.Randomness;

namespace ProvenanceSet.Kernels;

/// <summary>
/// The swap targets of <see cref="ShufflePlan"/>, re-derived so that the fast kernels can compute
/// them in any order and several at a time (in vectors) while drawing exactly the same permutations.
/// </summary>
/// <remarks>
/// <see cref="ShufflePlan.DrawSwapTargets"/> takes one accepted 64-bit word r for several positions and splits it by a chain
/// of 64×64-bit products: leftover₀ = r, (kᵢ, leftoverᵢ) = (high, low) of leftoverᵢ₋₁·nᵢ. The low words are r·Qᵢ mod 2⁶⁴
/// with Qᵢ = n₁···nᵢ, so swap target i is <c>high(((r·Qᵢ₋₁) mod 2⁶⁴) · nᵢ)</c>: no chain through the high words. The
/// rejection test of the word is on r·P mod 2⁶⁴ with P = Q_size. Draw index d = 0 .. m−2 is position j = m−1−d, with bound
/// n = j+1. Tests pin this class to <see cref="ShufflePlan"/> for every m from 2 to 300.
/// </remarks>
internal sealed class SwapTargetPlan
{
    private readonly int[] _wordOfDraw;
    private readonly ulong[] _products;
    private readonly ulong[] _thresholds;

    public SwapTargetPlan(ShufflePlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        Length = plan.Length;
        ReadOnlySpan<int> sizes = plan.TargetsPerWord;
        _thresholds = plan.Thresholds.ToArray();
        _products = new ulong[sizes.Length];
        _wordOfDraw = new int[Length - 1];
        int d = 0;
        for (int w = 0; w < sizes.Length; w++)
        {
            _products[w] = 1;
            for (int i = 0; i < sizes[w]; i++, d++)
            {
                _wordOfDraw[d] = w;
                _products[w] *= Bound(d);
            }
        }
    }

    /// <summary>m, the number of items a permutation moves.</summary>
    public int Length { get; }

    /// <summary>How many accepted 64-bit words one permutation takes.</summary>
    public int WordCount => _products.Length;

    /// <summary>P of each word: the product of its bounds.</summary>
    public ReadOnlySpan<ulong> Products => _products;

    /// <summary>Lemire's rejection threshold (2⁶⁴ − P) mod P of each word: a word w is redrawn while w·P mod 2⁶⁴ is below it.</summary>
    public ReadOnlySpan<ulong> Thresholds => _thresholds;

    /// <summary>The word that draw index d takes its swap target from.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int WordOf(int draw) => _wordOfDraw[draw];

    /// <summary>Whether draw index d is the first of its word (it starts from the word itself: Q = 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool StartsWord(int draw) => draw == 0 || _wordOfDraw[draw] != _wordOfDraw[draw - 1];

    /// <summary>The bound j + 1 of draw index d (position j = m − 1 − d).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Bound(int draw) => (ulong)(Length - draw);
}
