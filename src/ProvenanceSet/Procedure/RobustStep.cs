using System.Globalization;
using MathNet.Numerics.Distributions;
using ModelProvenance.Randomness;

namespace ModelProvenance.Procedure;

/// <summary>
/// One step of the background-robust variant: does the closest remaining candidate stand out from
/// the spread of the other remaining candidates? The statistic is a z-score of the lowest mean
/// distance against the mean and standard deviation of the others after dropping their lowest
/// quarter (where other sources and close relatives sit); its null is simulated for the same m
/// from a background of i.i.d. draws (normal by default), which is exact because the statistic
/// does not depend on the background's location or scale.
/// </summary>
internal static class RobustStep
{
    /// <summary>The fewest active candidates the robust test runs with (the closest one and 3 others to estimate the background).</summary>
    public const int MinimumActive = 4;

    /// <summary>The share of the others, from the low side, left out of the background estimate.</summary>
    public const double LowTrim = 0.25;

    public static ProvenanceStep Run(
        PreparedMatrix data, ProvenanceOptions options, int stepIndex, int[] active,
        List<string> diagnostics, IProgress<ProvenanceProgress>? progress, CancellationToken cancellationToken)
    {
        int m = active.Length;
        var means = new double[m];
        for (int k = 0; k < m; k++)
        {
            means[k] = data.MeanDistances[active[k]];
        }

        var scratch = new double[m];
        double observed = Statistic(means, scratch, out int argMin);
        var z = new double[m];
        for (int k = 0; k < m; k++)
        {
            z[k] = LeaveOneOutZ(means, k, scratch);
        }

        if (double.IsInfinity(observed) || double.IsNaN(observed))
        {
            diagnostics.Add($"Step {stepIndex + 1}: the other candidates used for the background all have exactly the same mean distance, so their spread is 0; "
                + $"the closest candidate's z is {(double.IsNaN(observed) ? "undefined (treated as 0)" : "-Infinity")}.");
            observed = double.IsNaN(observed) ? 0 : observed;
        }

        int rounds = options.Permutations;
        var nulls = new double[rounds];
        progress?.Report(new ProvenanceProgress(stepIndex, m, 0, rounds));
        long done = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism, CancellationToken = cancellationToken };
        int batch = Math.Max(1, 200_000 / m);
        Parallel.For(0, (rounds + batch - 1) / batch, parallel, b =>
        {
            var draws = new double[m];
            var work = new double[m];
            int end = Math.Min(rounds, (b + 1) * batch);
            for (int r = b * batch; r < end; r++)
            {
                var rng = new StreamRandom(RandomStreams.StreamSeed(options.Seed, stepIndex, r));
                Background(options.Background, rng, draws);
                double value = Statistic(draws, work, out _);
                nulls[r] = double.IsNaN(value) ? 0 : value;
            }

            long now = Interlocked.Add(ref done, end - (b * batch));
            progress?.Report(new ProvenanceProgress(stepIndex, m, now, rounds));
        });

        long atMost = 0, ties = 0;
        foreach (double value in nulls)
        {
            if (value <= observed)
            {
                atMost++;
                ties += value == observed ? 1 : 0;
            }
        }

        double p = options.PValueEstimator == PValueEstimator.PlusOne ? (1.0 + atMost) / (rounds + 1.0) : (double)atMost / rounds;
        return SequentialProcedure.NewStep(data, stepIndex, active, argMin, observed, z, p, rounds, atMost, ties, nulls);
    }

    /// <summary>
    /// The z of the lowest value: (x_min − mean(B)) / sd(B), where B is the others (all values but the
    /// lowest; ties: the first) without their lowest ⌊0.25 · (m − 1)⌋ values, and sd the sample standard
    /// deviation (n − 1). −∞ when sd(B) is 0 and x_min is below mean(B), NaN when both differences are 0.
    /// </summary>
    public static double Statistic(ReadOnlySpan<double> values, Span<double> scratch, out int argMin)
    {
        argMin = 0;
        for (int k = 1; k < values.Length; k++)
        {
            if (values[k] < values[argMin])
            {
                argMin = k;
            }
        }

        return LeaveOneOutZ(values, argMin, scratch);
    }

    /// <summary>(x_k − mean(B)) / sd(B) with B = every value but x_k, without the lowest quarter of them.</summary>
    public static double LeaveOneOutZ(ReadOnlySpan<double> values, int k, Span<double> scratch)
    {
        int n = values.Length - 1;
        var others = scratch[..n];
        values[..k].CopyTo(others);
        values[(k + 1)..].CopyTo(others[k..]);
        others.Sort();
        var background = others[(int)Math.Floor(LowTrim * n)..];
        double mean = 0;
        foreach (double v in background)
        {
            mean += v;
        }

        mean /= background.Length;
        double squares = 0;
        foreach (double v in background)
        {
            squares += (v - mean) * (v - mean);
        }

        double sd = Math.Sqrt(squares / (background.Length - 1));
        double difference = values[k] - mean;
        return sd > 0 ? difference / sd : difference == 0 ? double.NaN : difference < 0 ? double.NegativeInfinity : double.PositiveInfinity;
    }

    private static void Background(RobustBackground background, Random rng, Span<double> draws)
    {
        for (int i = 0; i < draws.Length; i++)
        {
            draws[i] = background == RobustBackground.StudentT4 ? StudentT.Sample(rng, 0, 1, 4) : Normal.Sample(rng, 0, 1);
        }
    }

    /// <summary>Why the robust variant cannot run on this pool, or null when it can.</summary>
    public static string? TooSmall(int candidates) => candidates >= MinimumActive
        ? null
        : string.Create(CultureInfo.InvariantCulture,
            $"The robust variant needs at least {MinimumActive} candidates (the closest one and 3 others to estimate the background spread); the pool has {candidates}. Use the faithful variant.");
}
