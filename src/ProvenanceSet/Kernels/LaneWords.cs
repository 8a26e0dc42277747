using System.Numerics;
using System.Runtime.CompilerServices;
using ProvenanceSet.Randomness;

namespace ProvenanceSet.Kernels;

/// <summary>
/// The lanes' generators side by side: every lane (round) is its own xoshiro256** stream and draws exactly what
/// <see cref="ShufflePlan.DrawSwapTargets"/> would draw from it — at every prompt (or group) that starts a permutation,
/// one accepted word per word of the plan, a rejected word redrawn at once. The lanes run <see cref="Width"/> at a time:
/// <see cref="Vector{T}.Count"/> where vectors are accelerated, else one at a time with the scalar generator (both give
/// every lane the scalar generator's bits). A pass's generators are laid out in chunks of Width lanes, each chunk as its
/// streams struct: s0 of its lanes, then s1, s2, s3. Layouts of the words: <see cref="KernelScratch"/>; the words of the
/// block's last prompt are kept in <c>pending</c> for the next block, into which a prompt group may continue.
/// </summary>
internal static class LaneWords
{
    /// <summary>Lanes whose generators run side by side.</summary>
    public static int Width => Vector.IsHardwareAccelerated ? VectorStreams.Width : ScalarStream.Width;

    /// <summary>Every lane's generator at the start of its round: round pass·Lanes.Count + r of <paramref name="rounds"/> in lane r.</summary>
    public static void Start(Span<ulong> state, RoundStream rounds, int passes)
    {
        int lanes = Lanes.Count, width = Width;
        for (int round = 0; round < passes * lanes; round++)
        {
            int lane = round % lanes, at = (round / lanes * 4 * lanes) + (lane / width * 4 * width) + (lane % width);
            rounds.Round(round).GetState(out state[at], out state[at + width], out state[at + (2 * width)], out state[at + (3 * width)]);
        }
    }

    /// <summary>Every lane's words for the prompts (or groups) of a block (one pass's generators in <paramref name="state"/>).</summary>
    public static void Draw(Span<ulong> state, Span<ulong> pending, ReadOnlySpan<bool> starts, int block,
        ReadOnlySpan<ulong> products, ReadOnlySpan<ulong> thresholds, Span<ulong> blockWords)
    {
        if (Vector.IsHardwareAccelerated)
        {
            Draw<VectorStreams>(state, pending, starts, block, products, thresholds, blockWords);
        }
        else
        {
            Draw<ScalarStream>(state, pending, starts, block, products, thresholds, blockWords);
        }
    }

    /// <summary>The same with a given generator width (tests run both).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from its first calls: no time in unoptimised code
    internal static void Draw<TStreams>(Span<ulong> state, Span<ulong> pending, ReadOnlySpan<bool> starts, int block,
        ReadOnlySpan<ulong> products, ReadOnlySpan<ulong> thresholds, Span<ulong> blockWords)
        where TStreams : struct, ILaneStreams<TStreams>
    {
        int lanes = Lanes.Count, width = TStreams.Width, words = products.Length;
        for (int first = 0; first < lanes; first += width)
        {
            ref TStreams chunk = ref Unsafe.As<ulong, TStreams>(ref state[4 * first]);
            TStreams streams = chunk;
            for (int p = 0; p < starts.Length; p++)
            {
                for (int b = 0; b < words; b++)
                {
                    // A prompt that does not start a group keeps the words of the one before it (or of the previous block).
                    Span<ulong> word = blockWords.Slice((((b * block) + p) * lanes) + first, width);
                    if (starts[p])
                    {
                        streams.Draw(products[b], thresholds[b], word);
                    }
                    else
                    {
                        (p == 0 ? pending.Slice((b * lanes) + first, width) : blockWords.Slice((((b * block) + p - 1) * lanes) + first, width)).CopyTo(word);
                    }
                }
            }

            for (int b = 0; b < words; b++)
            {
                blockWords.Slice((((b * block) + starts.Length - 1) * lanes) + first, width).CopyTo(pending[((b * lanes) + first)..]);
            }

            chunk = streams;
        }
    }
}

/// <summary>The generators of <see cref="Width"/> lanes side by side.</summary>
internal interface ILaneStreams<TSelf>
    where TSelf : struct, ILaneStreams<TSelf>
{
    static abstract int Width { get; }

    /// <summary>Each lane's next accepted word w for a word of product P: w is redrawn while w·P mod 2⁶⁴ &lt; <paramref name="threshold"/>.</summary>
    void Draw(ulong product, ulong threshold, Span<ulong> words);
}

/// <summary>One lane with the scalar generator: where vectors are not accelerated.</summary>
internal struct ScalarStream : ILaneStreams<ScalarStream>
{
    private Xoshiro256StarStar _rng;

    public static int Width => 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Draw(ulong product, ulong threshold, Span<ulong> words)
    {
        ulong word;
        do
        {
            word = _rng.NextUInt64();
        }
        while (word * product < threshold);

        words[0] = word;
    }
}

/// <summary>
/// <see cref="Vector{T}.Count"/> lanes in vectors: xoshiro256** lane by lane with shifts, adds and xors (x·5 = x + 4x,
/// x·9 = x + 8x). When some lanes reject a word, every lane computes a next word but only the rejecting lanes keep it
/// and advance their state, so each lane's stream is consumed exactly as in the scalar loop.
/// </summary>
internal struct VectorStreams : ILaneStreams<VectorStreams>
{
    private Vector<ulong> _s0, _s1, _s2, _s3;

    public static int Width => Vector<ulong>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Draw(ulong product, ulong threshold, Span<ulong> words)
    {
        Vector<ulong> p = new(product), t = new(threshold);
        Vector<ulong> word = Next(ref this);
        Vector<ulong> reject = Vector.LessThan(word * p, t);
        while (reject != Vector<ulong>.Zero)
        {
            VectorStreams again = this;
            Vector<ulong> redrawn = Next(ref again);
            _s0 = Vector.ConditionalSelect(reject, again._s0, _s0);
            _s1 = Vector.ConditionalSelect(reject, again._s1, _s1);
            _s2 = Vector.ConditionalSelect(reject, again._s2, _s2);
            _s3 = Vector.ConditionalSelect(reject, again._s3, _s3);
            word = Vector.ConditionalSelect(reject, redrawn, word);
            reject &= Vector.LessThan(redrawn * p, t);
        }

        word.CopyTo(words);
    }

    // xoshiro256** 1.0, lane by lane: result = rotl(s1·5, 7)·9, then the state update.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<ulong> Next(ref VectorStreams s)
    {
        Vector<ulong> x = s._s1 + (s._s1 << 2);
        x = (x << 7) | (x >>> 57);
        Vector<ulong> result = x + (x << 3);
        Vector<ulong> t = s._s1 << 17;
        s._s2 ^= s._s0;
        s._s3 ^= s._s1;
        s._s1 ^= s._s2;
        s._s0 ^= s._s3;
        s._s2 ^= t;
        s._s3 = (s._s3 << 45) | (s._s3 >>> 19);
        return result;
    }
}
