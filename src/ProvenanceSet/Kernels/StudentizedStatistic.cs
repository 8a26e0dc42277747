using System.Runtime.CompilerServices;

namespace ProvenanceSet.Kernels;

/// <summary>
/// The studentized statistic of one candidate from its sums over prompts:
/// ē = S1/N, s² = (S2 − S1·ē)/(N − 1), t = ē / sqrt(s²/N).
/// Observed and permuted statistics both go through these methods, so a relabelling that
/// reproduces the observed sums reproduces T bit for bit.
/// </summary>
internal static class StudentizedStatistic
{
    /// <summary>
    /// A sample variance at or below this fraction of the mean square S2/N counts as zero: the
    /// candidate's relative distance is constant across prompts (up to rounding), and t becomes
    /// ±∞ (or 0 when the mean is 0 too) instead of a rounding artefact.
    /// </summary>
    public const double RelativeVarianceFloor = 1e-12;

    /// <summary>Relative tolerance under which a permuted T* counts as a tie with T (T* ≤ T + ε|T|).</summary>
    public const double TieTolerance = 1e-10;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double TValue(double s1, double s2, int n)
    {
        double mean = s1 / n;
        double variance = (s2 - (s1 * mean)) / (n - 1);
        if (variance <= RelativeVarianceFloor * (s2 / n))
        {
            return mean == 0 ? 0 : mean < 0 ? double.NegativeInfinity : double.PositiveInfinity;
        }

        return mean / Math.Sqrt(variance / n);
    }

    /// <summary>
    /// min_k t_k over the sums at <c>s1[k·stride]</c>, <c>s2[k·stride]</c>; returns the first index attaining it (lowest
    /// position = lowest original index).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from its first calls: no time in unoptimised code
    public static double Min(ReadOnlySpan<double> s1, ReadOnlySpan<double> s2, int n, out int argMin, int stride = 1)
    {
        double min = double.PositiveInfinity;
        argMin = 0;
        for (int k = 0; k * stride < s1.Length; k++)
        {
            double t = TValue(s1[k * stride], s2[k * stride], n);
            if (t < min)
            {
                min = t;
                argMin = k;
            }
        }

        return min;
    }

    /// <summary>Writes every t_k into <paramref name="t"/>.</summary>
    public static void Vector(ReadOnlySpan<double> s1, ReadOnlySpan<double> s2, int n, Span<double> t)
    {
        for (int k = 0; k < s1.Length; k++)
        {
            t[k] = TValue(s1[k], s2[k], n);
        }
    }

    /// <summary>The comparison threshold: T* counts as "at most T" when T* ≤ this value.</summary>
    public static double CountThreshold(double observed) =>
        double.IsFinite(observed) ? observed + (TieTolerance * Math.Abs(observed)) : observed;
}
