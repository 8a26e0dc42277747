using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using ProvenanceSet.Randomness;

namespace ProvenanceSet.Kernels;

/// <summary>
/// The lanes' generators side by side: every lane (round) is its own xoshiro256** stream, and each
/// lane draws exactly what <see cref="ShufflePlan.DrawSwapTargets"/> would draw from it — for every
/// prompt that starts a group, one accepted word per batch, a rejected word redrawn at once.
/// </summary>
/// <remarks>
/// <para>Layouts: <c>state</c> holds s0 of every lane, then s1, s2, s3 (<c>state[w·lanes + lane]</c>);
/// <c>pending</c> the current group's words (<c>pending[b·lanes + lane]</c>), kept across blocks because a
/// group may continue into the next block; the output <c>blockWords[(b·block + p)·lanes + lane]</c>.</para>
/// <para>The vector paths compute xoshiro256** lane by lane with shifts, adds and xors (x·5 = x + 4x,
/// x·9 = x + 8x), so every lane gives the scalar generator's bits. When some lanes reject a word, every lane
/// computes a next word but only the rejecting lanes keep it and advance their state, so each lane's
/// stream is consumed exactly as in the scalar loop.</para>
/// </remarks>
internal static class LaneWords
{
    /// <summary>One lane at a time with the scalar generator.</summary>
    public static void Scalar(Span<ulong> state, Span<ulong> pending, ReadOnlySpan<bool> starts, int prompts, int block,
        ReadOnlySpan<ulong> products, ReadOnlySpan<ulong> thresholds, Span<ulong> blockWords, int lanes)
    {
        int words = products.Length;
        for (int lane = 0; lane < lanes; lane++)
        {
            var rng = new Xoshiro256StarStar(state[lane], state[lanes + lane], state[(2 * lanes) + lane], state[(3 * lanes) + lane]);
            for (int p = 0; p < prompts; p++)
            {
                if (starts[p])
                {
                    for (int b = 0; b < words; b++)
                    {
                        ulong word;
                        do
                        {
                            word = rng.NextUInt64();
                        }
                        while (word * products[b] < thresholds[b]);

                        pending[(b * lanes) + lane] = word;
                    }
                }

                for (int b = 0; b < words; b++)
                {
                    blockWords[(((b * block) + p) * lanes) + lane] = pending[(b * lanes) + lane];
                }
            }

            rng.GetState(out state[lane], out state[lanes + lane], out state[(2 * lanes) + lane], out state[(3 * lanes) + lane]);
        }
    }

    /// <summary>Two lanes (from <paramref name="firstLane"/>) in one <see cref="Vector128{T}"/>.</summary>
    public static void Vector128(Span<ulong> state, Span<ulong> pending, ReadOnlySpan<bool> starts, int prompts, int block,
        ReadOnlySpan<ulong> products, ReadOnlySpan<ulong> thresholds, Span<ulong> blockWords, int lanes, int firstLane)
    {
        int words = products.Length;
        var s0 = System.Runtime.Intrinsics.Vector128.Create<ulong>(state[firstLane..]);
        var s1 = System.Runtime.Intrinsics.Vector128.Create<ulong>(state[(lanes + firstLane)..]);
        var s2 = System.Runtime.Intrinsics.Vector128.Create<ulong>(state[((2 * lanes) + firstLane)..]);
        var s3 = System.Runtime.Intrinsics.Vector128.Create<ulong>(state[((3 * lanes) + firstLane)..]);
        for (int p = 0; p < prompts; p++)
        {
            if (starts[p])
            {
                for (int b = 0; b < words; b++)
                {
                    Vector128<ulong> product = System.Runtime.Intrinsics.Vector128.Create(products[b]), threshold = System.Runtime.Intrinsics.Vector128.Create(thresholds[b]);
                    Vector128<ulong> word = Next(ref s0, ref s1, ref s2, ref s3);
                    Vector128<ulong> reject = System.Runtime.Intrinsics.Vector128.LessThan(word * product, threshold);
                    while (reject != Vector128<ulong>.Zero)
                    {
                        Vector128<ulong> t0 = s0, t1 = s1, t2 = s2, t3 = s3;
                        Vector128<ulong> again = Next(ref t0, ref t1, ref t2, ref t3);
                        s0 = System.Runtime.Intrinsics.Vector128.ConditionalSelect(reject, t0, s0);
                        s1 = System.Runtime.Intrinsics.Vector128.ConditionalSelect(reject, t1, s1);
                        s2 = System.Runtime.Intrinsics.Vector128.ConditionalSelect(reject, t2, s2);
                        s3 = System.Runtime.Intrinsics.Vector128.ConditionalSelect(reject, t3, s3);
                        word = System.Runtime.Intrinsics.Vector128.ConditionalSelect(reject, again, word);
                        reject &= System.Runtime.Intrinsics.Vector128.LessThan(again * product, threshold);
                    }

                    word.CopyTo(pending[((b * lanes) + firstLane)..]);
                }
            }

            for (int b = 0; b < words; b++)
            {
                pending.Slice((b * lanes) + firstLane, 2).CopyTo(blockWords[((((b * block) + p) * lanes) + firstLane)..]);
            }
        }

        s0.CopyTo(state[firstLane..]);
        s1.CopyTo(state[(lanes + firstLane)..]);
        s2.CopyTo(state[((2 * lanes) + firstLane)..]);
        s3.CopyTo(state[((3 * lanes) + firstLane)..]);
    }

