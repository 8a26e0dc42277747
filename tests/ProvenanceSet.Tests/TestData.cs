using ProvenanceSet.Data;
using ProvenanceSet.Randomness;

namespace ProvenanceSet.Tests;

/// <summary>Seeded test inputs built on the library's own generator.</summary>
internal static class TestData
{
    /// <summary>A Gaussian matrix: row i has mean <paramref name="means"/>[i], unit noise, plus a shared per-prompt effect.</summary>
    public static double[,] Gaussian(ulong seed, int m, int n, Func<int, double>? means = null, double promptEffect = 0.5, double noise = 1)
    {
        var rng = new Xoshiro256StarStar(seed);
        var values = new double[m, n];
        for (int t = 0; t < n; t++)
        {
            double b = promptEffect * Normal(ref rng);
            for (int i = 0; i < m; i++)
            {
                values[i, t] = (means?.Invoke(i) ?? 0) + b + (noise * Normal(ref rng));
            }
        }

        return values;
    }

    public static DistanceMatrix Matrix(ulong seed, int m, int n, Func<int, double>? means = null, double promptEffect = 0.5, double noise = 1) =>
        new(Gaussian(seed, m, n, means, promptEffect, noise));

    /// <summary>Standard normal by Box–Muller.</summary>
    public static double Normal(ref Xoshiro256StarStar rng)
    {
        double u1 = 1.0 - rng.NextDouble();
        double u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    public static ulong Hash(string text)
    {
        // FNV-1a: a seed per test description, so tests do not share random streams.
        ulong h = 14695981039346656037UL;
        foreach (char c in text)
        {
            h = (h ^ c) * 1099511628211UL;
        }

        return h;
    }
}
