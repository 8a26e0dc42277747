using BenchmarkDotNet.Attributes;
using ProvenanceSet.Data;
using ProvenanceSet.Kernels;
using ProvenanceSet.Procedure;
using ProvenanceSet.Randomness;

namespace ProvenanceSet.Benchmarks;

/// <summary>
/// What every kernel benchmark shares: the (m, N) grid, one batch of <see cref="Rounds"/> permutation
/// rounds per operation on one thread, and one method per kernel variant with the scalar reference
/// as the baseline. The Gcells/s column is m × N × rounds per second.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(KernelConfig))]
public abstract class KernelBenchmarksBase
{
    /// <summary>Rounds per operation: a multiple of every kernel's lanes.</summary>
    public const int Rounds = 16;

    private StepData _step = null!;
    private readonly double[] _nulls = new double[Rounds];

    [Params(10, 50, 200)]
    public int M { get; set; }

    [Params(1_000, 20_000, 100_000)]
    public int N { get; set; }

    /// <summary>Prompts per permutation group (1: every prompt permuted on its own).</summary>
    protected abstract int GroupSize { get; }

    [GlobalSetup]
    public void Setup() => _step = Shapes.FirstStep(M, N, GroupSize);

    [Benchmark(Baseline = true, Description = "reference (scalar)")]
    public double Reference() => Run(KernelChoice.Reference);

    [Benchmark(Description = "scalar")]
    public double Scalar() => Run(KernelChoice.Scalar);

    [Benchmark(Description = "vector")]
    public double Vector() => Run(KernelChoice.Vector);

    private double Run(KernelChoice kernel)
    {
        KernelSelection.Resolve(kernel).RunRounds(_step, new RoundStream(1, 0, 0), _nulls);
        return _nulls[^1];
    }
}

/// <summary>Kernel shape 1: one permutation per prompt (no groups).</summary>
public class PromptKernelBenchmarks : KernelBenchmarksBase
{
    protected override int GroupSize => 1;
}

/// <summary>Kernel shape 2: prompt groups of 10, one permutation per group.</summary>
public class GroupedKernelBenchmarks : KernelBenchmarksBase
{
    protected override int GroupSize => Shapes.GroupSize;
}

/// <summary>
/// All cores: 64 rounds of a step's null distribution through <see cref="NullDistribution"/> (the
/// procedure's scheduler, batches spread over every core), the reference against the automatic kernel.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(KernelConfig))]
public class AllCoresBenchmarks
{
    /// <summary>Rounds per operation.</summary>
    public const int Rounds = 64;

    private StepData _step = null!;

    [Params(10, 50, 200)]
    public int M { get; set; }

    [Params(1_000, 20_000, 100_000)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup() => _step = Shapes.FirstStep(M, N);

    [Benchmark(Baseline = true, Description = "reference (scalar)")]
    public double Reference() => Run(KernelChoice.Reference);

    [Benchmark(Description = "auto")]
    public double Auto() => Run(KernelChoice.Auto);

    private double Run(KernelChoice kernel) =>
        NullDistribution.MonteCarlo(_step, KernelSelection.Resolve(kernel), new RoundStream(1, 0, 0), Rounds, -1, null, CancellationToken.None)[^1];
}

/// <summary>
/// The throughput shape at a user's round count: one step's null distribution of R = 1 000 rounds
/// at m = 50, N = 100 000 through <see cref="NullDistribution"/> on every core, the automatic kernel, no early
/// stopping. With 64 rounds (<see cref="AllCoresBenchmarks"/>) each core gets a single batch, so the slower
/// core sets the pace; here about 30 batches are shared out as cores free up, as in a real run.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(StepThroughputConfig))]
public class StepThroughputBenchmarks
{
    /// <summary>Rounds per operation (the paper's R).</summary>
    public const int Rounds = 1000;

    private StepData _step = null!;

    [Params(50)]
    public int M { get; set; }

    [Params(100_000)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup() => _step = Shapes.FirstStep(M, N);

    [Benchmark(Description = "auto, all cores")]
    public double Auto() =>
        NullDistribution.MonteCarlo(_step, KernelSelection.Best, new RoundStream(1, 0, 0), Rounds, -1, null, CancellationToken.None)[^1];
}

/// <summary>
/// The paper's setting end to end from an in-memory matrix: 50 candidates (2 sources), N = 100 000,
/// R = 1 000, every core, with each early-stopping mode.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(EndToEndConfig))]
public class PaperSettingBenchmarks
{
    private DistanceMatrix _matrix = null!;

    [Params(EarlyStopping.None, EarlyStopping.WhenDecided, EarlyStopping.Sequential)]
    public EarlyStopping EarlyStopping { get; set; }

    [GlobalSetup]
    public void Setup() => _matrix = Shapes.Pool(50, 100_000);

    [Benchmark(Description = "Compute")]
    public int Compute() =>
        ModelProvenanceSet.Compute(_matrix, ProvenanceOptions.Default with { Permutations = 1000, EarlyStopping = EarlyStopping }).Set.Count;
}
