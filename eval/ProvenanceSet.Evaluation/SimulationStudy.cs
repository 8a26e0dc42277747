using MathNet.Numerics.Distributions;
using ProvenanceSet.Data;
using ProvenanceSet.Randomness;
using ProvenanceSet.Simulation;

namespace ProvenanceSet.Evaluation;

/// <summary>One cell of a simulation table: a method at one level on one design.</summary>
internal sealed record SimulationRow(string Study, string Design, string Method, double Alpha, int Repetitions,
    double Coverage, double MeanSetSize, double FalseInclusion)
{
    /// <summary>Binomial standard error of the coverage.</summary>
    public double CoverageError => Math.Sqrt(Math.Max(Coverage * (1 - Coverage), 1e-12) / Repetitions);

    /// <summary>Binomial standard error of the false-inclusion rate.</summary>
    public double FalseInclusionError => Math.Sqrt(Math.Max(FalseInclusion * (1 - FalseInclusion), 1e-12) / Repetitions);
}

/// <summary>Part (a): coverage, set size and false inclusions on simulated pools with known sources.</summary>
internal sealed class SimulationStudy(EvaluationOptions options)
{
    public static readonly double[] Alphas = [0.01, 0.02, 0.05, 0.1, 0.2];

    /// <summary>The base design: 20 candidates, 2 sources, 1000 prompts; sources 0.08 closer (noise sd 0.12).</summary>
    private static readonly PoolSimulation Base = new() { Candidates = 20, Sources = 2, Prompts = 1000, Gap = 0.08 };

    /// <summary>Heterogeneous background: unrelated candidates' mean distances spread with sd 0.01 (the gap is 8 of them).</summary>
    private const double Spread = 0.01;

    public List<SimulationRow> Run()
    {
        var rows = new List<SimulationRow>();
        Method[] methods = [Faithful(), Robust()];
        foreach (var (label, spread) in new[] { ("homogeneous", 0.0), ("heterogeneous", Spread) })
        {
            rows.AddRange(Evaluate("alpha", $"{label} background", Base with { BackgroundSpread = spread }, methods, Alphas));
        }

        foreach (int n in options.Quick ? new[] { 200, 1000 } : [200, 1000, 5000])
        {
            rows.AddRange(Evaluate("prompts", $"N = {n}, heterogeneous", Base with { Prompts = n, BackgroundSpread = Spread }, methods, [0.05]));
        }

        foreach (int m in options.Quick ? new[] { 10, 50 } : [10, 20, 50])
        {
            rows.AddRange(Evaluate("pool", $"M = {m}, heterogeneous", Base with { Candidates = m, BackgroundSpread = Spread }, methods, [0.05]));
        }

        foreach (int s in new[] { 1, 2, 3 })
        {
            foreach (var (label, spread) in new[] { ("homogeneous", 0.0), ("heterogeneous", Spread) })
            {
                rows.AddRange(Evaluate("sources", $"{s} source(s), {label}", Base with { Sources = s, BackgroundSpread = spread }, methods, [0.05]));
            }
        }

        // The statistic: trimmed mean/SD (the library's) against median/MAD and the untrimmed mean/SD,
        // all calibrated the same way, on designs where sources stand out 5 to 7 background SDs.
        Method[] statistics =
        [
            new CalibratedZMethod("trimmed mean/SD (library)", LowestZ.Trimmed, options.Quick ? 199 : 4999),
            new CalibratedZMethod("median/MAD", LowestZ.MedianMad, options.Quick ? 199 : 4999),
            new CalibratedZMethod("mean/SD, untrimmed", LowestZ.MeanSd, options.Quick ? 199 : 4999),
        ];
        foreach (var (m, sources, ratio) in new[] { (20, 2, 5.0), (20, 3, 7.0), (10, 1, 6.0), (50, 2, 5.0) })
        {
            rows.AddRange(Evaluate("statistic", $"M = {m}, {sources} source(s), gap = {ratio} x spread",
                Base with { Candidates = m, Sources = sources, BackgroundSpread = Spread, Gap = ratio * Spread }, statistics, [0.05]));
        }

        // How far must sources stand out? The gap in units of the background's spread.
        foreach (double ratio in options.Quick ? new[] { 4.0, 8.0 } : [3.0, 4.0, 6.0, 8.0, 12.0])
        {
            rows.AddRange(Evaluate("gap", $"gap = {ratio} x spread", Base with { BackgroundSpread = Spread, Gap = ratio * Spread }, [Robust()], [0.05]));
        }

        // No source at all: every inclusion is false; the rate is the type-I error of the first test.
        foreach (var (label, spread) in new[] { ("homogeneous", 0.0), ("heterogeneous", Spread) })
        {
            rows.AddRange(Evaluate("null", $"no source, {label}", Base with { Sources = 0, BackgroundSpread = spread },
                [.. methods, new SidakRobustMethod(), new MpsMethod("robust, t4 calibration", ProvenanceVariant.Robust, options.Quick ? options.Rounds : 999, Background: RobustBackground.StudentT4)],
                [0.05, 0.1]));
        }

        rows.AddRange(HeavyTailedNull());
        rows.AddRange(CorrelatedPrompts());
        return rows;
    }

