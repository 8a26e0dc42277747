using System.Globalization;
using System.Text.Json.Serialization;

namespace ProvenanceSet;

/// <summary>
/// How the procedure runs. An immutable record: change a copy with <c>with</c>,
/// e.g. <c>ProvenanceOptions.Default with { Alpha = 0.01 }</c>.
/// </summary>
public sealed record ProvenanceOptions
{
    /// <summary>The defaults: α = 0.05, R = 1000, seed 0, plus-one p-values, all cores.</summary>
    public static ProvenanceOptions Default { get; } = new();

    /// <summary>
    /// Significance level α ∈ (0, 1). Default 0.05. What it controls depends on the variant:
    /// faithful, the set contains every true source with probability at least 1 − α (asymptotically, when
    /// the unrelated candidates are equally far from the target and the sources closer);
    /// robust, each step includes a candidate that is one more draw from the background of unrelated
    /// candidates with probability at most α, so an unrelated candidate enters the set after the sources
    /// (or with no source in the pool) with probability at most α; whether the sources are found depends on
    /// how far they stand out from that background (a power question, not a guarantee).
    /// </summary>
    public double Alpha { get; init; } = 0.05;

    /// <summary>Permutation rounds R per step (Monte Carlo). Default 1000. Ignored when <see cref="Exact"/> is set.</summary>
    public int Permutations { get; init; } = 1000;

    /// <summary>
    /// Seed of the library's own generator (xoshiro256** seeded through SplitMix64). The same seed
    /// gives bit-identical results on any number of threads. Default 0.
    /// </summary>
    public ulong Seed { get; init; }

    /// <summary>
    /// Keep eliminating after the first non-rejection until one candidate is left, so that every
    /// candidate gets an inclusion p-value p̃ and the set for any α is {i : p̃_i ≤ α}. Default false.
    /// </summary>
    public bool FullPath { get; init; }

    /// <summary>
    /// Enumerate every relabelling instead of sampling: the exact permutation p-value
    /// #{T* ≤ T} / (m!)^G with G = prompts (or groups). Refused when the first step has more than
    /// <see cref="MaxExactRelabellings"/> relabellings. Default false.
    /// </summary>
    public bool Exact { get; init; }

    /// <summary>How a Monte Carlo p-value is formed from the permutation counts. Default <see cref="PValueEstimator.PlusOne"/>.</summary>
    public PValueEstimator PValueEstimator { get; init; } = PValueEstimator.PlusOne;

    /// <summary>
    /// Optional group key of every prompt, in prompt order: prompts with the same key are permuted
    /// together (one relabelling per group), which keeps the test valid when prompts within a group
    /// are correlated. Null (default): every prompt is its own group.
    /// </summary>
    public IReadOnlyList<int>? PromptGroups { get; init; }

    /// <summary>The most threads to use; -1 (default) uses every core. Results do not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    /// <summary>Which procedure runs. Default <see cref="ProvenanceVariant.Faithful"/>.</summary>
    public ProvenanceVariant Variant { get; init; } = ProvenanceVariant.Faithful;

    /// <summary>
    /// How the robust variant calibrates its null (ignored by the faithful variant).
    /// Default <see cref="RobustBackground.Clustered"/>.
    /// </summary>
    public RobustBackground Background { get; init; } = RobustBackground.Clustered;

    /// <summary>
    /// Which kernel computes the permutation rounds (tests and benchmarks only). Default <see cref="Kernels.KernelChoice.Auto"/>:
    /// the fastest kernel the CPU runs in hardware. Results do not depend on it (every kernel gives the same bits).
    /// </summary>
    internal Kernels.KernelChoice Kernel { get; init; } = Kernels.KernelChoice.Auto;

    /// <summary>
    /// When a step may stop its rounds early. Default <see cref="EarlyStopping.WhenDecided"/>: as soon as
    /// p &gt; α is certain, which never changes the set. Ignored with <see cref="FullPath"/> and <see cref="Exact"/>.
    /// </summary>
    public EarlyStopping EarlyStopping { get; init; } = EarlyStopping.WhenDecided;

    /// <summary>
    /// The resampling risk ε of <see cref="EarlyStopping.Sequential"/>, in (0, 1): the most probable that an
    /// early decision lands on the other side of α than the ideal (infinitely many rounds) p-value.
    /// Default 0.001. Unused by the other early-stopping modes.
    /// </summary>
    public double ResamplingRisk { get; init; } = 0.001;

    /// <summary>The most relabellings exact mode enumerates in one step (10^6).</summary>
    public const long MaxExactRelabellings = 1_000_000;

