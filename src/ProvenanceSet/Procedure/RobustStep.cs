using System.Globalization;
using MathNet.Numerics.Distributions;
using ProvenanceSet.Kernels;
using ProvenanceSet.Randomness;

namespace ProvenanceSet.Procedure;

/// <summary>
/// One step of the background-robust variant: does the closest remaining candidate stand out from
/// the spread of the other remaining candidates? The statistic is a z-score of the lowest mean
/// distance against the mean and standard deviation of the others after dropping their lowest values
/// (where other sources and close relatives sit). Its null is simulated for the same m:
/// <list type="bullet">
/// <item><see cref="RobustBackground.Clustered"/> (default): from <see cref="ClusteredBackground"/>, where
/// candidates the data cannot tell apart share one group effect and every candidate keeps its own
/// sampling noise; the step's p-value is the larger of that and the faithful permutation test's
/// p-value on the same candidates, so the step is also exact when the candidates are exchangeable.</item>
/// <item><see cref="RobustBackground.Normal"/> and <see cref="RobustBackground.StudentT4"/> (earlier
/// calibrations): i.i.d. draws, exact when the candidates' means are i.i.d. normal (or t₄).</item>
/// </list>
/// </summary>
internal static class RobustStep
{
    /// <summary>The fewest active candidates the robust test runs with (the closest one and 3 others to estimate the background).</summary>
    public const int MinimumActive = 4;

    /// <summary>The share of the others, from the low side, left out of the background estimate by the i.i.d. calibrations.</summary>
    public const double IidLowTrim = 0.25;

    /// <summary>The share of the others, from the low side, left out of the background estimate by the clustered calibration.</summary>
    public const double ClusteredLowTrim = 0.125;

    // Keeps the clustered null's draws apart from the permutation rounds of the same (seed, step).
    private const ulong ClusteredSalt = 0x9E6C63D0676A9A99UL;

    /// <summary>The low-side trim of a calibration.</summary>
    public static double LowTrim(RobustBackground background) =>
        background == RobustBackground.Clustered ? ClusteredLowTrim : IidLowTrim;

