namespace ProvenanceSet.Cli.Report;

/// <summary>
/// Agglomerative clustering with average linkage (UPGMA) on a symmetric distance matrix, for the order
/// of the heat map's rows: models that are close to each other end up next to each other.
/// </summary>
/// <remarks>
/// Unknown distances (NaN) are left out of the averages: the distance between two clusters is the mean
/// of the known distances between their members, and clusters with none known merge last. Ties go to the
/// pair with the lowest indices, so the order is the same on every run. O(n³), fine for the tens to
/// hundreds of models a screen holds.
/// </remarks>
internal static class AverageLinkage
{
    /// <summary>One merge: two clusters (by their first-appearance ids) joined at a distance.</summary>
    /// <param name="Left">The leaves of the cluster listed first.</param>
    /// <param name="Right">The leaves of the other cluster.</param>
    /// <param name="Distance">The average distance between them (+∞ when none was known).</param>
    public sealed record Merge(IReadOnlyList<int> Left, IReadOnlyList<int> Right, double Distance);

    /// <summary>The leaf order of the dendrogram and its merges, in the order they happened.</summary>
    /// <param name="Order">Every index once: within each merge, the cluster holding the earlier model comes first.</param>
    /// <param name="Merges">The n − 1 merges.</param>
    public sealed record Dendrogram(IReadOnlyList<int> Order, IReadOnlyList<Merge> Merges);

    /// <summary>Clusters the n items of an n × n distance matrix.</summary>
    public static Dendrogram Cluster(double[,] distances)
    {
        ArgumentNullException.ThrowIfNull(distances);
        int n = distances.GetLength(0);
        if (distances.GetLength(1) != n)
        {
            throw new ArgumentException($"The distance matrix must be square, got {n} × {distances.GetLength(1)}.", nameof(distances));
        }

        // Sums and counts of the known distances between clusters: merging adds them (exact average linkage with gaps).
        var sum = new double[n, n];
        var count = new long[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                // The mean of both directions, in case the matrix is not exactly symmetric.
                double a = distances[i, j], b = distances[j, i];
                double d = double.IsFinite(a) && double.IsFinite(b) ? (a + b) / 2 : double.IsFinite(a) ? a : b;
                if (i != j && double.IsFinite(d))
                {
                    sum[i, j] = d;
                    count[i, j] = 1;
                }
            }
        }

        var members = new List<int>?[n];
        for (int i = 0; i < n; i++)
        {
            members[i] = [i];
        }

        var merges = new List<Merge>(Math.Max(0, n - 1));
        for (int step = 1; step < n; step++)
        {
            int bestA = -1, bestB = -1;
            double best = double.PositiveInfinity;
            for (int a = 0; a < n; a++)
            {
                if (members[a] is null)
                {
                    continue;
                }

                for (int b = a + 1; b < n; b++)
                {
                    if (members[b] is null)
                    {
                        continue;
                    }

                    double d = count[a, b] > 0 ? sum[a, b] / count[a, b] : double.PositiveInfinity;
                    if (bestA < 0 || d < best)
                    {
                        best = d;
                        bestA = a;
                        bestB = b;
                    }
                }
            }

            // Cluster ids are the lowest index they hold, so bestA's cluster holds the earlier model.
            var left = members[bestA]!;
            var right = members[bestB]!;
            merges.Add(new Merge([.. left], [.. right], best));
            left.AddRange(right);
            members[bestB] = null;
            for (int c = 0; c < n; c++)
            {
                if (members[c] is not null && c != bestA)
                {
                    sum[bestA, c] = sum[c, bestA] = sum[bestA, c] + sum[bestB, c];
                    count[bestA, c] = count[c, bestA] = count[bestA, c] + count[bestB, c];
                }
            }
        }

        IReadOnlyList<int> order = n == 0 ? [] : [.. members[0]!];
        return new Dendrogram(order, merges);
    }
}
