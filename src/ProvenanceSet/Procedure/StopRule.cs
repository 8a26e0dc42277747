using MathNet.Numerics;

namespace ProvenanceSet.Procedure;

/// <summary>
/// Decides, round by round in round order, whether a step's Monte Carlo rounds may stop early
/// (<see cref="EarlyStopping"/>). Evaluated on the prefix of rounds 1..r, so where a step stops does
/// not depend on threads or batches.
/// </summary>
internal abstract class StopRule
{
    /// <summary>True when the step may stop after <paramref name="roundsRun"/> rounds with <paramref name="atMost"/> = #{T* ≤ T} among them.</summary>
    public abstract bool ShouldStop(long roundsRun, long atMost);

    /// <summary>The rule for a Monte Carlo step with R = <paramref name="rounds"/>, or null when every round runs.</summary>
    public static StopRule? For(ProvenanceOptions options, long rounds)
    {
        if (options.Exact || options.FullPath || options.EarlyStopping == EarlyStopping.None)
        {
            return null;
        }

        var decided = new WhenDecidedRule(options.Alpha, rounds, options.PValueEstimator);
        return options.EarlyStopping == EarlyStopping.Sequential
            ? new SequentialRule(decided, options.Alpha, options.ResamplingRisk, options.PValueEstimator)
            : decided;
    }

    /// <summary>The p-value a step reports from the rounds it ran (the usual estimator with R = rounds run).</summary>
    public static double PValue(long atMost, long roundsRun, PValueEstimator estimator) =>
        estimator == PValueEstimator.PlusOne ? (1.0 + atMost) / (roundsRun + 1.0) : (double)atMost / roundsRun;

    /// <summary>
    /// Stop when p &gt; α is certain: even if no later round reached T, the full run's p would exceed α.
    /// p from all R rounds is non-decreasing in the final count, and the final count is at least the count so far.
    /// </summary>
    private sealed class WhenDecidedRule(double alpha, long rounds, PValueEstimator estimator) : StopRule
    {
        public override bool ShouldStop(long roundsRun, long atMost) => PValue(atMost, rounds, estimator) > alpha;
    }

    /// <summary>
    /// Two one-sided anytime-valid tests of the ideal p-value π against α. With a uniform prior on
    /// q ∈ [0, α), L_&lt; = (∫ q^B (1−q)^(r−B) dq / α) / (α^B (1−α)^(r−B)) is a non-negative supermartingale
    /// whenever π ≥ α, so by Ville's inequality Pr(sup_r L_&lt; ≥ 1/ε) ≤ ε; symmetrically L_&gt; with a
    /// uniform prior on (α, 1] for π ≤ α. A step stops "significant" when L_&lt; ≥ 1/ε and the reported
    /// p is ≤ α, "not significant" when L_&gt; ≥ 1/ε and the reported p is &gt; α (or when that is certain).
    /// </summary>
    private sealed class SequentialRule(StopRule decided, double alpha, double risk, PValueEstimator estimator) : StopRule
    {
        private readonly double _logBound = Math.Log(1 / risk);

        public override bool ShouldStop(long roundsRun, long atMost)
        {
            if (decided.ShouldStop(roundsRun, atMost))
            {
                return true;
            }

            double p = PValue(atMost, roundsRun, estimator);
            double a = atMost + 1.0, b = roundsRun - atMost + 1.0;
            double logNull = (atMost * Math.Log(alpha)) + ((roundsRun - atMost) * Math.Log(1 - alpha));
            double logBeta = SpecialFunctions.BetaLn(a, b);
            if (p <= alpha)
            {
                double below = SpecialFunctions.BetaRegularized(a, b, alpha);
                return below > 0 && logBeta + Math.Log(below) - Math.Log(alpha) - logNull >= _logBound;
            }

            // 1 − I_α(a, b) = I_(1−α)(b, a), computed directly for accuracy.
            double above = SpecialFunctions.BetaRegularized(b, a, 1 - alpha);
            return above > 0 && logBeta + Math.Log(above) - Math.Log(1 - alpha) - logNull >= _logBound;
        }
    }
}
