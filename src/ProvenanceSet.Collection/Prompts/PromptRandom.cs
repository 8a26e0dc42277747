using ProvenanceSet.Randomness;

namespace ProvenanceSet.Collection.Prompts;

/// <summary>
/// The core library's <see cref="SplitMix64"/> stream for one prompt, seeded from (seed, prompt index),
/// with unbiased bounded draws (Lemire's multiply-shift with rejection). Pinned by golden tests:
/// changing it changes every generated prompt set.
/// </summary>
internal struct PromptRandom
{
    private SplitMix64 _stream;

    public PromptRandom(ulong seed, ulong stream) =>
        _stream = new SplitMix64(SplitMix64.Mix(SplitMix64.Mix(seed) ^ (stream * 0xD1B54A32D192ED03UL)) ^ 0x5851F42D4C957F2DUL);

    public ulong NextUInt64() => _stream.Next();

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
}
