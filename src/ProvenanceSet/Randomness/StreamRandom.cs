namespace ProvenanceSet.Randomness;

/// <summary>
/// Presents a <see cref="Xoshiro256StarStar"/> stream as a <see cref="System.Random"/>, so that
/// MathNet.Numerics distributions sample from the library's own, reproducible generator.
/// </summary>
internal sealed class StreamRandom : Random
{
    private Xoshiro256StarStar _rng;

    public StreamRandom(ulong seed) => _rng = new Xoshiro256StarStar(seed);

    protected override double Sample() => _rng.NextDouble();

    public override double NextDouble() => _rng.NextDouble();

    public override int Next() => (int)_rng.NextBounded(int.MaxValue);

    public override int Next(int maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxValue);
        return maxValue == 0 ? 0 : (int)_rng.NextBounded((ulong)maxValue);
    }

    public override int Next(int minValue, int maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minValue, maxValue);
        return minValue == maxValue ? minValue : minValue + (int)_rng.NextBounded((ulong)((long)maxValue - minValue));
    }

    public override long NextInt64() => (long)_rng.NextBounded(long.MaxValue);

    public override void NextBytes(Span<byte> buffer)
    {
        while (buffer.Length >= 8)
        {
            BitConverter.TryWriteBytes(buffer, _rng.NextUInt64());
            buffer = buffer[8..];
        }

        if (buffer.Length > 0)
        {
            Span<byte> last = stackalloc byte[8];
            BitConverter.TryWriteBytes(last, _rng.NextUInt64());
            last[..buffer.Length].CopyTo(buffer);
        }
    }

    public override void NextBytes(byte[] buffer) => NextBytes(buffer.AsSpan());

    /// <summary>A uniform integer in [0, bound) from the same stream.</summary>
    public ulong NextBounded(ulong bound) => _rng.NextBounded(bound);
}
