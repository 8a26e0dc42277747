using MathNet.Numerics.Distributions;
using ProvenanceSet.Data;
using ProvenanceSet.Procedure;
using ProvenanceSet.Randomness;

namespace ProvenanceSet.Evaluation.Battery;

/// <summary>
/// A robust-type method that the library does not ship, run through the same sequential loop (test the closest
/// remaining candidate, include it while the running maximum of p stays at or below alpha). Kept in the evaluation
/// as an ablation: each one is a component of the default calibration on its own, or an alternative it was chosen over.
/// </summary>
internal sealed record StepTestMethod(string Label, StepTestMethod.StepTest Test) : Method(Label)
{
    /// <summary>One step's p-value and the tested candidate (a position in <paramref name="active"/>).</summary>
    public delegate (double P, int Tested) StepTest(double[][] rows, int[] active, ulong seed, int step);

    public override IReadOnlyList<int>[] Sets(DistanceMatrix matrix, IReadOnlyList<double> alphas, ulong seed)
    {
        double[][] rows = [.. Enumerable.Range(0, matrix.CandidateCount).Select(i => matrix.GetRow(i).ToArray())];
        var active = Enumerable.Range(0, matrix.CandidateCount).ToList();
        var path = new List<(int Candidate, double P)>();
        double runningMax = 0;
        while (active.Count >= RobustStep.MinimumActive && runningMax <= alphas.Max())
        {
            var (p, tested) = Test(rows, [.. active], seed, path.Count);
            runningMax = Math.Max(runningMax, p);
            path.Add((active[tested], runningMax));
            active.RemoveAt(tested);
        }

        return [.. alphas.Select(a => (IReadOnlyList<int>)[.. path.Where(x => x.P <= a).Select(x => x.Candidate)])];
    }
}

/// <summary>The ablations' step tests.</summary>
internal static class Ablations
{
    public const int Rounds = 999;

    /// <summary>The clustered background null alone, without the permutation test's p-value.</summary>
    public static StepTestMethod ClusteredWithoutPermutation() => new("ablation: clustered null without the permutation test", (rows, active, seed, step) =>
    {
        var (means, noise) = MeansAndNoise(rows, active);
        var model = ClusteredBackground.Fit(means, noise);
        double observed = RobustStep.Statistic(means, RobustStep.ClusteredLowTrim, new double[means.Length], out int argMin);
        if (model.GroupCount < ClusteredBackground.MinimumGroups)
        {
            return (1, argMin);
        }

        var draws = new double[means.Length];
        var groups = new double[model.GroupCount];
        var scratch = new double[means.Length];
        return (PValue(observed, r =>
        {
            model.Draw(new StreamRandom(RandomStreams.StreamSeed(seed, step, r)), draws, groups);
            return RobustStep.Statistic(draws, RobustStep.ClusteredLowTrim, scratch, out _);
        }), argMin);
    });

    /// <summary>The earlier normal calibration with the default's smaller trim (the lowest eighth of the others left out, not a quarter).</summary>
    public static StepTestMethod NormalWithEighthTrim() => new("ablation: normal calibration, eighth trim", (rows, active, seed, step) =>
    {
        double[] means = [.. active.Select(i => rows[i].Average())];
        double observed = RobustStep.Statistic(means, RobustStep.ClusteredLowTrim, new double[means.Length], out int argMin);
        var draws = new double[means.Length];
        var scratch = new double[means.Length];
        return (PValue(observed, r =>
        {
            var rng = new StreamRandom(RandomStreams.StreamSeed(seed, step, r));
            for (int i = 0; i < draws.Length; i++)
            {
                draws[i] = Normal.Sample(rng, 0, 1);
            }

            return RobustStep.Statistic(draws, RobustStep.ClusteredLowTrim, scratch, out _);
        }), argMin);
    });

