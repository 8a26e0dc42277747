using System.Globalization;
using System.Text;

namespace ProvenanceSet.Cli.Report;

/// <summary>
/// The screen's provenance graph as Graphviz DOT (<c>dot -Tsvg lineage.dot</c>): an arrow from each set
/// member to its target labelled with its NI-Score, one double-headed dashed edge per mutual pair, and the
/// nodes filled by family, as in the report.
/// </summary>
internal static class LineageDot
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The DOT text of the screen's graph.</summary>
    public static string Write(ScreenReportData data)
    {
        var graph = LineageGraph.From(data);
        var dot = new StringBuilder();
        dot.Append("// Model provenance graph written by ").Append(Results.RunRecord.Tool).Append(' ').Append(data.Run.Version).Append('\n');
        dot.Append("// An arrow runs from each member of a target's provenance set to the target, labelled with the member's NI-Score;\n");
        dot.Append("// a dashed double-headed edge joins two models each in the other's set: close relatives, direction unknown.\n");
        dot.Append("digraph lineage {\n");
        dot.Append(Inv, $"  graph [rankdir=TB, labelloc=t, fontname=\"Helvetica\", label={Quote(Shown(Title(data)))}];\n");
        dot.Append("  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\", fillcolor=\"#eeeeee\"];\n");
        dot.Append("  edge [fontname=\"Helvetica\", fontsize=10];\n");
        for (int i = 0; i < graph.Models.Count; i++)
        {
            dot.Append("  ").Append(Quote(graph.Models[i]))
                .Append(Inv, $" [label={Quote(Shown(graph.Models[i]))}, fillcolor=\"{LineageGraph.Colour(graph.Family[i])}\"];\n");
        }

        foreach (var edge in graph.Edges)
        {
            dot.Append("  ").Append(Quote(graph.Models[edge.From])).Append(" -> ").Append(Quote(graph.Models[edge.To]));
            dot.Append(edge.Mutual
                ? $" [dir=both, style=dashed, color=\"#7d3c98\", label={Quote(MutualLabel(edge))}, tooltip={Quote(Shown(MutualTooltip(graph, edge)))}];\n"
                : $" [label={Quote("NI " + Score(edge.NiScore))}];\n");
        }

        dot.Append("}\n");
        return dot.ToString();
    }

    /// <summary>
    /// A DOT quoted string. Inside quotes DOT only unescapes \" (and joins lines at a backslash-newline), and
    /// labels then read backslash escapes; doubling every backslash and escaping quotes and line breaks keeps
    /// distinct names distinct and shows each name as it is.
    /// </summary>
    public static string Quote(string text)
    {
        var quoted = new StringBuilder(text.Length + 2).Append('"');
        foreach (char c in text)
        {
            quoted.Append(c switch
            {
                '\\' => "\\\\",
                '"' => "\\\"",
                '\n' => "\\n",
                '\r' => "\\r",
                _ when char.IsControl(c) && c != '\t' => "\uFFFD",
                _ => c.ToString(),
            });
        }

        return quoted.Append('"').ToString();
    }

    /// <summary>
    /// Text for a label or tooltip: Graphviz reads character entities in them (&amp;amp; shows as &amp;), so
    /// an ampersand is written as one, and the text shows as it is.
    /// </summary>
    public static string Shown(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal);

    /// <summary>The label of a mutual pair's edge: what it means, and the NI-Scores both ways.</summary>
    public static string MutualLabel(LineageEdge edge) =>
        $"close relatives, direction unknown\nNI {Score(edge.NiScore)} / {Score(edge.ReverseNiScore ?? double.NaN)}";

    /// <summary>Which NI-Score is which, for the edge's tooltip.</summary>
    public static string MutualTooltip(LineageGraph graph, LineageEdge edge)
    {
        string a = graph.Models[edge.From], b = graph.Models[edge.To];
        return $"{a} is in {b}'s set (NI-Score {Score(edge.NiScore)}) and {b} in {a}'s ({Score(edge.ReverseNiScore ?? double.NaN)})";
    }

    public static string Score(double niScore) => niScore.ToString("0.0000", Inv);

    private static string Title(ScreenReportData data) =>
        string.Create(Inv, $"Provenance sets of {data.Targets.Count} targets among {data.Models.Count} models, alpha = {data.Alpha} per target ({data.DistanceName})");
}
