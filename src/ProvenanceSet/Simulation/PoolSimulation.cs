using System.Globalization;
using MathNet.Numerics.Distributions;
using ProvenanceSet.Data;
using ProvenanceSet.Randomness;

namespace ProvenanceSet.Simulation;

/// <summary>
/// A simulated candidate pool with known sources, for demos, tests and evaluations. Distances
/// follow a Gaussian model: L[i, t] = Base + offset_i + b_t + ε_{i,t}, where sources have
/// offset −Gap, unrelated candidates have offset ~ N(0, BackgroundSpread²) (0: a homogeneous
/// background), b_t ~ N(0, PromptEffect²) is shared by every candidate on prompt t, and
/// ε ~ N(0, Noise²). Change a copy with <c>with</c>.
/// </summary>
public sealed record PoolSimulation
{
    /// <summary>Pool size M. Default 50.</summary>
    public int Candidates { get; init; } = 50;

    /// <summary>How many candidates are true sources. Default 2.</summary>
    public int Sources { get; init; } = 2;

    /// <summary>Prompts N. Default 2000.</summary>
    public int Prompts { get; init; } = 2000;

    /// <summary>How much closer sources are on average. Default 0.08.</summary>
    public double Gap { get; init; } = 0.08;

    /// <summary>Mean distance of an unrelated candidate. Default 0.6.</summary>
    public double Base { get; init; } = 0.6;

    /// <summary>Per-cell noise standard deviation. Default 0.12.</summary>
    public double Noise { get; init; } = 0.12;

    /// <summary>Standard deviation of the per-prompt effect shared by all candidates. Default 0.08.</summary>
    public double PromptEffect { get; init; } = 0.08;

    /// <summary>Standard deviation of unrelated candidates' mean offsets (background heterogeneity). Default 0.</summary>
    public double BackgroundSpread { get; init; }

    /// <summary>Seed of the simulation (independent of the procedure's seed). Default 0.</summary>
    public ulong Seed { get; init; }

    /// <summary>Draws the pool. Candidates are named <c>model-01..</c>; sources sit at random positions.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than 2 candidates or prompts, sources outside [0, M], or negative spreads.</exception>
    public SimulatedPool Generate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Candidates, 2, nameof(Candidates));
        ArgumentOutOfRangeException.ThrowIfLessThan(Prompts, 2, nameof(Prompts));
        ArgumentOutOfRangeException.ThrowIfNegative(Sources, nameof(Sources));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Sources, Candidates, nameof(Sources));
        ArgumentOutOfRangeException.ThrowIfNegative(Noise, nameof(Noise));
        ArgumentOutOfRangeException.ThrowIfNegative(PromptEffect, nameof(PromptEffect));
        ArgumentOutOfRangeException.ThrowIfNegative(BackgroundSpread, nameof(BackgroundSpread));

        var rng = new StreamRandom(Seed);
        int m = Candidates, n = Prompts;
        int width = Math.Max(2, m.ToString(CultureInfo.InvariantCulture).Length);
        string[] names = [.. Enumerable.Range(1, m).Select(i => "model-" + i.ToString(CultureInfo.InvariantCulture).PadLeft(width, '0'))];

        // Sources at random positions: a partial Fisher–Yates over the indices.
        int[] positions = [.. Enumerable.Range(0, m)];
        for (int k = 0; k < Sources; k++)
        {
            int j = k + (int)rng.NextBounded((ulong)(m - k));
            (positions[k], positions[j]) = (positions[j], positions[k]);
        }

        var isSource = new bool[m];
        foreach (int i in positions.AsSpan(0, Sources))
        {
            isSource[i] = true;
        }

        var offsets = new double[m];
        for (int i = 0; i < m; i++)
        {
            offsets[i] = isSource[i] ? -Gap : BackgroundSpread * Normal.Sample(rng, 0, 1);
        }

        var values = new double[m, n];
        for (int t = 0; t < n; t++)
        {
            double shared = Base + (PromptEffect * Normal.Sample(rng, 0, 1));
            for (int i = 0; i < m; i++)
            {
                values[i, t] = shared + offsets[i] + (Noise * Normal.Sample(rng, 0, 1));
            }
        }

        int[] sources = [.. positions.AsSpan(0, Sources).ToArray().Order()];
        return new SimulatedPool(new DistanceMatrix(values, names) { TargetName = "target" }, [.. sources.Select(i => names[i])], sources);
    }
}

/// <summary>A simulated pool: its distance matrix and the true sources.</summary>
/// <param name="Matrix">The distances (target name "target").</param>
/// <param name="Sources">Names of the true sources, in row order.</param>
/// <param name="SourceIndices">Row indices of the true sources, ascending.</param>
public sealed record SimulatedPool(DistanceMatrix Matrix, IReadOnlyList<string> Sources, IReadOnlyList<int> SourceIndices);
