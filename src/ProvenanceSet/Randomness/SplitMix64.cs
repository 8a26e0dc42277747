namespace ProvenanceSet.Randomness;

/// <summary>
/// SplitMix64 (Steele, Lea, Flood 2014): the generator recommended for seeding xoshiro. Also used
/// as a 64-bit mixing function to derive independent stream seeds from (seed, step, round).
/// </summary>
/// <remarks>
/// Its outputs are pinned by golden vectors in the tests and never change: reproducible results
/// (permutations, generated prompts) are built on them. A value type with no locking: each
/// thread uses its own instance.
/// </remarks>
public struct SplitMix64
{
    private const ulong Gamma = 0x9E3779B97F4A7C15UL;
    private ulong _state;

    /// <summary>Starts the sequence at <paramref name="seed"/> (any value, zero included).</summary>
    /// <param name="seed">The initial state.</param>
    public SplitMix64(ulong seed) => _state = seed;

    /// <summary>Advances the state by the golden-ratio increment and returns its mix.</summary>
    /// <returns>The next 64 random bits.</returns>
    public ulong Next()
    {
        _state += Gamma;
        return Mix(_state);
    }

    /// <summary>The SplitMix64 output function (a bijection of the 64-bit integers).</summary>
    /// <param name="z">The value to mix.</param>
    /// <returns>The mixed value.</returns>
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