    /// <summary>Four lanes in one <see cref="Vector256{T}"/>.</summary>
    public static void Vector256(Span<ulong> state, Span<ulong> pending, ReadOnlySpan<bool> starts, int prompts, int block,
        ReadOnlySpan<ulong> products, ReadOnlySpan<ulong> thresholds, Span<ulong> blockWords)
    {
        const int Lanes = 4;
        int words = products.Length;
        var s0 = System.Runtime.Intrinsics.Vector256.Create<ulong>(state);
        var s1 = System.Runtime.Intrinsics.Vector256.Create<ulong>(state[Lanes..]);
        var s2 = System.Runtime.Intrinsics.Vector256.Create<ulong>(state[(2 * Lanes)..]);
        var s3 = System.Runtime.Intrinsics.Vector256.Create<ulong>(state[(3 * Lanes)..]);
        for (int p = 0; p < prompts; p++)
        {
            if (starts[p])
            {
                for (int b = 0; b < words; b++)
                {
                    Vector256<ulong> product = System.Runtime.Intrinsics.Vector256.Create(products[b]), threshold = System.Runtime.Intrinsics.Vector256.Create(thresholds[b]);
                    Vector256<ulong> word = Next(ref s0, ref s1, ref s2, ref s3);
                    Vector256<ulong> reject = System.Runtime.Intrinsics.Vector256.LessThan(word * product, threshold);
                    while (reject != Vector256<ulong>.Zero)
                    {
                        Vector256<ulong> t0 = s0, t1 = s1, t2 = s2, t3 = s3;
                        Vector256<ulong> again = Next(ref t0, ref t1, ref t2, ref t3);
                        s0 = System.Runtime.Intrinsics.Vector256.ConditionalSelect(reject, t0, s0);
                        s1 = System.Runtime.Intrinsics.Vector256.ConditionalSelect(reject, t1, s1);
                        s2 = System.Runtime.Intrinsics.Vector256.ConditionalSelect(reject, t2, s2);
                        s3 = System.Runtime.Intrinsics.Vector256.ConditionalSelect(reject, t3, s3);
                        word = System.Runtime.Intrinsics.Vector256.ConditionalSelect(reject, again, word);
                        reject &= System.Runtime.Intrinsics.Vector256.LessThan(again * product, threshold);
                    }

                    word.CopyTo(pending[(b * Lanes)..]);
                }
            }

            for (int b = 0; b < words; b++)
            {
                pending.Slice(b * Lanes, Lanes).CopyTo(blockWords[(((b * block) + p) * Lanes)..]);
            }
        }

        s0.CopyTo(state);
        s1.CopyTo(state[Lanes..]);
        s2.CopyTo(state[(2 * Lanes)..]);
        s3.CopyTo(state[(3 * Lanes)..]);
    }