    public static ProvenanceStep Run(
        PreparedMatrix data, ProvenanceOptions options, IPermutationKernel kernel, int stepIndex, int[] active,
        List<string> diagnostics, IProgress<ProvenanceProgress>? progress, CancellationToken cancellationToken)
    {
        int m = active.Length;
        double trim = LowTrim(options.Background);
        var means = new double[m];
        for (int k = 0; k < m; k++)
        {
            means[k] = data.MeanDistances[active[k]];
        }

        var scratch = new double[m];
        double observed = Statistic(means, trim, scratch, out int argMin);
        var z = new double[m];
        for (int k = 0; k < m; k++)
        {
            z[k] = LeaveOneOutZ(means, k, trim, scratch);
        }

        if (double.IsInfinity(observed) || double.IsNaN(observed))
        {
            diagnostics.Add($"Step {stepIndex + 1}: the other candidates used for the background all have exactly the same mean distance, so their spread is 0; "
                + $"the closest candidate's z is {(double.IsNaN(observed) ? "undefined (treated as 0)" : "-Infinity")}.");
            observed = double.IsNaN(observed) ? 0 : observed;
        }

        ClusteredBackground? model = null;
        if (options.Background == RobustBackground.Clustered)
        {
            model = ClusteredBackground.Fit(means, NoiseVariances(data, active));
            if (model.GroupCount < ClusteredBackground.MinimumGroups)
            {
                // Too few groups to estimate a spread: the step cannot test, and says so.
                return SequentialProcedure.NewStep(data, stepIndex, active, argMin, observed, z, 1, 0, 0, 0, []) with
                {
                    BackgroundGroups = model.GroupCount,
                };
            }
        }

        int rounds = options.Permutations;
        var nulls = new double[rounds];
        progress?.Report(new ProvenanceProgress(stepIndex, m, 0, rounds));
        long done = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism, CancellationToken = cancellationToken };
        int batch = Math.Max(1, 200_000 / m);
        ulong seed = model is null ? options.Seed : SplitMix64.Mix(options.Seed ^ ClusteredSalt);
        Parallel.For(0, (rounds + batch - 1) / batch, parallel, b =>
        {
            var draws = new double[m];
            var work = new double[m];
            var groups = new double[model?.GroupCount ?? 0];
            int end = Math.Min(rounds, (b + 1) * batch);
            for (int r = b * batch; r < end; r++)
            {
                var rng = new StreamRandom(RandomStreams.StreamSeed(seed, stepIndex, r));
                if (model is null)
                {
                    IidBackground(options.Background, rng, draws);
                }
                else
                {
                    model.Draw(rng, draws, groups);
                }

                double value = Statistic(draws, trim, work, out _);
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

        double p = StopRule.PValue(atMost, rounds, options.PValueEstimator);
        var step = SequentialProcedure.NewStep(data, stepIndex, active, argMin, observed, z, p, rounds, atMost, ties, nulls);
        if (model is null)
        {
            return step;
        }

        // The permutation test of "all active candidates are exchangeable" on the same candidates:
        // exact for any distance distribution (discrete ones included) when that holds.
        // Candidates in the order of their means, so that listing them in another order changes nothing.
        int[] sorted = new int[m];
        for (int k = 0; k < m; k++)
        {
            sorted[k] = active[model.SortedPositions[k]];
        }

        var exchangeable = SequentialProcedure.RunStep(data, options, kernel, stepIndex, sorted, [], progress, cancellationToken);
        return step with
        {
            PValue = Math.Max(p, exchangeable.PValue),
            BackgroundPValue = p,
            PermutationPValue = exchangeable.PValue,
            BackgroundGroups = model.GroupCount,
        };
    }

    /// <summary>
    /// The z of the lowest value: (x_min − mean(B)) / sd(B), where B is the others (all values but the
    /// lowest; ties: the first) without their lowest ⌊trim · (m − 1)⌋ values, and sd the sample standard
    /// deviation (n − 1). −∞ when sd(B) is 0 and x_min is below mean(B), NaN when both differences are 0.
    /// </summary>
    public static double Statistic(ReadOnlySpan<double> values, double trim, Span<double> scratch, out int argMin)
    {
        argMin = 0;
        for (int k = 1; k < values.Length; k++)
        {
            if (values[k] < values[argMin])
            {
                argMin = k;
            }
        }

        return LeaveOneOutZ(values, argMin, trim, scratch);
    }

    /// <summary>(x_k − mean(B)) / sd(B) with B = every value but x_k, without the lowest share <paramref name="trim"/> of them.</summary>
    public static double LeaveOneOutZ(ReadOnlySpan<double> values, int k, double trim, Span<double> scratch)
    {
        int n = values.Length - 1;
        var others = scratch[..n];
        values[..k].CopyTo(others);
        values[(k + 1)..].CopyTo(others[k..]);
        others.Sort();
        var background = others[(int)Math.Floor(trim * n)..];
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

    /// <summary>
    /// The squared standard error of each active candidate's mean distance: the variance over prompts of its
    /// distance less the active candidates' mean on that prompt, divided by N.
    /// </summary>
    private static double[] NoiseVariances(PreparedMatrix data, int[] active)
    {
        int m = active.Length;
        StepData step = data.BuildStep(active);
        var s1 = new double[m];
        var s2 = new double[m];
        step.ObservedSums(s1, s2);
        int n = step.PromptCount;
        var variances = new double[m];
        for (int k = 0; k < m; k++)
        {
            double mean = s1[k] / n;
            variances[k] = Math.Max(0, (s2[k] - (s1[k] * mean)) / (n - 1)) / n;
        }

        return variances;
    }

    private static void IidBackground(RobustBackground background, Random rng, Span<double> draws)
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
