using GraphShape;
using GraphShape.Algorithms.Layout;
using QuikGraph;

namespace ProvenanceSet.Cli.Report;

/// <summary>
/// Where the provenance graph's nodes and edges go. Each connected part (a family, or a model no set links
/// to another) is laid out by GraphShape's Sugiyama (layered) algorithm: sources above the models derived
/// from them, few crossings, long edges routed around other nodes. The parts are then placed in rows, left
/// to right in order of first appearance, so that a screen of many families stays about a page wide.
/// See docs/screening.md for why this algorithm.
/// </summary>
internal static class LineageLayout
{
    /// <summary>A node's box: centre and size, in pixels.</summary>
    public sealed record Box(double X, double Y, double Width, double Height);

    /// <summary>The laid-out graph: one box per model (same order), one polyline per edge (same order), the canvas size.</summary>
    public sealed record Drawing(IReadOnlyList<Box> Nodes, IReadOnlyList<IReadOnlyList<(double X, double Y)>> Edges, double Width, double Height);

    public const double NodeHeight = 30;
    public const double Margin = 24;

    /// <summary>The width rows of parts fill before the next row starts (a part wider than it gets a row of its own).</summary>
    public const double RowWidth = 1000;

    private const double PartGap = 48;

    // An estimate for a 13 px sans-serif label: the layout needs sizes before any browser measures them.
    private const double CharWidth = 7.4;

    /// <summary>Lays the graph out; the same graph gives the same drawing on every run.</summary>
    public static Drawing Compute(LineageGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        int n = graph.Models.Count;
        var boxes = new Box[n];
        var lines = new IReadOnlyList<(double X, double Y)>[graph.Edges.Count];
        double x = Margin, y = Margin, rowHeight = 0, width = 2 * Margin;
        foreach (var part in Parts(graph))
        {
            var (partBoxes, partLines, w, h) = LayOut(graph, part);
            if (x > Margin && x + w > RowWidth)
            {
                x = Margin;
                y += rowHeight + PartGap;
                rowHeight = 0;
            }

            foreach (var (i, b) in partBoxes)
            {
                boxes[i] = b with { X = b.X + x, Y = b.Y + y };
            }

            foreach (var (k, line) in partLines)
            {
                lines[k] = [.. line.Select(p => (p.X + x, p.Y + y))];
            }

            width = Math.Max(width, x + w + Margin);
            x += w + PartGap;
            rowHeight = Math.Max(rowHeight, h);
        }

        return new Drawing(boxes, lines, width, y + rowHeight + Margin);
    }

    /// <summary>The box's width for a label.</summary>
    public static double NodeWidth(string label) => 20 + (CharWidth * Math.Max(3, label.Length));

    /// <summary>The connected parts (lists of model indices), in order of their first model.</summary>
    private static List<List<int>> Parts(LineageGraph graph)
    {
        var parts = new List<List<int>>();
        var byFamily = new Dictionary<int, List<int>>();
        for (int i = 0; i < graph.Models.Count; i++)
        {
            int family = graph.Family[i];
            if (family < 0)
            {
                parts.Add([i]);
            }
            else if (byFamily.TryGetValue(family, out var members))
            {
                members.Add(i);
            }
            else
            {
                parts.Add(byFamily[family] = [i]);
            }
        }

        return parts;
    }