    /// <summary>Eight lanes in one <see cref="Vector512{T}"/>.</summary>
    public static void Vector512(Span<ulong> state, Span<ulong> pending, ReadOnlySpan<bool> starts, int prompts, int block,
        ReadOnlySpan<ulong> products, ReadOnlySpan<ulong> thresholds, Span<ulong> blockWords)
    {
        const int Lanes = 8;
        int words = products.Length;
        var s0 = System.Runtime.Intrinsics.Vector512.Create<ulong>(state);
        var s1 = System.Runtime.Intrinsics.Vector512.Create<ulong>(state[Lanes..]);
        var s2 = System.Runtime.Intrinsics.Vector512.Create<ulong>(state[(2 * Lanes)..]);
        var s3 = System.Runtime.Intrinsics.Vector512.Create<ulong>(state[(3 * Lanes)..]);
        for (int p = 0; p < prompts; p++)
        {
            if (starts[p])
            {
                for (int b = 0; b < words; b++)
                {
                    Vector512<ulong> product = System.Runtime.Intrinsics.Vector512.Create(products[b]), threshold = System.Runtime.Intrinsics.Vector512.Create(thresholds[b]);
                    Vector512<ulong> word = Next(ref s0, ref s1, ref s2, ref s3);
                    Vector512<ulong> reject = System.Runtime.Intrinsics.Vector512.LessThan(word * product, threshold);
                    while (reject != Vector512<ulong>.Zero)
                    {
                        Vector512<ulong> t0 = s0, t1 = s1, t2 = s2, t3 = s3;
                        Vector512<ulong> again = Next(ref t0, ref t1, ref t2, ref t3);
                        s0 = System.Runtime.Intrinsics.Vector512.ConditionalSelect(reject, t0, s0);
                        s1 = System.Runtime.Intrinsics.Vector512.ConditionalSelect(reject, t1, s1);
                        s2 = System.Runtime.Intrinsics.Vector512.ConditionalSelect(reject, t2, s2);
                        s3 = System.Runtime.Intrinsics.Vector512.ConditionalSelect(reject, t3, s3);
                        word = System.Runtime.Intrinsics.Vector512.ConditionalSelect(reject, again, word);
                        reject &= System.Runtime.Intrinsics.Vector512.LessThan(again * product, threshold);
                    }

                    word.CopyTo(pending[(b * Lanes)..]);
                }
            }

            for (int b = 0; b < words; b++)
            {
                pending.Slice(b * Lanes, Lanes).CopyTo(blockWords[(((b * block) + p) * Lanes)..]);
            }
        }

        s0.CopyTo(state);
        s1.CopyTo(state[Lanes..]);
        s2.CopyTo(state[(2 * Lanes)..]);
        s3.CopyTo(state[(3 * Lanes)..]);
    }

    // xoshiro256** 1.0, lane by lane: result = rotl(s1·5, 7)·9, then the state update.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ulong> Next(ref Vector128<ulong> s0, ref Vector128<ulong> s1, ref Vector128<ulong> s2, ref Vector128<ulong> s3)
    {
        Vector128<ulong> x = s1 + (s1 << 2);
        x = (x << 7) | (x >>> 57);
        Vector128<ulong> result = x + (x << 3);
        Vector128<ulong> t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = (s3 << 45) | (s3 >>> 19);
        return result;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> Next(ref Vector256<ulong> s0, ref Vector256<ulong> s1, ref Vector256<ulong> s2, ref Vector256<ulong> s3)
    {
        Vector256<ulong> x = s1 + (s1 << 2);
        x = (x << 7) | (x >>> 57);
        Vector256<ulong> result = x + (x << 3);
        Vector256<ulong> t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = (s3 << 45) | (s3 >>> 19);
        return result;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> Next(ref Vector512<ulong> s0, ref Vector512<ulong> s1, ref Vector512<ulong> s2, ref Vector512<ulong> s3)
    {
        Vector512<ulong> x = s1 + (s1 << 2);
        x = (x << 7) | (x >>> 57);
        Vector512<ulong> result = x + (x << 3);
        Vector512<ulong> t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = (s3 << 45) | (s3 >>> 19);
        return result;
    }
}
