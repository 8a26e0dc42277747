using System.Globalization;
using MathNet.Numerics.Distributions;
using ProvenanceSet.Data;
using ProvenanceSet.Simulation;

namespace ProvenanceSet.Evaluation.Battery;

/// <summary>
/// One distance-level design of the false-accusation battery: a way to draw a pool (distance matrix and
/// its true sources) that is built to break an assumption of some method.
/// </summary>
/// <param name="Family">The assumption it stresses (families, heavy tails, unequal noise, ...).</param>
/// <param name="Name">The design within the family, with its parameters.</param>
/// <param name="Sources">How many true sources each pool has (0: every inclusion is false).</param>
/// <param name="Claimed">Whether the default method claims its level on this design; when not, <paramref name="WhyNot"/> says why.</param>
/// <param name="Draw">Draws one pool from a generator.</param>
/// <param name="WhyNot">Why no method can hold its level here without giving up the power target.</param>
internal sealed record BatteryDesign(string Family, string Name, int Sources, bool Claimed, Func<Random, SimulatedPool> Draw, string? WhyNot = null)
{
    public string Label => $"{Family}: {Name}";
}

/// <summary>
/// The battery's designs. Unless a design says otherwise: L[i, t] = 0.6 + offset_i + b_t + ε[i, t], prompt
/// effects b ~ N(0, 0.05²), noise ε ~ N(0, 0.12²), m = 20 candidates, N = 200 prompts. Sources, when a design has
/// them, are the first rows.
/// </summary>
internal static class BatteryDesigns
{
    private const double Base = 0.6, PromptSd = 0.05, NoiseSd = 0.12, Spread = 0.05;
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public const string HeavyTailsWhy = "A heavy-tailed background puts its lowest unrelated candidate as far below the others as a real source sits: "
        + "on distances alone the two pools look alike (see the separability table), so a method that finds the power target's source half the time must accuse that often.";

    public const string CloserWhy = "Three unrelated candidates that are systematically closer to the target are, on distances alone, three sources at that gap: "
        + "the pools are drawn from exactly the same distribution as pools with three true sources, so any method includes them as often as it would find such sources.";

    /// <summary>Pools with no source: every inclusion is a false accusation.</summary>
    public static IReadOnlyList<BatteryDesign> Null(bool quick)
    {
        var designs = new List<BatteryDesign>
        {
            new("normal background", "i.i.d. normal offsets, sd 0.05", 0, true, r => Additive(r, Normal(r, 20, Spread), 200)),
        };

        // Families: F families of size s; family effects sd 0.05, own effects sd 0.05 / ratio.
        foreach (var (size, ratio, m) in quick
            ? new[] { (5, 20.0, 20), (2, 20.0, 20) }
            : [(5, 20.0, 20), (5, 10.0, 20), (5, 4.0, 20), (5, 1.0, 20), (2, 20.0, 20), (3, 20.0, 21), (4, 20.0, 20), (6, 20.0, 24)])
        {
            designs.Add(new("model families", string.Create(Inv, $"{m / size} x {size}, family/own effect ratio {ratio}"), 0, true,
                r => Additive(r, Families(r, m, size, Spread, Spread / ratio), 200)));
        }

        foreach (double ratio in quick ? new[] { 8.0 } : [2.0, 4.0, 8.0])
        {
            double low = 0.05, high = 0.05 * ratio;
            designs.Add(new("unequal noise", string.Create(Inv, $"equal expected distance, noise sd U({low}, {high:0.##})"), 0, true,
                r => Additive(r, new double[20], 200, [.. Enumerable.Range(0, 20).Select(_ => ContinuousUniform.Sample(r, low, high))])));
        }

        foreach (var (rate, n) in quick ? new[] { (0.01, 200) } : [(0.005, 1000), (0.01, 200), (0.01, 100), (0.03, 805), (0.05, 100)])
        {
            designs.Add(new("discrete distances", string.Create(Inv, $"L = 1 - Bernoulli({rate}), N = {n}"), 0, true, r => Matches(r, [.. Enumerable.Repeat(rate, 20)], n)));
        }

        foreach (int df in quick ? new[] { 3 } : [2, 3, 4, 5])
        {
            designs.Add(new("heavy tails", string.Create(Inv, $"offsets 0.05 t{df}"), 0, false,
                r => Additive(r, [.. Enumerable.Range(0, 20).Select(_ => Spread * StudentT.Sample(r, 0, 1, df))], 200), HeavyTailsWhy));
        }

        designs.Add(new("closer unrelated", "3 of 20 unrelated 0.06 closer, background sd 0.02", 0, false, r =>
        {
            double[] offsets = Normal(r, 20, 0.02);
            for (int i = 0; i < 3; i++)
            {
                offsets[i] -= 0.06;
            }

            return Additive(r, offsets, 200);
        }, CloserWhy));

        foreach (int m in quick ? new[] { 8 } : [8, 50, 100])
        {
            designs.Add(new("pool size", string.Create(Inv, $"m = {m}, i.i.d. normal offsets"), 0, true, r => Additive(r, Normal(r, m, Spread), 200)));
        }

        if (!quick)
        {
            designs.Add(new("pool size", "m = 100, families of 5 (ratio 20)", 0, true, r => Additive(r, Families(r, 100, 5, Spread, Spread / 20), 200)));
            designs.Add(new("pool size", "m = 8, families of 2 (ratio 20)", 0, true, r => Additive(r, Families(r, 8, 2, Spread, Spread / 20), 200)));
        }

        return designs;
    }

