using System.Globalization;
using ScottPlot;

namespace ProvenanceSet.Cli.Report;

/// <summary>The report's figures, drawn by ScottPlot as inline SVG.</summary>
internal static class ReportPlots
{
    private static readonly Color InSet = Color.FromHex("#c0392b");
    private static readonly Color NotInSet = Color.FromHex("#7f8c8d");

    /// <summary>
    /// Every candidate's mean distance, closest first, the set highlighted. A dot plot, not bars: the
    /// distances differ by little compared with their size, and a bar whose axis does not start at
    /// zero would exaggerate that; a dot's position is read against the axis, whose label says where it starts.
    /// </summary>
    public static string MeanDistances(ProvenanceResult result)
    {
        var ordered = result.Candidates.OrderBy(c => c.MeanDistance).ToList();
        var plot = new Plot();
        double Row(int i) => ordered.Count - 1 - i;
        foreach (bool inSet in new[] { true, false })
        {
            var rows = Enumerable.Range(0, ordered.Count).Where(i => ordered[i].InSet == inSet).ToList();
            double[] xs = [.. rows.Select(i => ordered[i].MeanDistance)];
            double[] ys = [.. rows.Select(Row)];
            var markers = plot.Add.Markers(xs, ys, MarkerShape.FilledCircle, 9, inSet ? InSet : NotInSet);
            markers.LegendText = inSet ? "in the set" : "not in the set";
        }

        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. Enumerable.Range(0, ordered.Count).Select(Row)], [.. ordered.Select(c => c.Name)]);
        double min = ordered.Min(c => c.MeanDistance), max = ordered.Max(c => c.MeanDistance);
        double pad = Math.Max(1e-9, (max - min) * 0.08);
        plot.Axes.SetLimits(min - pad, max + pad, -0.7, ordered.Count - 0.3);
        plot.XLabel(min - pad > 0
            ? string.Create(CultureInfo.InvariantCulture, $"mean distance to the target (lower = closer); the axis starts at {min - pad:0.###}, not at zero")
            : "mean distance to the target (lower = closer)");
        plot.ShowLegend(Edge.Bottom);
        int height = Math.Clamp(130 + (18 * ordered.Count), 280, 2400);
        return Svg(plot, 760, height);
    }

    /// <summary>Each step's p and running maximum p̃ against alpha.</summary>
    public static string PValuePath(ProvenanceResult result)
    {
        var plot = new Plot();
        double[] steps = [.. result.Steps.Select(s => (double)(s.Index + 1))];
        var p = plot.Add.Scatter(steps, [.. result.Steps.Select(s => s.PValue)]);
        p.LegendText = "p (this step)";
        p.MarkerShape = MarkerShape.OpenCircle;
        p.MarkerSize = 8;
        var running = plot.Add.Scatter(steps, [.. result.Steps.Select(s => s.PValueMonotone)]);
        running.LegendText = "p~ (running maximum)";
        running.MarkerShape = MarkerShape.FilledCircle;
        running.MarkerSize = 6;
        var alpha = plot.Add.HorizontalLine(result.Alpha);
        alpha.Color = InSet;
        alpha.LegendText = string.Create(CultureInfo.InvariantCulture, $"alpha = {result.Alpha}");
        plot.Axes.SetLimitsY(-0.02, 1.02);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(steps, [.. steps.Select(s => s.ToString(CultureInfo.InvariantCulture))]);
        plot.XLabel("step (candidate tested)");
        plot.YLabel("p-value");
        // Outside the data area: a legend inside would hide the points it explains.
        plot.ShowLegend(Edge.Bottom);
        return Svg(plot, 760, 330);
    }

    /// <summary>A step's null distribution of the statistic, with the observed value marked.</summary>
    public static string NullDistribution(ProvenanceStep step, ProvenanceVariant variant)
    {
        var plot = new Plot();
        double[] values = [.. step.NullStatistics.Where(double.IsFinite)];
        double observed = step.Statistic;
        if (values.Length > 0)
        {
            double lo = values.Min(), hi = values.Max();
            if (double.IsFinite(observed))
            {
                lo = Math.Min(lo, observed);
                hi = Math.Max(hi, observed);
            }

            if (hi <= lo)
            {
                hi = lo + 1;
            }

            int bins = Math.Clamp((int)Math.Sqrt(values.Length), 10, 60);
            var histogram = ScottPlot.Statistics.Histogram.WithBinCount(bins, lo, hi + ((hi - lo) * 1e-9));
            histogram.AddRange(values);
            var bars = plot.Add.Bars(histogram.Bins, histogram.Counts);
            foreach (var bar in bars.Bars)
            {
                bar.Size = histogram.FirstBinSize * 0.95;
                bar.FillColor = NotInSet;
                bar.LineWidth = 0;
            }

            // Counts are bar lengths: the axis starts at zero.
            plot.Axes.SetLimitsY(0, Math.Max(1, histogram.Counts.Max()) * 1.08);
        }

        if (double.IsFinite(observed))
        {
            var line = plot.Add.VerticalLine(observed);
            line.Color = InSet;
            line.LineWidth = 2;
            line.LegendText = string.Create(CultureInfo.InvariantCulture, $"observed {Label(variant)} = {observed:0.###}");
            // Below the plot, not over the tallest bars.
            plot.ShowLegend(Edge.Bottom);
        }

        plot.XLabel($"{Label(variant)} under the null ({step.PermutationsRun} rounds)");
        plot.YLabel("rounds");
        return Svg(plot, 520, 290);
    }

    public static string Label(ProvenanceVariant variant) => variant == ProvenanceVariant.Robust ? "z" : "T = min t";

    private static string Svg(Plot plot, int width, int height) => plot.GetSvgHtml(width, height);
}
