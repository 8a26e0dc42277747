using System.Numerics;
using System.Runtime.CompilerServices;
using ProvenanceSet.Randomness;

namespace ProvenanceSet.Kernels;

/// <summary>
/// The lanes' generators side by side: every lane (round) is its own xoshiro256** stream, and each
/// lane draws exactly what <see cref="ShufflePlan.DrawSwapTargets"/> would draw from it — for every
/// prompt (or group) that starts a permutation, one accepted word per word of the plan, a rejected word redrawn at once.
/// </summary>
/// <remarks>
/// <para>Layouts: <c>state</c> holds s0 of every lane, then s1, s2, s3 (<c>state[w·Lanes.Count + lane]</c>);
/// <c>pending</c> the current permutation's words (<c>pending[b·Lanes.Count + lane]</c>), kept across blocks because a
/// prompt group may continue into the next block; the output <c>blockWords[(b·block + p)·Lanes.Count + lane]</c>.</para>
/// <para>The lanes run <see cref="Vector{T}.Count"/> at a time and compute xoshiro256** lane by lane with shifts, adds and
/// xors (x·5 = x + 4x, x·9 = x + 8x), so every lane gives the scalar generator's bits. When some lanes reject a word,
/// every lane computes a next word but only the rejecting lanes keep it and advance their state, so each lane's
/// stream is consumed exactly as in the scalar loop.</para>
/// </remarks>
internal static class LaneWords
{
    /// <summary>
    /// Draws, for the prompts (or groups) of a block, every lane's words (<paramref name="products"/> and <paramref name="thresholds"/>:
    /// <see cref="SwapTargetPlan.Products"/> and <see cref="SwapTargetPlan.Thresholds"/>).
    /// </summary>
    public static void Draw(Span<ulong> state, Span<ulong> pending, ReadOnlySpan<bool> starts, int block,
        ReadOnlySpan<ulong> products, ReadOnlySpan<ulong> thresholds, Span<ulong> blockWords)
    {
        int lanes = Lanes.Count;
        int width = Vector<ulong>.Count, words = products.Length;
        for (int first = 0; first < lanes; first += width)
        {
            Vector<ulong> s0 = new(state[first..]), s1 = new(state[(lanes + first)..]);
            Vector<ulong> s2 = new(state[((2 * lanes) + first)..]), s3 = new(state[((3 * lanes) + first)..]);
            for (int p = 0; p < starts.Length; p++)
            {
                for (int b = 0; starts[p] && b < words; b++)
                {
                    Vector<ulong> product = new(products[b]), threshold = new(thresholds[b]);
                    Vector<ulong> word = Next(ref s0, ref s1, ref s2, ref s3);
                    Vector<ulong> reject = Vector.LessThan(word * product, threshold);
                    while (reject != Vector<ulong>.Zero)
                    {
                        Vector<ulong> t0 = s0, t1 = s1, t2 = s2, t3 = s3;
                        Vector<ulong> again = Next(ref t0, ref t1, ref t2, ref t3);
                        s0 = Vector.ConditionalSelect(reject, t0, s0);
                        s1 = Vector.ConditionalSelect(reject, t1, s1);
                        s2 = Vector.ConditionalSelect(reject, t2, s2);
                        s3 = Vector.ConditionalSelect(reject, t3, s3);
                        word = Vector.ConditionalSelect(reject, again, word);
                        reject &= Vector.LessThan(again * product, threshold);
                    }

                    word.CopyTo(pending[((b * lanes) + first)..]);
                }

                for (int b = 0; b < words; b++)
                {
                    pending.Slice((b * lanes) + first, width).CopyTo(blockWords[((((b * block) + p) * lanes) + first)..]);
                }
            }

            s0.CopyTo(state[first..]);
            s1.CopyTo(state[(lanes + first)..]);
            s2.CopyTo(state[((2 * lanes) + first)..]);
            s3.CopyTo(state[((3 * lanes) + first)..]);
        }
    }

    // xoshiro256** 1.0, lane by lane: result = rotl(s1·5, 7)·9, then the state update.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<ulong> Next(ref Vector<ulong> s0, ref Vector<ulong> s1, ref Vector<ulong> s2, ref Vector<ulong> s3)
    {
        Vector<ulong> x = s1 + (s1 << 2);
        x = (x << 7) | (x >>> 57);
        Vector<ulong> result = x + (x << 3);
        Vector<ulong> t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = (s3 << 45) | (s3 >>> 19);
        return result;
    }
}