    /// <summary>Pools with sources: how often every source is in the set (power), and how often an unrelated candidate is.</summary>
    public static IReadOnlyList<BatteryDesign> WithSources(bool quick)
    {
        var designs = new List<BatteryDesign>
        {
            // The power target: 19 unrelated candidates, offsets sd 0.05, one source 4 sd (0.2) closer, N = 250.
            new("power target", "19 i.i.d. normal (sd 0.05) + 1 source 4 sd closer, N = 250", 1, true, r =>
            {
                double[] offsets = Normal(r, 20, Spread);
                offsets[0] = -4 * Spread;
                return Additive(r, offsets, 250, sources: 1);
            }),
        };

        if (quick)
        {
            return designs;
        }

        foreach (double gap in new[] { 3.0, 6.0 })
        {
            designs.Add(new("gap", string.Create(Inv, $"19 i.i.d. normal + 1 source {gap} sd closer, N = 250"), 1, true, r =>
            {
                double[] offsets = Normal(r, 20, Spread);
                offsets[0] = -gap * Spread;
                return Additive(r, offsets, 250, sources: 1);
            }));
        }

        foreach (int sources in new[] { 2, 3 })
        {
            designs.Add(new("several sources", string.Create(Inv, $"{20 - sources} i.i.d. normal + {sources} sources 4-5 sd closer, N = 250"), sources, true, r =>
            {
                double[] offsets = Normal(r, 20, Spread);
                for (int i = 0; i < sources; i++)
                {
                    offsets[i] = -(4 + (0.5 * i)) * Spread;
                }

                return Additive(r, offsets, 250, sources: sources);
            }));
        }

        designs.Add(new("model families", "4 families of 5 (ratio 20) + 1 source 4 family sd closer", 1, true, r =>
        {
            double[] offsets = [-4 * Spread, .. Families(r, 19, 5, Spread, Spread / 20)];
            return Additive(r, offsets, 200, sources: 1);
        }));
        designs.Add(new("unequal noise", "noise sd U(0.05, 0.40) + 1 source 0.05 closer", 1, true, r =>
        {
            double[] offsets = new double[20];
            offsets[0] = -0.05;
            return Additive(r, offsets, 200, [.. Enumerable.Range(0, 20).Select(_ => ContinuousUniform.Sample(r, 0.05, 0.40))], sources: 1);
        }));
        designs.Add(new("discrete distances", "matches at rate 0.01 + 1 source matching at 0.05, N = 200", 1, true,
            r => Matches(r, [0.05, .. Enumerable.Repeat(0.01, 19)], 200, sources: 1)));
        designs.Add(new("homogeneous background", "19 equidistant + 1 source 0.05 closer, N = 200", 1, true, r =>
        {
            double[] offsets = new double[20];
            offsets[0] = -0.05;
            return Additive(r, offsets, 200, sources: 1);
        }));
        return designs;
    }

    private static double[] Normal(Random rng, int m, double sd) => [.. Enumerable.Range(0, m).Select(_ => sd * MathNet.Numerics.Distributions.Normal.Sample(rng, 0, 1))];

    /// <summary>Offsets of m candidates in families of <paramref name="size"/> (the last one possibly smaller).</summary>
    private static double[] Families(Random rng, int m, int size, double familySd, double ownSd)
    {
        double[] families = Normal(rng, (m + size - 1) / size, familySd);
        return [.. Enumerable.Range(0, m).Select(i => families[i / size] + (ownSd * MathNet.Numerics.Distributions.Normal.Sample(rng, 0, 1)))];
    }

    private static SimulatedPool Additive(Random rng, double[] offsets, int n, double[]? noiseSd = null, int sources = 0)
    {
        int m = offsets.Length;
        var b = Normal(rng, n, PromptSd);
        var values = new double[m, n];
        for (int i = 0; i < m; i++)
        {
            double sd = noiseSd?[i] ?? NoiseSd;
            for (int t = 0; t < n; t++)
            {
                values[i, t] = Base + offsets[i] + b[t] + (sd * MathNet.Numerics.Distributions.Normal.Sample(rng, 0, 1));
            }
        }

        return Pool(values, sources);
    }

    /// <summary>L = 1 − Bernoulli(rate_i): the candidate matches the target on a prompt (distance 0) or not (1).</summary>
    private static SimulatedPool Matches(Random rng, double[] rates, int n, int sources = 0)
    {
        var values = new double[rates.Length, n];
        for (int i = 0; i < rates.Length; i++)
        {
            for (int t = 0; t < n; t++)
            {
                values[i, t] = rng.NextDouble() < rates[i] ? 0 : 1;
            }
        }

        return Pool(values, sources);
    }

    private static SimulatedPool Pool(double[,] values, int sources)
    {
        int m = values.GetLength(0);
        string[] names = [.. Enumerable.Range(1, m).Select(i => "model-" + i.ToString("000", Inv))];
        return new SimulatedPool(new DistanceMatrix(values, names), [.. names.Take(sources)], [.. Enumerable.Range(0, sources)]);
    }
}