    private MpsMethod Faithful(IReadOnlyList<int>? groups = null, string label = "faithful") => new(label, ProvenanceVariant.Faithful, options.Rounds, groups);

    // The robust null costs m normal draws per round, not a pass over the prompts: it can afford the
    // resolution that alpha = 0.01 needs over two steps.
    private MpsMethod Robust() => new("robust", ProvenanceVariant.Robust, options.Quick ? options.Rounds : 999);

    private List<SimulationRow> Evaluate(string study, string design, PoolSimulation simulation, Method[] methods, IReadOnlyList<double> alphas) =>
        Evaluate(study, design, k => (simulation with { Seed = options.SeedFor($"{study}/{design}/{k}") }).Generate(), methods, alphas);

    private List<SimulationRow> Evaluate(string study, string design, Func<int, SimulatedPool> draw, Method[] methods, IReadOnlyList<double> alphas)
    {
        int reps = options.Repetitions;
        var covered = new int[methods.Length, alphas.Count];
        var size = new long[methods.Length, alphas.Count];
        var falseIn = new int[methods.Length, alphas.Count];
        for (int k = 0; k < reps; k++)
        {
            var pool = draw(k);
            var sources = pool.SourceIndices.ToHashSet();
            for (int j = 0; j < methods.Length; j++)
            {
                var sets = methods[j].Sets(pool.Matrix, alphas, (ulong)k);
                for (int a = 0; a < alphas.Count; a++)
                {
                    covered[j, a] += sources.All(sets[a].Contains) ? 1 : 0;
                    size[j, a] += sets[a].Count;
                    falseIn[j, a] += sets[a].Any(i => !sources.Contains(i)) ? 1 : 0;
                }
            }
        }

        options.Log.WriteLine($"  simulated {study}: {design} ({reps} repetitions)");
        var rows = new List<SimulationRow>();
        for (int j = 0; j < methods.Length; j++)
        {
            for (int a = 0; a < alphas.Count; a++)
            {
                rows.Add(new SimulationRow(study, design, methods[j].Name, alphas[a], reps,
                    (double)covered[j, a] / reps, (double)size[j, a] / reps, (double)falseIn[j, a] / reps));
            }
        }

        return rows;
    }

    /// <summary>Backgrounds with heavy tails (Student t, 3 degrees of freedom): the normal calibration's weak spot.</summary>
    private List<SimulationRow> HeavyTailedNull()
    {
        Method[] methods = [Robust(), new MpsMethod("robust, t4 calibration", ProvenanceVariant.Robust, options.Quick ? options.Rounds : 999, Background: RobustBackground.StudentT4)];
        return Evaluate("heavy-tails", "no source, t3 background", k =>
        {
            var rng = new StreamRandom(options.SeedFor($"t3/{k}"));
            var pool = (Base with { Sources = 0, Seed = options.SeedFor($"t3-pool/{k}") }).Generate();
            int m = pool.Matrix.CandidateCount, n = pool.Matrix.PromptCount;
            var values = new double[m, n];
            for (int i = 0; i < m; i++)
            {
                double offset = Spread * StudentT.Sample(rng, 0, 1, 3);
                for (int t = 0; t < n; t++)
                {
                    values[i, t] = pool.Matrix[i, t] + offset;
                }
            }

            return new SimulatedPool(new DistanceMatrix(values, pool.Matrix.CandidateNames), [], []);
        }, methods, [0.05, 0.1]);
    }

    /// <summary>
    /// Prompts in 40 groups of 10 that share a per-candidate effect (several prompts cut from one
    /// document); no source. Without groups, the faithful test treats 400 correlated prompts as
    /// independent; with PromptGroups it permutes whole groups.
    /// </summary>
    private List<SimulationRow> CorrelatedPrompts()
    {
        const int M = 10, Groups = 40, PerGroup = 10;
        int[] groups = [.. Enumerable.Range(0, Groups * PerGroup).Select(t => t / PerGroup)];
        Method[] methods = [Faithful(label: "faithful, prompts as independent"), Faithful(groups, "faithful, PromptGroups"), Robust()];
        return Evaluate("groups", "no source, correlated prompts", k =>
        {
            var rng = new StreamRandom(options.SeedFor($"groups/{k}"));
            var values = new double[M, Groups * PerGroup];
            for (int i = 0; i < M; i++)
            {
                for (int g = 0; g < Groups; g++)
                {
                    double shared = 0.1 * Normal.Sample(rng, 0, 1);
                    for (int t = g * PerGroup; t < (g + 1) * PerGroup; t++)
                    {
                        values[i, t] = 0.6 + shared + (0.1 * Normal.Sample(rng, 0, 1));
                    }
                }
            }

            return new SimulatedPool(new DistanceMatrix(values), [], []);
        }, methods, [0.05, 0.1]);
    }

}