    /// <summary>One part laid out by Sugiyama, moved so that its bounding box starts at (0, 0).</summary>
    private static (Dictionary<int, Box> Boxes, Dictionary<int, List<(double X, double Y)>> Lines, double Width, double Height) LayOut(LineageGraph graph, List<int> part)
    {
        var vertices = part.ToDictionary(i => i, i => new Vertex(i));
        var layoutGraph = new BidirectionalGraph<Vertex, Edge<Vertex>>(allowParallelEdges: false);
        layoutGraph.AddVertexRange(vertices.Values);
        var edges = new Dictionary<int, Edge<Vertex>>();
        for (int k = 0; k < graph.Edges.Count; k++)
        {
            var e = graph.Edges[k];
            if (vertices.TryGetValue(e.From, out var from) && vertices.TryGetValue(e.To, out var to))
            {
                edges[k] = new Edge<Vertex>(from, to);
                layoutGraph.AddEdge(edges[k]);
            }
        }

        var sizes = vertices.Values.ToDictionary(v => v, v => new Size(NodeWidth(graph.Models[v.Index]), NodeHeight));
        var parameters = new SugiyamaLayoutParameters
        {
            Direction = LayoutDirection.TopToBottom,
            LayerGap = 80,
            SliceGap = 64,
            EdgeRouting = SugiyamaEdgeRouting.Traditional,
            MinimizeEdgeLength = true,
            OptimizeWidth = false,
        };
        var algorithm = new SugiyamaLayoutAlgorithm<Vertex, Edge<Vertex>, BidirectionalGraph<Vertex, Edge<Vertex>>>(layoutGraph, sizes, parameters)
        {
            // Its crossing minimisation breaks ties at random; a fixed seed makes the drawing the same on every run.
            Rand = new Random(0),
        };
        algorithm.Compute();

        // The algorithm gives centres.
        var boxes = vertices.Values.ToDictionary(v => v.Index, v =>
        {
            var p = algorithm.VerticesPositions.TryGetValue(v, out var q) ? q : default;
            return new Box(p.X, p.Y, sizes[v].Width, sizes[v].Height);
        });
        var lines = new Dictionary<int, List<(double X, double Y)>>();
        foreach (var (k, edge) in edges)
        {
            var from = boxes[edge.Source.Index];
            var to = boxes[edge.Target.Index];
            var points = algorithm.EdgeRoutes.TryGetValue(edge, out var route) && route is not null
                ? route.Select(p => (p.X, p.Y)).ToList()
                : [];

            // From border to border, so that the arrow heads sit on the boxes, not under them.
            var first = points.Count > 0 ? points[0] : (to.X, to.Y);
            var last = points.Count > 0 ? points[^1] : (from.X, from.Y);
            points.Insert(0, Border(from, first));
            points.Add(Border(to, last));
            lines[k] = points;
        }

        double minX = boxes.Values.Min(b => b.X - (b.Width / 2)), minY = boxes.Values.Min(b => b.Y - (b.Height / 2));
        double maxX = boxes.Values.Max(b => b.X + (b.Width / 2)), maxY = boxes.Values.Max(b => b.Y + (b.Height / 2));
        foreach (var line in lines.Values)
        {
            minX = Math.Min(minX, line.Min(p => p.X));
            maxX = Math.Max(maxX, line.Max(p => p.X));
        }

        return (
            boxes.ToDictionary(b => b.Key, b => b.Value with { X = b.Value.X - minX, Y = b.Value.Y - minY }),
            lines.ToDictionary(l => l.Key, l => l.Value.Select(p => (p.X - minX, p.Y - minY)).ToList()),
            maxX - minX,
            maxY - minY);
    }

    /// <summary>Where the segment from the box's centre towards a point leaves the box.</summary>
    private static (double X, double Y) Border(Box box, (double X, double Y) towards)
    {
        double vx = towards.X - box.X, vy = towards.Y - box.Y;
        if (vx == 0 && vy == 0)
        {
            return (box.X, box.Y);
        }

        double tx = vx == 0 ? double.PositiveInfinity : box.Width / 2 / Math.Abs(vx);
        double ty = vy == 0 ? double.PositiveInfinity : box.Height / 2 / Math.Abs(vy);
        double t = Math.Min(1, Math.Min(tx, ty));
        return (box.X + (vx * t), box.Y + (vy * t));
    }

    // A class, as the layout requires; its identity is the model's index.
    private sealed record class Vertex(int Index);
}