    /// <summary>
    /// Per-candidate standard errors in the statistic (a random-effects z): z_i = (x_i − mean(B)) / sqrt(τ² + v_i), B the
    /// others without their lowest eighth, τ² = max(0, var(B) − mean v_B); the lowest z is tested; null: i.i.d. normal
    /// candidate effects (τ² from a robust scale) plus each candidate's own noise, no families.
    /// </summary>
    public static StepTestMethod RandomEffects() => new("ablation: random-effects z, i.i.d. null", (rows, active, seed, step) =>
    {
        var (means, noise) = MeansAndNoise(rows, active);
        double observed = RandomEffectsZ(means, noise, out int argMin);
        double median = MathNet.Numerics.Statistics.ArrayStatistics.MedianInplace([.. means]);
        double mad = 1.482602218505602 * MathNet.Numerics.Statistics.ArrayStatistics.MedianInplace([.. means.Select(x => Math.Abs(x - median))]);
        double tau = Math.Sqrt(Math.Max(0, (mad * mad) - MathNet.Numerics.Statistics.ArrayStatistics.MedianInplace([.. noise])));
        int n = rows[0].Length;
        var x = new double[means.Length];
        var v = new double[means.Length];
        return (PValue(observed, r =>
        {
            var rng = new StreamRandom(RandomStreams.StreamSeed(seed, step, r));
            for (int i = 0; i < x.Length; i++)
            {
                x[i] = (tau * Normal.Sample(rng, 0, 1)) + (Math.Sqrt(noise[i]) * Normal.Sample(rng, 0, 1));
                v[i] = noise[i] * ChiSquared.Sample(rng, n - 1) / (n - 1);
            }

            return RandomEffectsZ(x, v, out _);
        }), argMin);
    });

    /// <summary>The robust z of the mean distances with a null from permuting each prompt's values across the candidates.</summary>
    public static StepTestMethod PermutationZ(int rounds) => new("ablation: robust z, permutation null", (rows, active, seed, step) =>
    {
        int m = active.Length, n = rows[0].Length;
        var means = new double[m];
        for (int k = 0; k < m; k++)
        {
            means[k] = rows[active[k]].Average();
        }

        double observed = RobustStep.Statistic(means, RobustStep.ClusteredLowTrim, new double[m], out int argMin);
        var column = new double[m];
        var sums = new double[m];
        var scratch = new double[m];
        return (PValue(observed, r =>
        {
            var rng = new Xoshiro256StarStar(RandomStreams.StreamSeed(seed, step, r));
            Array.Clear(sums);
            for (int t = 0; t < n; t++)
            {
                for (int k = 0; k < m; k++)
                {
                    column[k] = rows[active[k]][t];
                }

                for (int j = m - 1; j > 0; j--)
                {
                    int k = (int)rng.NextBounded((ulong)(j + 1));
                    (column[j], column[k]) = (column[k], column[j]);
                }

                for (int k = 0; k < m; k++)
                {
                    sums[k] += column[k];
                }
            }

            return RobustStep.Statistic(sums, RobustStep.ClusteredLowTrim, scratch, out _);
        }, rounds), argMin);
    });

    private static double RandomEffectsZ(double[] means, double[] noise, out int argMin)
    {
        int m = means.Length;
        int[] order = [.. Enumerable.Range(0, m).OrderBy(i => means[i])];
        int drop = 1 + (int)Math.Floor(RobustStep.ClusteredLowTrim * (m - 1));
        double[] background = [.. order.Skip(drop).Select(i => means[i])];
        double mean = background.Average();
        double variance = background.Sum(b => (b - mean) * (b - mean)) / (background.Length - 1);
        double tau2 = Math.Max(0, variance - order.Skip(drop).Average(i => noise[i]));
        argMin = 0;
        double best = double.PositiveInfinity;
        for (int i = 0; i < m; i++)
        {
            double scale = Math.Sqrt(tau2 + noise[i]);
            double z = scale > 0 ? (means[i] - mean) / scale : means[i] < mean ? double.NegativeInfinity : 0;
            if (z < best)
            {
                best = z;
                argMin = i;
            }
        }

        return best;
    }

    public static double PValue(double observed, Func<int, double> draw, int rounds = Rounds)
    {
        int atMost = 0;
        for (int r = 0; r < rounds; r++)
        {
            double value = draw(r);
            atMost += double.IsNaN(value) || value <= observed ? 1 : 0;
        }

        return (1.0 + atMost) / (rounds + 1.0);
    }

    /// <summary>The active candidates' mean distances and the squared standard errors of those means (prompts centred over the active set).</summary>
    public static (double[] Means, double[] Noise) MeansAndNoise(double[][] rows, int[] active)
    {
        int m = active.Length, n = rows[0].Length;
        var centres = new double[n];
        foreach (int i in active)
        {
            for (int t = 0; t < n; t++)
            {
                centres[t] += rows[i][t] / m;
            }
        }

        var means = new double[m];
        var noise = new double[m];
        for (int k = 0; k < m; k++)
        {
            double[] row = rows[active[k]];
            means[k] = row.Average();
            double mean = 0;
            for (int t = 0; t < n; t++)
            {
                mean += row[t] - centres[t];
            }

            mean /= n;
            double squares = 0;
            for (int t = 0; t < n; t++)
            {
                double e = row[t] - centres[t] - mean;
                squares += e * e;
            }

            noise[k] = squares / (n - 1) / n;
        }

        return (means, noise);
    }
}
