using System.Globalization;

namespace ProvenanceSet.Cli.Results;

/// <summary>
/// What a result may claim, in words, for the terminal and the report: the statement α supports for the
/// variant that ran and the assumptions it rests on, or, when a check of those assumptions failed on this
/// data, a warning that names the failed assumption instead of a confidence statement.
/// </summary>
internal static class Guarantee
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The assumption checks that failed on this data.</summary>
    public static IReadOnlyList<AssumptionCheck> Failed(ProvenanceResult result) => [.. result.Assumptions.Where(a => !a.Holds)];

    /// <summary>The warning that replaces the confidence statement, or null when every check held.</summary>
    public static string? Warning(ProvenanceResult result)
    {
        var failed = Failed(result);
        if (failed.Count == 0)
        {
            return null;
        }

        string names = string.Join(", ", failed.Select(a => $"'{a.Name}'"));
        string advice = result.Variant == ProvenanceVariant.Faithful
            ? "No confidence statement applies to this set: it may hold unrelated models. Use the real-pool method (--variant robust)."
            : "No candidate could be tested against the background; the set says nothing about the remaining candidates.";
        return $"Warning: the assumption {names} does not hold on this data. {advice}";
    }

    /// <summary>What α = <see cref="ProvenanceResult.Alpha"/> guarantees for this variant, with its assumptions.</summary>
    public static string Statement(ProvenanceResult result)
    {
        string confidence = (1 - result.Alpha).ToString("0.##%", Inv);
        string alpha = result.Alpha.ToString(Inv);
        if (result.Variant == ProvenanceVariant.Faithful)
        {
            return $"At confidence {confidence}, every model the target was derived from is in this set (asymptotically, "
                + "when the unrelated candidates are equally far from the target, the sources closer than all of them, and the prompts independent).";
        }

        string background = result.Background switch
        {
            RobustBackground.Normal => "the unrelated candidates' mean distances independent draws from one normal distribution",
            RobustBackground.StudentT4 => "the unrelated candidates' mean distances independent draws from one Student t4 distribution, or lighter-tailed",
            _ => "its mean distance a normal draw around the others', candidates the data cannot tell apart counted once; or all candidates exchangeable",
        };
        return $"alpha = {alpha} bounds the chance that an unrelated model enters the set when it is only one more draw from the background ({background}). "
            + "Sources are found when they stand out from that background: a question of the gap, not a guarantee.";
    }
}
