namespace ProvenanceSet.Randomness;

/// <summary>
/// SplitMix64 (Steele, Lea, Flood 2014): the generator recommended for seeding xoshiro. Also used
/// as a 64-bit mixing function to derive independent stream seeds from (seed, step, round).
/// </summary>
internal struct SplitMix64
{
    private const ulong Gamma = 0x9E3779B97F4A7C15UL;
    private ulong _state;

    public SplitMix64(ulong seed) => _state = seed;

    public ulong Next()
    {
        _state += Gamma;
        return Mix(_state);
    }

    /// <summary>The SplitMix64 output function (a bijection of the 64-bit integers).</summary>
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
