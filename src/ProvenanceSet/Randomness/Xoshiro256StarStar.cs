using System.Runtime.CompilerServices;

namespace ProvenanceSet.Randomness;

/// <summary>
/// xoshiro256** 1.0 (Blackman, Vigna 2018), seeded through SplitMix64. A value type so that each
/// worker keeps its state in registers; not thread-safe (each thread owns its own stream).
/// </summary>
/// <remarks>
/// The library never uses <see cref="System.Random"/> with a seed: its seeded algorithm is a legacy
/// one kept for compatibility. This generator is pinned by golden vectors in the tests.
/// </remarks>
internal struct Xoshiro256StarStar
{
    private ulong _s0, _s1, _s2, _s3;

    /// <summary>Seeds the state with four consecutive SplitMix64 outputs, as the authors recommend.</summary>
    public Xoshiro256StarStar(ulong seed)
    {
        var sm = new SplitMix64(seed);
        _s0 = sm.Next();
        _s1 = sm.Next();
        _s2 = sm.Next();
        _s3 = sm.Next();
    }

    /// <summary>Sets the raw state (for golden-vector tests against the reference implementation).</summary>
    internal Xoshiro256StarStar(ulong s0, ulong s1, ulong s2, ulong s3)
    {
        _s0 = s0;
        _s1 = s1;
        _s2 = s2;
        _s3 = s3;
    }

    /// <summary>The raw state (the fast kernels advance several streams side by side in vectors).</summary>
    internal readonly void GetState(out ulong s0, out ulong s1, out ulong s2, out ulong s3)
    {
        s0 = _s0;
        s1 = _s1;
        s2 = _s2;
        s3 = _s3;
    }

    /// <summary>The next 64 random bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong NextUInt64()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A uniform double in [0, 1) with 53 random bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>
    /// A uniform integer in [0, bound) without bias (Lemire 2019, multiply-shift with rejection).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong NextBounded(ulong bound)
    {
        ulong hi = Math.BigMul(NextUInt64(), bound, out ulong lo);
        if (lo < bound)
        {
            ulong threshold = (0 - bound) % bound;
            while (lo < threshold)
            {
                hi = Math.BigMul(NextUInt64(), bound, out lo);
            }
        }

        return hi;
    }
}
