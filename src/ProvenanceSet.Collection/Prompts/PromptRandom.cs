namespace ProvenanceSet.Collection.Prompts;

/// <summary>
/// A SplitMix64 stream (Steele, Lea, Flood 2014) for one prompt, seeded from (seed, prompt index),
/// with unbiased bounded draws (Lemire's multiply-shift with rejection). Pinned by golden tests:
/// changing it changes every generated prompt set.
/// </summary>
internal struct PromptRandom
{
    private const ulong Gamma = 0x9E3779B97F4A7C15UL;
    private ulong _state;

    public PromptRandom(ulong seed, ulong stream) => _state = Mix(Mix(seed) ^ (stream * 0xD1B54A32D192ED03UL)) ^ 0x5851F42D4C957F2DUL;

    public ulong NextUInt64()
    {
        _state += Gamma;
        return Mix(_state);
    }

    /// <summary>A uniform integer in [0, bound).</summary>
    public int Next(int bound)
    {
        ulong b = (ulong)bound;
        ulong hi = Math.BigMul(NextUInt64(), b, out ulong lo);
        if (lo < b)
        {
            ulong threshold = (0 - b) % b;
            while (lo < threshold)
            {
                hi = Math.BigMul(NextUInt64(), b, out lo);
            }
        }

        return (int)hi;
    }

    /// <summary>A uniform double in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
