namespace ProvenanceSet.Cli.Report;

/// <summary>
/// The screen's provenance graph, shared by the report's drawing and the DOT file: one node per model,
/// an edge from each set member to its target, and a single undirected edge for each mutual pair
/// (A in B's set and B in A's), whose direction the data cannot tell.
/// </summary>
/// <param name="Models">The nodes, in order of first appearance.</param>
/// <param name="Edges">One per set membership, in the order of the targets and their sets; a mutual pair is one
/// edge, marked, placed where its second membership is met.</param>
/// <param name="Family">Per model, its family (connected component with at least one edge, numbered in order of
/// first appearance from 0), or −1 when no set links it to another model.</param>
internal sealed record LineageGraph(IReadOnlyList<string> Models, IReadOnlyList<LineageEdge> Edges, IReadOnlyList<int> Family)
{
    // Light fills that keep dark text readable (ColorBrewer Set3/Paired); families beyond them reuse the colours.
    private static readonly string[] Palette = ["#a6cee3", "#b2df8a", "#fdbf6f", "#cab2d6", "#fb9a99", "#ffff99", "#8dd3c7", "#bebada", "#80b1d3", "#fccde5"];

    /// <summary>The fill of a family's nodes; light grey for models no set links to another.</summary>
    public static string Colour(int family) => family < 0 ? "#eeeeee" : Palette[family % Palette.Length];

    /// <summary>Builds the graph of a screen.</summary>
    /// <exception cref="ArgumentException">A target or set member that is not one of the screened models, or a model listed twice.</exception>
    public static LineageGraph From(ScreenReportData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (string model in data.Models)
        {
            if (!index.TryAdd(model, index.Count))
            {
                throw new ArgumentException($"The model '{model}' is listed twice.", nameof(data));
            }
        }

        int Index(string name, string role) => index.TryGetValue(name, out int i)
            ? i
            : throw new ArgumentException($"The {role} '{name}' is not one of the screened models.", nameof(data));

        // NI-Score of source s in target t's set, for every set membership.
        var membership = new Dictionary<(int Source, int Target), double>();
        var order = new List<(int Source, int Target)>();
        foreach (var (target, result) in data.Targets)
        {
            int t = Index(target, "target");
            foreach (var candidate in result.Candidates.Where(c => c.InSet).OrderBy(c => c.SetRank ?? int.MaxValue))
            {
                var key = (Index(candidate.Name, "set member"), t);
                if (membership.TryAdd(key, candidate.NiScore))
                {
                    order.Add(key);
                }
            }
        }

        var edges = new List<LineageEdge>();
        foreach (var (s, t) in order)
        {
            if (membership.TryGetValue((t, s), out double reverse))
            {
                // Drawn once, from the earlier model of the pair.
                if (s < t)
                {
                    edges.Add(new LineageEdge(s, t, membership[(s, t)], reverse));
                }
            }
            else
            {
                edges.Add(new LineageEdge(s, t, membership[(s, t)], null));
            }
        }

        return new LineageGraph(data.Models, edges, Families(data.Models.Count, edges));
    }

    private static int[] Families(int count, List<LineageEdge> edges)
    {
        var parent = Enumerable.Range(0, count).ToArray();
        int Find(int x)
        {
            while (parent[x] != x)
            {
                x = parent[x] = parent[parent[x]];
            }

            return x;
        }

        foreach (var e in edges)
        {
            int a = Find(e.From), b = Find(e.To);
            if (a != b)
            {
                parent[Math.Max(a, b)] = Math.Min(a, b);
            }
        }

        var linked = new bool[count];
        foreach (var e in edges)
        {
            linked[e.From] = linked[e.To] = true;
        }

        var family = new int[count];
        var number = new Dictionary<int, int>();
        for (int i = 0; i < count; i++)
        {
            family[i] = !linked[i] ? -1 : number.TryGetValue(Find(i), out int f) ? f : number[Find(i)] = number.Count;
        }

        return family;
    }
}

/// <summary>An edge of the provenance graph.</summary>
/// <param name="From">The set member (for a mutual pair, the earlier model of the two).</param>
/// <param name="To">The target whose set holds it (for a mutual pair, the later model).</param>
/// <param name="NiScore">The NI-Score of <paramref name="From"/> in <paramref name="To"/>'s set.</param>
/// <param name="ReverseNiScore">For a mutual pair, the NI-Score of <paramref name="To"/> in <paramref name="From"/>'s set; else null.</param>
internal sealed record LineageEdge(int From, int To, double NiScore, double? ReverseNiScore)
{
    /// <summary>Each is in the other's set: close relatives, direction unknown.</summary>
    public bool Mutual => ReverseNiScore is not null;
}
