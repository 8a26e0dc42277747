using ProvenanceSet.Randomness;

namespace ProvenanceSet.Kernels;

/// <summary>
/// Which kernel computes the permutation rounds (<see cref="ProvenanceOptions.Kernel"/>, for tests and benchmarks).
/// Every kernel draws the same permutations and adds the same values in the same order, so the choice changes speed
/// only: null statistics, counts and p-values are bit-identical (docs/determinism.md).
/// </summary>
internal enum KernelChoice
{
    /// <summary><see cref="Vector"/> where the CPU accelerates 256-bit vectors, else <see cref="Scalar"/>. The default.</summary>
    Auto = 0,

    /// <summary>The scalar reference: one permutation per prompt group, then per-candidate sums; the oracle and the benchmark baseline.</summary>
    Reference = 1,

    /// <summary>The fast kernel with scalar sums (what runs when hardware intrinsics are off).</summary>
    Scalar = 2,

    /// <summary>The fast kernel with vector sums (emulated, slowly, when the CPU lacks 256-bit vectors).</summary>
    Vector = 3,
}

/// <summary>The kernels and the automatic choice among them.</summary>
internal static class KernelSelection
{
    /// <summary>Every kernel, the reference first (for tests and benchmarks).</summary>
    public static IReadOnlyList<IPermutationKernel> All { get; } =
        [ScalarReferenceKernel.Instance, LanesKernel<ScalarLanes>.Instance, LanesKernel<VectorLanes>.Instance];

    /// <summary>The fastest kernel the CPU runs in hardware.</summary>
    public static IPermutationKernel Best => Resolve(KernelChoice.Auto);

    /// <summary>Whether the kernel runs in hardware on this CPU (the reference and scalar kernels always do).</summary>
    public static bool IsHardwareAccelerated(KernelChoice choice) => choice != KernelChoice.Vector || VectorLanes.IsHardwareAccelerated;

    public static IPermutationKernel Resolve(KernelChoice choice) => choice switch
    {
        KernelChoice.Auto => VectorLanes.IsHardwareAccelerated ? LanesKernel<VectorLanes>.Instance : LanesKernel<ScalarLanes>.Instance,
        KernelChoice.Reference => ScalarReferenceKernel.Instance,
        KernelChoice.Scalar => LanesKernel<ScalarLanes>.Instance,
        KernelChoice.Vector => LanesKernel<VectorLanes>.Instance,
        _ => throw new ArgumentOutOfRangeException(nameof(choice), choice, "Unknown permutation kernel."),
    };
}

/// <summary>
/// Computes permuted statistics T*_r for a range of rounds of one step. Round r draws from the stream
/// <see cref="RoundStream.Round"/>(r) as <see cref="ShufflePlan"/> does, and every kernel adds the same values in the
/// same order, so every kernel gives the same T* bits.
/// </summary>
internal interface IPermutationKernel
{
    /// <summary>A short stable name (used by benchmarks and tests).</summary>
    string Name { get; }

    /// <summary>How many rounds the kernel runs side by side; batches are best sized as multiples of it.</summary>
    int RoundsPerPass { get; }

    /// <summary>Writes T* of rounds FirstRound .. FirstRound + nullStatistics.Length − 1 of <paramref name="rounds"/>.</summary>
    void RunRounds(StepData step, RoundStream rounds, Span<double> nullStatistics);
}
