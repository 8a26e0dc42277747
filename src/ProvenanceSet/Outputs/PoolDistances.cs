using ProvenanceSet.Data;

namespace ProvenanceSet.Outputs;

/// <summary>
/// A pool's distances: for every prompt, the distance of every pair of models whose outputs some
/// target's matrix needs, computed once. <see cref="ForTarget"/> builds a target's matrix from them
/// exactly as an audit of that target computes it (same alignment, same order of sums: bit-identical).
/// </summary>
public sealed class PoolDistances
{
    private readonly Dictionary<string, int> _modelIndex = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _promptIndex = new(StringComparer.Ordinal);
    private readonly Dictionary<string, OutputAlignment> _alignments = new(StringComparer.Ordinal);

    // Per prompt, the upper triangle of the model-by-model distances (NaN where not needed).
    private readonly double[][] _pairs;
    private readonly bool _normalize;
    private readonly string _name;

    internal PoolDistances(
        string name, IReadOnlyList<string> models, IReadOnlyList<string> prompts, IReadOnlyList<OutputAlignment> alignments, double[][] pairs, bool normalize,
        FingerprintCounts fingerprints)
    {
        Fingerprints = fingerprints;
        _name = name;
        Models = models;
        Prompts = prompts;
        for (int i = 0; i < models.Count; i++)
        {
            _modelIndex[models[i]] = i;
        }

        for (int t = 0; t < prompts.Count; t++)
        {
            _promptIndex[prompts[t]] = t;
        }

        foreach (var alignment in alignments)
        {
            _alignments[alignment.Target] = alignment;
        }

        Targets = [.. alignments.Select(a => a.Target)];
        _pairs = pairs;
        _normalize = normalize;
    }

    /// <summary>Every model whose outputs were used, in order of first appearance in the outputs.</summary>
    public IReadOnlyList<string> Models { get; }

    /// <summary>The targets, in the request's order.</summary>
    public IReadOnlyList<string> Targets { get; }

    /// <summary>Every prompt some target's matrix uses.</summary>
    public IReadOnlyList<string> Prompts { get; }

    /// <summary>How the pool's outputs got their fingerprints: computed, from the cache, or shared with identical content.</summary>
    public FingerprintCounts Fingerprints { get; }

    /// <summary>The provider's name (e.g. "token-edit@20/cl100k").</summary>
    public string DistanceName => _name;

    /// <summary>The distance matrix of one target against its candidates (the pool minus the target), as an audit computes it.</summary>
    /// <param name="target">One of <see cref="Targets"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="target"/> is not a target of this pool.</exception>
    public OutputDistances ForTarget(string target)
    {
        if (!_alignments.TryGetValue(target, out var alignment))
        {
            throw new ArgumentException($"'{target}' is not a target of this pool.", nameof(target));
        }

        int m = alignment.Candidates.Length, n = alignment.Prompts.Length;
        int x = _modelIndex[target];
        int[] rows = [.. alignment.Candidates.Select(c => _modelIndex[c])];
        var values = new double[m, n];
        var toOthers = new double[m];
        for (int t = 0; t < n; t++)
        {
            double[] pairs = _pairs[_promptIndex[alignment.Prompts[t]]];
            for (int i = 0; i < m; i++)
            {
                values[i, t] = pairs[Pair(x, rows[i])];
            }

            if (_normalize)
            {
                // Each candidate's mean distance to the other candidates on this prompt, summed in candidate order.
                for (int i = 0; i < m; i++)
                {
                    double sum = 0;
                    for (int j = 0; j < m; j++)
                    {
                        if (j != i)
                        {
                            sum += pairs[Pair(rows[i], rows[j])];
                        }
                    }

                    toOthers[i] = sum;
                }

                for (int i = 0; i < m; i++)
                {
                    values[i, t] -= toOthers[i] / (m - 1);
                }
            }
        }

        var notes = new List<string>(alignment.Notes);
        if (_normalize)
        {
            notes.Add("Distances are pairwise-normalised: each candidate's mean distance to the other candidates on a prompt is subtracted.");
        }

        return new OutputDistances
        {
            Matrix = new DistanceMatrix(values, alignment.Candidates, alignment.Prompts) { TargetName = alignment.Target },
            PromptsDropped = alignment.PromptsDropped,
            PromptsBeyondLimit = alignment.PromptsBeyondLimit,
            Notes = notes,
            Fingerprints = Fingerprints,
        };
    }

    /// <summary>
    /// The mean distance between two models' outputs (not normalised): over <paramref name="a"/>'s aligned prompts
    /// when it is a target (so that it does not depend on the other targets screened with it), else over the
    /// prompts where both were needed; NaN when there is none.
    /// </summary>
    /// <param name="a">One model of <see cref="Models"/>.</param>
    /// <param name="b">Another model of <see cref="Models"/>.</param>
    public double MeanDistance(string a, string b)
    {
        int i = _modelIndex[a], j = _modelIndex[b];
        if (i == j)
        {
            return 0;
        }

        IEnumerable<double[]> prompts = _alignments.TryGetValue(a, out var alignment)
            ? alignment.Prompts.Select(p => _pairs[_promptIndex[p]])
            : _pairs;
        double sum = 0;
        int count = 0;
        foreach (double[] pairs in prompts)
        {
            double d = pairs[Pair(i, j)];
            if (!double.IsNaN(d))
            {
                sum += d;
                count++;
            }
        }

        return count == 0 ? double.NaN : sum / count;
    }

    /// <summary>Index of an unordered pair in a prompt's upper triangle.</summary>
    internal int Pair(int a, int b)
    {
        if (a > b)
        {
            (a, b) = (b, a);
        }

        int m = Models.Count;
        return (int)(((long)a * ((2 * m) - a - 1) / 2) + (b - a - 1));
    }

    /// <summary>Pairs in one prompt's upper triangle for <paramref name="models"/> models.</summary>
    internal static int PairCount(int models) => checked(models * (models - 1) / 2);
}