    /// <summary>
    /// Checks every setting that does not depend on the data; <see cref="ModelProvenanceSet.Compute"/> calls it first.
    /// The exception's <see cref="ArgumentException.ParamName"/> is the property's name, and its message starts with it.
    /// </summary>
    /// <returns>This record, for chaining.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="Alpha"/> or <see cref="ResamplingRisk"/> is outside (0, 1),
    /// <see cref="Permutations"/> is below 1, <see cref="MaxDegreeOfParallelism"/> is 0 or below −1, or an enum setting is undefined.</exception>
    public ProvenanceOptions Validate()
    {
        if (!(Alpha > 0 && Alpha < 1))
        {
            throw OutOfRange(nameof(Alpha), string.Create(CultureInfo.InvariantCulture, $"must lie strictly between 0 and 1, got {Alpha}."));
        }

        if (Permutations < 1)
        {
            throw OutOfRange(nameof(Permutations), $"must be at least 1, got {Permutations}.");
        }

        if (MaxDegreeOfParallelism is 0 or < -1)
        {
            throw OutOfRange(nameof(MaxDegreeOfParallelism), $"must be -1 (all cores) or at least 1, got {MaxDegreeOfParallelism}.");
        }

        if (!(ResamplingRisk > 0 && ResamplingRisk < 1))
        {
            throw OutOfRange(nameof(ResamplingRisk), string.Create(CultureInfo.InvariantCulture, $"must lie strictly between 0 and 1, got {ResamplingRisk}."));
        }

        CheckDefined(PValueEstimator, nameof(PValueEstimator));
        CheckDefined(Variant, nameof(Variant));
        CheckDefined(Background, nameof(Background));
        CheckDefined(Kernel, nameof(Kernel));
        CheckDefined(EarlyStopping, nameof(EarlyStopping));
        return this;
    }

    private static void CheckDefined<TEnum>(TEnum value, string name)
        where TEnum : struct, Enum
    {
        if (!Enum.IsDefined(value))
        {
            throw OutOfRange(name, $"must be a defined {typeof(TEnum).Name}, got {value}.");
        }
    }

    // The message names the property first, so that a caller with other names for the settings (the command line) can swap it.
    private static ArgumentOutOfRangeException OutOfRange(string name, string problem) => new(name, $"{name} {problem}");
}

/// <summary>How a Monte Carlo permutation p-value is formed from B = #{r : T*_r ≤ T} out of R rounds.</summary>
public enum PValueEstimator
{
    /// <summary>(1 + B) / (R + 1): a valid p-value for any R (Pr(p ≤ u) ≤ u under the null). The default.</summary>
    PlusOne = 0,

    /// <summary>B / R, the plain proportion: can be 0 and is anti-conservative for small R. For comparison only.</summary>
    Proportion = 1,
}

/// <summary>Which procedure <see cref="ModelProvenanceSet.Compute"/> runs.</summary>
public enum ProvenanceVariant
{
    /// <summary>The MPS procedure as the paper defines it: null "all remaining candidates are equally far from the target".</summary>
    Faithful = 0,

    /// <summary>
    /// Background-robust: null "the closest remaining candidate is one more draw from the background
    /// of the others", tested with a z-score of its mean distance against the others' mean distances
    /// (without their lowest values, where other sources sit), calibrated by simulation (see
    /// <see cref="RobustBackground"/>). Stays useful on real pools, where unrelated candidates are not
    /// equidistant from the target. Needs at least 4 candidates.
    /// </summary>
    Robust = 1,
}

/// <summary>How the robust variant calibrates the null distribution of its z-score.</summary>
public enum RobustBackground
{
    /// <summary>
    /// The earlier calibration: the candidates' mean distances as i.i.d. normal draws (the others without their
    /// lowest quarter form the background). Exact when they are; anti-conservative for model families,
    /// unequal noise, discrete distances and heavy tails.
    /// </summary>
    Normal = 0,

    /// <summary>As <see cref="Normal"/> with Student t₄ draws: heavier tails, conservative for a normal background.</summary>
    [JsonStringEnumMemberName("t4")]
    StudentT4 = 1,

    /// <summary>
    /// The default: candidates that the data cannot tell apart (means within one standard error of their
    /// difference) form a group that counts as one draw from the background; group effects, own effects and each
    /// candidate's own sampling noise are simulated (the others without their lowest eighth form the background).
    /// A step's p-value is the larger of that and the faithful permutation test's on the same candidates, so it is
    /// also exact when the candidates are exchangeable. Fewer than 4 groups: nothing can be included.
    /// </summary>
    Clustered = 2,
}
