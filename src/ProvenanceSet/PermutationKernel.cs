namespace ProvenanceSet;

/// <summary>
/// Which code computes the permutation rounds. Every kernel draws the same permutations and adds the
/// same values in the same order, so the choice changes speed only: null statistics, counts and
/// p-values are bit-identical (docs/determinism.md).
/// </summary>
public enum PermutationKernel
{
    /// <summary>The widest variant the CPU accelerates (<see cref="Vector512"/>, else <see cref="Vector256"/>, else <see cref="Vector128"/>, else <see cref="Scalar"/>). The default.</summary>
    Auto = 0,

    /// <summary>The scalar reference: one permutation per prompt group, then per-candidate sums; plain code kept as the oracle and the benchmark baseline.</summary>
    Reference = 1,

    /// <summary>The fast kernel with scalar arithmetic only (what runs when hardware intrinsics are off).</summary>
    Scalar = 2,

    /// <summary>The fast kernel with 128-bit vectors (emulated, slowly, when the CPU lacks them).</summary>
    Vector128 = 3,

    /// <summary>The fast kernel with 256-bit vectors (emulated, slowly, when the CPU lacks them).</summary>
    Vector256 = 4,

    /// <summary>The fast kernel with 512-bit vectors (emulated, slowly, when the CPU lacks them).</summary>
    Vector512 = 5,
}
