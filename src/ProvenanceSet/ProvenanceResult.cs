namespace ProvenanceSet;

/// <summary>
/// The outcome of <see cref="ModelProvenanceSet.Compute"/>: the provenance set, every step of the
/// sequential test, every candidate's inclusion p-value, the settings that produced it, and the
/// diagnostics a user must see.
/// </summary>
/// <remarks>
/// Records compare lists by reference; compare members when testing results for equality.
/// </remarks>
public sealed record ProvenanceResult
{
    /// <summary>Names of the candidates in the set, in order of inclusion.</summary>
    public required IReadOnlyList<string> Set { get; init; }

    /// <summary>0-based indices of the candidates in the set, in order of inclusion.</summary>
    public required IReadOnlyList<int> SetIndices { get; init; }

    /// <summary>Every step that ran, in order.</summary>
    public required IReadOnlyList<ProvenanceStep> Steps { get; init; }

    /// <summary>One entry per candidate, in the matrix's row order.</summary>
    public required IReadOnlyList<CandidateResult> Candidates { get; init; }

    /// <summary>The significance level used.</summary>
    public required double Alpha { get; init; }

    /// <summary>The Monte Carlo rounds R per step (0 in exact mode).</summary>
    public required int Permutations { get; init; }

    /// <summary>The seed used.</summary>
    public required ulong Seed { get; init; }

    /// <summary>The procedure that ran.</summary>
    public required ProvenanceVariant Variant { get; init; }

    /// <summary>Whether the p-values are exact (every relabelling enumerated).</summary>
    public required bool Exact { get; init; }

    /// <summary>Whether the full elimination path was run.</summary>
    public required bool FullPath { get; init; }

    /// <summary>The Monte Carlo p-value estimator used.</summary>
    public required PValueEstimator PValueEstimator { get; init; }

    /// <summary>Why the procedure stopped.</summary>
    public required StoppingReason StoppingReason { get; init; }

    /// <summary>Number of prompts N.</summary>
    public required int PromptCount { get; init; }

    /// <summary>Number of permutation groups G (N when prompts are not grouped).</summary>
    public required int GroupCount { get; init; }

    /// <summary>The target's name when the matrix carried it.</summary>
    public string? TargetName { get; init; }

    /// <summary>The distance the matrix was computed with, when known (set by callers that computed it, e.g. the audit command).</summary>
    public string? Distance { get; init; }

    /// <summary>Warnings about degenerate data and what the library did about them.</summary>
    public required IReadOnlyList<string> Diagnostics { get; init; }

    /// <summary>
    /// Checks of the variant's assumptions on this data (empty when none apply). When one does not hold,
    /// the set's guarantee does not hold either: read its detail before using the set.
    /// </summary>
    public IReadOnlyList<AssumptionCheck> Assumptions { get; init; } = [];

    /// <summary>The robust variant's null calibration (null for the faithful variant).</summary>
    public RobustBackground? Background { get; init; }
}

/// <summary>A check of one of the procedure's assumptions on the data at hand.</summary>
/// <param name="Name">A stable kebab-case name, e.g. <c>equidistant-background</c>.</param>
/// <param name="Holds">Whether the data are consistent with the assumption.</param>
/// <param name="Detail">What was checked, what was found, and what to do when it does not hold.</param>
public sealed record AssumptionCheck(string Name, bool Holds, string Detail);

/// <summary>One test of the sequential procedure.</summary>
public sealed record ProvenanceStep
{
    /// <summary>0-based step index.</summary>
    public required int Index { get; init; }

    /// <summary>The closest remaining candidate i* (lowest <see cref="CandidateStatistics"/> value), tested for inclusion in this step.</summary>
    public required string Candidate { get; init; }

    /// <summary>0-based row index of <see cref="Candidate"/>.</summary>
    public required int CandidateIndex { get; init; }

    /// <summary>Candidates under test in this step (m).</summary>
    public required int ActiveCount { get; init; }

    /// <summary>
    /// The step's observed statistic, the lowest of <see cref="CandidateStatistics"/>: faithful variant, T = min t_i over
    /// the studentized mean differences; robust variant, the closest candidate's robust z-score against the background
    /// of the others. Written to the result JSON as <c>tStatistic</c> in both variants.
    /// </summary>
    public required double Statistic { get; init; }

    /// <summary>Row indices of the active candidates, ascending.</summary>
    public required IReadOnlyList<int> ActiveCandidates { get; init; }

