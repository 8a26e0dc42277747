using MathNet.Numerics.Distributions;
using ProvenanceSet.Data;
using ProvenanceSet.Procedure;

namespace ProvenanceSet.Evaluation;

/// <summary>A way to pick the candidates a target was derived from, given a distance matrix.</summary>
internal abstract record Method(string Name)
{
    /// <summary>The set at each requested level, in order of inclusion; index i of the result belongs to alphas[i].</summary>
    public abstract IReadOnlyList<int>[] Sets(DistanceMatrix matrix, IReadOnlyList<double> alphas, ulong seed);

    public override string ToString() => Name;
}

/// <summary>The library's procedure; one run at the largest alpha gives the set at every smaller alpha.</summary>
internal sealed record MpsMethod(string Label, ProvenanceVariant Variant, int Rounds, IReadOnlyList<int>? Groups = null,
    RobustBackground Background = RobustBackground.Clustered, int Threads = -1) : Method(Label)
{
    public override IReadOnlyList<int>[] Sets(DistanceMatrix matrix, IReadOnlyList<double> alphas, ulong seed)
    {
        var result = ModelProvenanceSet.Compute(matrix, ProvenanceOptions.Default with
        {
            Variant = Variant,
            Alpha = alphas.Max(),
            Permutations = Rounds,
            Seed = seed,
            PromptGroups = Groups,
            Background = Background,
            MaxDegreeOfParallelism = Threads,
        });

        // The steps test candidates in inclusion order, each with its running-maximum p-value.
        return [.. alphas.Select(a => (IReadOnlyList<int>)[.. result.Steps.Where(s => s.PValueMonotone <= a).Select(s => s.CandidateIndex)])];
    }
}

/// <summary>Statistics of the lowest of m mean distances against the others, for the alternatives the evaluation compares.</summary>
internal static class LowestZ
{
    /// <summary>(x_min − median(others)) / (1.4826 · MAD(others)).</summary>
    public static double MedianMad(double[] values, out int argMin)
    {
        argMin = Array.IndexOf(values, values.Min());
        int k = argMin;
        double[] others = [.. values.Where((_, i) => i != k)];
        double median = MathNet.Numerics.Statistics.ArrayStatistics.MedianInplace([.. others]);
        double mad = 1.482602218505602 * MathNet.Numerics.Statistics.ArrayStatistics.MedianInplace([.. others.Select(v => Math.Abs(v - median))]);
        return mad > 0 ? (values[k] - median) / mad : double.NegativeInfinity;
    }

    /// <summary>(x_min − mean(others)) / sd(others), untrimmed (a Grubbs-type statistic).</summary>
    public static double MeanSd(double[] values, out int argMin)
    {
        argMin = Array.IndexOf(values, values.Min());
        int k = argMin;
        double[] others = [.. values.Where((_, i) => i != k)];
        double sd = MathNet.Numerics.Statistics.ArrayStatistics.StandardDeviation(others);
        return sd > 0 ? (values[k] - others.Average()) / sd : double.NegativeInfinity;
    }

    /// <summary>The library's statistic (others without their lowest quarter).</summary>
    public static double Trimmed(double[] values, out int argMin) => RobustStep.Statistic(values, RobustStep.IidLowTrim, new double[values.Length], out argMin);
}

/// <summary>A z of the lowest mean distance, run through the same sequential loop with a given p-value rule.</summary>
internal abstract record LowestZMethod(string Label, LowestZMethod.Statistic Z) : Method(Label)
{
    public delegate double Statistic(double[] values, out int argMin);

    protected abstract double PValue(double z, int m);

    public override IReadOnlyList<int>[] Sets(DistanceMatrix matrix, IReadOnlyList<double> alphas, ulong seed)
    {
        var means = Enumerable.Range(0, matrix.CandidateCount).Select(i => matrix.GetRow(i).ToArray().Average()).ToArray();
        var active = Enumerable.Range(0, matrix.CandidateCount).ToList();
        var path = new List<(int Candidate, double P)>();
        double runningMax = 0;
        while (active.Count >= RobustStep.MinimumActive && runningMax <= alphas.Max())
        {
            double z = Z([.. active.Select(i => means[i])], out int k);
            runningMax = Math.Max(runningMax, PValue(z, active.Count));
            path.Add((active[k], runningMax));
            active.RemoveAt(k);
        }

        return [.. alphas.Select(a => (IReadOnlyList<int>)[.. path.Where(x => x.P <= a).Select(x => x.Candidate)])];
    }
}

