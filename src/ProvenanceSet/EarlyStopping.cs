using System.Text.Json.Serialization;

namespace ProvenanceSet;

/// <summary>
/// When a step may stop its permutation rounds before <see cref="ProvenanceOptions.Permutations"/>.
/// Early stopping never applies with <see cref="ProvenanceOptions.FullPath"/> (every inclusion p-value
/// is then computed from all R rounds, so the set for every α stays exact) nor in exact mode.
/// See docs/algorithm.md, "Early stopping".
/// </summary>
public enum EarlyStopping
{
    /// <summary>Every step runs all R rounds.</summary>
    None = 0,

    /// <summary>
    /// The default. A step stops as soon as the count B = #{T* ≤ T} of the rounds run makes p &gt; α
    /// certain, i.e. (1 + B)/(R + 1) &gt; α (plus-one) or B/R &gt; α (proportion), whatever the remaining
    /// rounds would give. The decision, the set and every included candidate's p-values are identical to
    /// <see cref="None"/>; the stopped step reports the rounds it ran and p from them (which exceeds α).
    /// </summary>
    [JsonStringEnumMemberName("decided")]
    WhenDecided = 1,

    /// <summary>
    /// Opt-in sequential Monte Carlo test: in addition to <see cref="WhenDecided"/>, a step stops as soon
    /// as an anytime-valid test (a uniform-prior mixture likelihood ratio against p = α, Ville's
    /// inequality) shows at risk <see cref="ProvenanceOptions.ResamplingRisk"/> which side of α the
    /// ideal permutation p-value lies on. For any ideal p-value the chance that such an early decision is
    /// on the wrong side is at most the risk; the level of each test becomes at most α + risk. p and the
    /// rounds run are reported from the rounds that ran. Saves most rounds on clearly significant steps.
    /// </summary>
    Sequential = 2,
}
