namespace ProvenanceSet.Kernels;

/// <summary>The kernel variants and the automatic choice among them.</summary>
internal static class PermutationKernels
{
    /// <summary>Every variant, the reference first (for tests and benchmarks).</summary>
    public static IReadOnlyList<IPermutationKernel> All { get; } =
    [
        ScalarReferenceKernel.Instance,
        LanesKernel<ScalarLanes>.Instance,
        LanesKernel<Vector128Lanes>.Instance,
        LanesKernel<Vector256Lanes>.Instance,
        LanesKernel<Vector512Lanes>.Instance,
    ];

    /// <summary>The widest fast variant the CPU accelerates.</summary>
    public static IPermutationKernel Best =>
        LanesKernel<Vector512Lanes>.IsHardwareAccelerated ? LanesKernel<Vector512Lanes>.Instance
        : LanesKernel<Vector256Lanes>.IsHardwareAccelerated ? LanesKernel<Vector256Lanes>.Instance
        : LanesKernel<Vector128Lanes>.IsHardwareAccelerated ? LanesKernel<Vector128Lanes>.Instance
        : LanesKernel<ScalarLanes>.Instance;

    /// <summary>Whether the variant runs in hardware on this CPU (the reference and scalar variants always do).</summary>
    public static bool IsHardwareAccelerated(PermutationKernel kernel) => kernel switch
    {
        PermutationKernel.Vector128 => LanesKernel<Vector128Lanes>.IsHardwareAccelerated,
        PermutationKernel.Vector256 => LanesKernel<Vector256Lanes>.IsHardwareAccelerated,
        PermutationKernel.Vector512 => LanesKernel<Vector512Lanes>.IsHardwareAccelerated,
        _ => true,
    };

    public static IPermutationKernel Resolve(PermutationKernel kernel) => kernel switch
    {
        PermutationKernel.Auto => Best,
        PermutationKernel.Reference => ScalarReferenceKernel.Instance,
        PermutationKernel.Scalar => LanesKernel<ScalarLanes>.Instance,
        PermutationKernel.Vector128 => LanesKernel<Vector128Lanes>.Instance,
        PermutationKernel.Vector256 => LanesKernel<Vector256Lanes>.Instance,
        PermutationKernel.Vector512 => LanesKernel<Vector512Lanes>.Instance,
        _ => throw new ArgumentOutOfRangeException(nameof(kernel), kernel, "Unknown permutation kernel."),
    };
}