    /// <summary>
    /// Every active candidate's statistic in this step, aligned with <see cref="ActiveCandidates"/>: its t-statistic
    /// (faithful variant) or its robust z-score (robust variant). Written to the result JSON as <c>tStatistics</c>.
    /// </summary>
    public required IReadOnlyList<double> CandidateStatistics { get; init; }

    /// <summary>This step's permutation p-value p.</summary>
    public required double PValue { get; init; }

    /// <summary>The running maximum p̃ = max(p̃ of the previous step, p).</summary>
    public required double PValueMonotone { get; init; }

    /// <summary>Whether <see cref="Candidate"/> entered the set (p̃ ≤ α).</summary>
    public required bool Included { get; init; }

    /// <summary>Permutation rounds (or exact relabellings) that ran.</summary>
    public required long PermutationsRun { get; init; }

    /// <summary>B = #{T* ≤ T} among the rounds that ran (the identity included in exact mode).</summary>
    public required long ExceedanceCount { get; init; }

    /// <summary>How many of the null statistics tie with T = <see cref="Statistic"/> (counted as T* ≤ T).</summary>
    public required long TieCount { get; init; }

    /// <summary>
    /// The null distribution of <see cref="Statistic"/>: one value T*_r for every round that ran, in round order (permuted
    /// t minima for the faithful variant, simulated z-scores for the robust one).
    /// </summary>
    public required IReadOnlyList<double> NullStatistics { get; init; }

    /// <summary>
    /// Robust variant, clustered calibration: the p-value of the robust z against the simulated
    /// background (<see cref="PValue"/> is the larger of this and <see cref="PermutationPValue"/>). Null otherwise.
    /// </summary>
    public double? BackgroundPValue { get; init; }

    /// <summary>
    /// Robust variant, clustered calibration: the faithful permutation test's p-value on the same active
    /// candidates (exact when they are exchangeable). Null otherwise.
    /// </summary>
    public double? PermutationPValue { get; init; }

    /// <summary>
    /// Robust variant, clustered calibration: how many groups of candidates that the data cannot tell apart
    /// the active candidates form (each counts as one draw from the background). Null otherwise.
    /// </summary>
    public int? BackgroundGroups { get; init; }
}

/// <summary>One candidate's outcome.</summary>
public sealed record CandidateResult
{
    /// <summary>0-based row index.</summary>
    public required int Index { get; init; }

    /// <summary>The candidate's name.</summary>
    public required string Name { get; init; }

    /// <summary>The candidate's mean distance to the target over all prompts, in the input's units.</summary>
    public required double MeanDistance { get; init; }

    /// <summary>
    /// The candidate's statistic at the first step (all candidates active): its t-statistic (faithful variant) or its
    /// robust z-score (robust variant). Written to the result JSON as <c>tStatisticFirstStep</c>.
    /// </summary>
    public required double FirstStepStatistic { get; init; }

    /// <summary>
    /// The inclusion p-value p̃_i: the running maximum at the step that tested this candidate, 1 for
    /// candidates never tested. The set for any α is {i : p̃_i ≤ α} when the full path ran.
    /// </summary>
    public required double InclusionPValue { get; init; }

    /// <summary>NI-Score = 1 − p̃_i: the highest confidence level 1 − α at which the candidate is in the set.</summary>
    public required double NiScore { get; init; }

    /// <summary>Whether the candidate is in the set.</summary>
    public required bool InSet { get; init; }

    /// <summary>1-based position in the set, or null when not in the set.</summary>
    public int? SetRank { get; init; }
}

/// <summary>Why the sequential procedure stopped.</summary>
public enum StoppingReason
{
    /// <summary>A test did not reject (p̃ &gt; α): the remaining candidates are indistinguishable.</summary>
    NotRejected = 0,

    /// <summary>Every test rejected until one candidate was left, which cannot be tested alone.</summary>
    OneCandidateLeft = 1,

    /// <summary>The full path ran to one remaining candidate; the set is {i : p̃_i ≤ α}.</summary>
    FullPathCompleted = 2,

    /// <summary>The robust variant ran out of candidates to estimate the background from (fewer than 4 remain).</summary>
    BackgroundTooSmall = 3,

    /// <summary>
    /// The robust variant's clustered calibration found fewer than 4 groups of candidates that the data can tell
    /// apart, too few to estimate the background's spread: nothing more can enter the set.
    /// </summary>
    TooFewBackgroundGroups = 4,
}