/// <summary>
/// The median/MAD z with a textbook reference instead of a calibrated one: p = 1 − (1 − Φ(z))^m
/// (normal tail, Šidák correction for the minimum of m). Kept to show why it was not chosen.
/// </summary>
internal sealed record SidakRobustMethod() : LowestZMethod("median/MAD z, normal + Sidak", LowestZ.MedianMad)
{
    protected override double PValue(double z, int m) => 1 - Math.Pow(1 - Normal.CDF(0, 1, z), m);
}

/// <summary>A z of the lowest mean distance calibrated like the library's: its null simulated from m standard normals (cached per m).</summary>
internal sealed record CalibratedZMethod(string Name, LowestZMethod.Statistic Compute, int Rounds) : LowestZMethod(Name, Compute)
{
    private readonly Dictionary<int, double[]> _nulls = [];

    protected override double PValue(double z, int m)
    {
        if (!_nulls.TryGetValue(m, out var sorted))
        {
            var rng = new ProvenanceSet.Randomness.StreamRandom((ulong)m * 7919);
            sorted = [.. Enumerable.Range(0, Rounds).Select(_ => Compute([.. Enumerable.Range(0, m).Select(_ => Normal.Sample(rng, 0, 1))], out _)).Order()];
            _nulls[m] = sorted;
        }

        int atMost = sorted.Count(v => v <= z);
        return (1.0 + atMost) / (Rounds + 1.0);
    }
}

/// <summary>Plain nearest candidate: always exactly one, whatever the evidence.</summary>
internal sealed record NearestMethod() : Method("nearest candidate")
{
    public override IReadOnlyList<int>[] Sets(DistanceMatrix matrix, IReadOnlyList<double> alphas, ulong seed)
    {
        int best = Enumerable.Range(0, matrix.CandidateCount).MinBy(i => matrix.GetRow(i).ToArray().Average());
        return [.. alphas.Select(_ => (IReadOnlyList<int>)[best])];
    }
}

/// <summary>
/// The test of Nikolic, Baluta and Saxena ("Model Provenance Testing for Large Language Models",
/// 2025) in its set-valued reading: the closest candidate is declared the parent when it is
/// significantly closer than every other candidate (one-sided paired t-tests on per-prompt
/// distances, Holm-corrected at alpha); otherwise no parent. One parent or none.
/// </summary>
internal sealed record HolmBestMethod() : Method("best vs each, Holm")
{
    public override IReadOnlyList<int>[] Sets(DistanceMatrix matrix, IReadOnlyList<double> alphas, ulong seed)
    {
        int m = matrix.CandidateCount, n = matrix.PromptCount;
        int best = Enumerable.Range(0, m).MinBy(i => matrix.GetRow(i).ToArray().Average());
        var bestRow = matrix.GetRow(best).ToArray();
        var pValues = new List<double>();
        for (int j = 0; j < m; j++)
        {
            if (j == best)
            {
                continue;
            }

            var row = matrix.GetRow(j);
            var differences = new double[n];
            for (int t = 0; t < n; t++)
            {
                differences[t] = row[t] - bestRow[t];
            }

            double mean = differences.Average();
            double sd = MathNet.Numerics.Statistics.Statistics.StandardDeviation(differences);
            double statistic = sd > 0 ? mean / (sd / Math.Sqrt(n)) : mean > 0 ? double.PositiveInfinity : 0;
            pValues.Add(1 - StudentT.CDF(0, 1, n - 1, statistic));
        }

        pValues.Sort();
        return [.. alphas.Select(a =>
        {
            // Holm: reject all when p_(k) <= a / (K − k + 1) for every k in order.
            bool all = pValues.Select((p, k) => p <= a / (pValues.Count - k)).All(x => x);
            return (IReadOnlyList<int>)(all ? [best] : []);
        })];
    }
}
