using MathNet.Numerics.Distributions;
using ModelProvenance.Procedure;

namespace ModelProvenance.Evaluation;

/// <summary>A way to pick the candidates a target was derived from, given a distance matrix.</summary>
internal abstract record Method(string Name)
{
    /// <summary>The set at each requested level, in order of inclusion; index i of the result belongs to alphas[i].</summary>
    public abstract IReadOnlyList<int>[] Sets(DistanceMatrix matrix, IReadOnlyList<double> alphas, ulong seed);

    public override string ToString() => Name;
}

/// <summary>The library's procedure; one run at the largest alpha gives the set at every smaller alpha.</summary>
internal sealed record MpsMethod(string Label, ProvenanceVariant Variant, int Rounds, IReadOnlyList<int>? Groups = null,
    RobustBackground Background = RobustBackground.Normal) : Method(Label)
{
    public override IReadOnlyList<int>[] Sets(DistanceMatrix matrix, IReadOnlyList<double> alphas, ulong seed)
    {
        var result = ProvenanceSet.Compute(matrix, ProvenanceOptions.Default with
        {
            Variant = Variant,
            Alpha = alphas.Max(),
            Permutations = Rounds,
            Seed = seed,
            PromptGroups = Groups,
            Background = Background,
        });

        // The steps test candidates in inclusion order, each with its running-maximum p-value.
        return [.. alphas.Select(a => (IReadOnlyList<int>)[.. result.Steps.Where(s => s.PValueMonotone <= a).Select(s => s.CandidateIndex)])];
    }
}

/// <summary>
/// The robust z-score with a textbook reference instead of a calibrated one: p = 1 − (1 − Φ(z))^m
/// (normal tail, Šidák correction for the minimum of m). Kept to show why it was not chosen.
/// </summary>
internal sealed record SidakRobustMethod() : Method("robust z, normal + Sidak")
{
    public override IReadOnlyList<int>[] Sets(DistanceMatrix matrix, IReadOnlyList<double> alphas, ulong seed)
    {
        var means = Enumerable.Range(0, matrix.CandidateCount).Select(i => matrix.GetRow(i).ToArray().Average()).ToArray();
        var active = Enumerable.Range(0, matrix.CandidateCount).ToList();
        var path = new List<(int Candidate, double P)>();
        double runningMax = 0;
        while (active.Count >= RobustStep.MinimumActive)
        {
            double[] values = [.. active.Select(i => means[i])];
            double z = RobustStep.Statistic(values, new double[values.Length], out int k);
            double p = double.IsNaN(z) ? 1 : 1 - Math.Pow(1 - Normal.CDF(0, 1, z), values.Length);
            runningMax = Math.Max(runningMax, p);
            path.Add((active[k], runningMax));
            if (runningMax > alphas.Max())
            {
                break;
            }

            active.RemoveAt(k);
        }

        return [.. alphas.Select(a => (IReadOnlyList<int>)[.. path.Where(x => x.P <= a).Select(x => x.Candidate)])];
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
