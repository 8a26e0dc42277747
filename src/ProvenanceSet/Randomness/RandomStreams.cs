namespace ProvenanceSet.Randomness;

/// <summary>
/// Derives one independent generator per (seed, step, round). A permutation round's randomness
/// therefore does not depend on which thread runs it or in which order, which is what makes every
/// result bit-identical for any degree of parallelism.
/// </summary>
internal static class RandomStreams
{
    // Distinct odd constants keep (step, round) and (round, step) apart before mixing.
    private const ulong StepSalt = 0xD1B54A32D192ED03UL;
    private const ulong RoundSalt = 0x8CB92BA72F3D8DD7UL;

    /// <summary>The seed of the stream that drives round <paramref name="round"/> of step <paramref name="step"/>.</summary>
    public static ulong StreamSeed(ulong seed, int step, long round)
    {
        ulong h = SplitMix64.Mix(seed ^ SplitMix64.Mix(((ulong)(uint)step + 1) * StepSalt));
        return SplitMix64.Mix(h ^ SplitMix64.Mix(((ulong)round + 1) * RoundSalt));
    }

    /// <summary>The generator for one permutation round of one step.</summary>
    public static Xoshiro256StarStar ForRound(ulong seed, int step, long round) =>
        new(StreamSeed(seed, step, round));
}

/// <summary>
/// The rounds a kernel runs: round <see cref="FirstRound"/> + i of step <see cref="Step"/> of the sequential
/// procedure draws from the stream <see cref="RandomStreams.ForRound"/>(<see cref="Seed"/>, Step, FirstRound + i).
/// </summary>
internal readonly record struct RoundStream(ulong Seed, int Step, long FirstRound)
{
    /// <summary>The generator of round FirstRound + <paramref name="offset"/>.</summary>
    public Xoshiro256StarStar Round(long offset) => RandomStreams.ForRound(Seed, Step, FirstRound + offset);

    /// <summary>The rounds from FirstRound + <paramref name="offset"/> on.</summary>
    public RoundStream From(long offset) => this with { FirstRound = FirstRound + offset };
}
