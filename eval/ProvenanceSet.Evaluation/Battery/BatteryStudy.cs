using ProvenanceSet.Procedure;
using ProvenanceSet.Randomness;
using ProvenanceSet.Simulation;

namespace ProvenanceSet.Evaluation.Battery;

/// <summary>One method on one battery design.</summary>
internal sealed record BatteryRow(BatteryDesign Design, string Method, int Repetitions, double FalseInclusion, double Coverage, double MeanSetSize, double MeanUnrelated)
{
    /// <summary>Binomial standard error of the false-inclusion rate.</summary>
    public double FalseInclusionError => Math.Sqrt(Math.Max(FalseInclusion * (1 - FalseInclusion), 1e-12) / Repetitions);

    /// <summary>Binomial standard error of the coverage.</summary>
    public double CoverageError => Math.Sqrt(Math.Max(Coverage * (1 - Coverage), 1e-12) / Repetitions);

    /// <summary>The level target: false inclusion at most alpha plus 3 binomial standard errors of alpha.</summary>
    public bool WithinLevel(double alpha) => FalseInclusion <= alpha + (3 * Math.Sqrt(alpha * (1 - alpha) / Repetitions));
}

/// <summary>How far the lowest unrelated candidate of a heavy-tailed pool stands out, against a real source.</summary>
/// <param name="Design">The background.</param>
/// <param name="Rate">Share of its pools whose lowest candidate has a robust z at or below the power target's median source z.</param>
/// <param name="Pools">Pools drawn.</param>
internal sealed record SeparabilityRow(string Design, double Rate, int Pools);

/// <summary>
/// The false-accusation battery: every distance-level design, every method, at alpha = 0.05; pools are drawn
/// with seeds from the design and repetition, so every method sees the same pools.
/// </summary>
internal sealed class BatteryStudy(EvaluationOptions options)
{
    public const double Alpha = 0.05;

    public int Repetitions => options.Quick ? 60 : 400;

    /// <summary>The methods compared on every design.</summary>
    public IReadOnlyList<Method> MainMethods()
    {
        int rounds = options.Quick ? 199 : 999;
        return
        [
            new MpsMethod("faithful", ProvenanceVariant.Faithful, options.Quick ? 99 : 199, Threads: 1),
            new MpsMethod(NormalLabel, ProvenanceVariant.Robust, rounds, Background: RobustBackground.Normal, Threads: 1),
            new MpsMethod("robust, t4 calibration", ProvenanceVariant.Robust, rounds, Background: RobustBackground.StudentT4, Threads: 1),
            new MpsMethod(DefaultLabel, ProvenanceVariant.Robust, rounds, Background: RobustBackground.Clustered, Threads: 1),
        ];
    }

    public const string DefaultLabel = "robust, clustered (default)";
    public const string NormalLabel = "robust, normal calibration (earlier default)";

    /// <summary>The ablations, run on the designs of the issue that motivated them.</summary>
    public IReadOnlyList<Method> AblationMethods() =>
        [Ablations.NormalWithEighthTrim(), Ablations.ClusteredWithoutPermutation(), Ablations.RandomEffects(), Ablations.PermutationZ(options.Quick ? 99 : 199)];

    public (List<BatteryRow> Rows, List<SeparabilityRow> Separability) Run()
    {
        var rows = new List<BatteryRow>();
        var main = MainMethods();
        var ablations = AblationMethods();
        foreach (var design in BatteryDesigns.Null(options.Quick).Concat(BatteryDesigns.WithSources(options.Quick)))
        {
            bool ablate = !options.Quick || design.Family is "model families" or "discrete distances" or "unequal noise" or "power target";
            rows.AddRange(Evaluate(design, ablate ? [.. main, .. ablations] : main));
        }

        return (rows, Separability());
    }

    private List<BatteryRow> Evaluate(BatteryDesign design, IReadOnlyList<Method> methods)
    {
        int reps = Repetitions;
        var falseIn = new int[methods.Count];
        var covered = new int[methods.Count];
        var size = new long[methods.Count];
        var unrelated = new long[methods.Count];
        var gate = new object();
        Parallel.For(0, reps, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, k =>
        {
            var pool = design.Draw(new StreamRandom(options.SeedFor($"battery/{design.Label}/{k}")));
            var sources = pool.SourceIndices.ToHashSet();
            for (int j = 0; j < methods.Count; j++)
            {
                var set = methods[j].Sets(pool.Matrix, [Alpha], (ulong)k)[0];
                int wrong = set.Count(i => !sources.Contains(i));
                lock (gate)
                {
                    falseIn[j] += wrong > 0 ? 1 : 0;
                    covered[j] += sources.All(set.Contains) ? 1 : 0;
                    size[j] += set.Count;
                    unrelated[j] += wrong;
                }
            }
        });

        options.Log.WriteLine($"  battery: {design.Label} ({reps} pools)");
        return [.. methods.Select((m, j) => new BatteryRow(design, m.Name, reps, (double)falseIn[j] / reps, (double)covered[j] / reps,
            (double)size[j] / reps, (double)unrelated[j] / reps))];
    }

    /// <summary>
    /// Heavy tails against the power target, on the statistic itself: the power target's source has a median robust z
    /// of z50; the share of heavy-tailed pools (no source) whose lowest candidate has z ≤ z50 is the share of pools in
    /// which that candidate stands out at least as much as a source that must be found half the time.
    /// </summary>
    private List<SeparabilityRow> Separability()
    {
        int pools = options.Quick ? 400 : 4000;
        var power = BatteryDesigns.WithSources(quick: true)[0];
        double[] sourceZ = [.. Enumerable.Range(0, pools).Select(k => LowestZ(power.Draw(new StreamRandom(options.SeedFor($"separability/power/{k}"))))).Order()];
        double median = sourceZ[pools / 2];
        var rows = new List<SeparabilityRow>();
        var designs = new List<(string Name, BatteryDesign Design)> { ("i.i.d. normal offsets, sd 0.05", BatteryDesigns.Null(quick: true)[0]) };
        designs.AddRange(BatteryDesigns.Null(quick: false).Where(d => d.Family == "heavy tails").Select(d => (d.Name, d)));
        foreach (var (name, design) in designs)
        {
            int below = Enumerable.Range(0, pools).Count(k => LowestZ(design.Draw(new StreamRandom(options.SeedFor($"separability/{name}/{k}")))) <= median);
            rows.Add(new SeparabilityRow(name, (double)below / pools, pools));
        }

        options.Log.WriteLine("  battery: separability of heavy tails");
        return rows;
    }

    private static double LowestZ(SimulatedPool pool)
    {
        double[] means = [.. Enumerable.Range(0, pool.Matrix.CandidateCount).Select(i => pool.Matrix.GetRow(i).ToArray().Average())];
        return RobustStep.Statistic(means, RobustStep.ClusteredLowTrim, new double[means.Length], out _);
    }

}
