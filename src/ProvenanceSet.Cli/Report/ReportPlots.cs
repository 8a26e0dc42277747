using System.Globalization;
using ScottPlot;

namespace ModelProvenance.Cli.Report;

/// <summary>The report's figures, drawn by ScottPlot as inline SVG.</summary>
internal static class ReportPlots
{
    private static readonly Color InSet = Color.FromHex("#c0392b");
    private static readonly Color NotInSet = Color.FromHex("#7f8c8d");

    /// <summary>Every candidate's mean distance, closest first, the set highlighted.</summary>
    public static string MeanDistances(ProvenanceResult result)
    {
        var ordered = result.Candidates.OrderBy(c => c.MeanDistance).ToList();
        var plot = new Plot();
        var bars = ordered.Select((c, i) => new Bar
        {
            Position = ordered.Count - 1 - i,
            Value = c.MeanDistance,
            FillColor = c.InSet ? InSet : NotInSet,
            Orientation = Orientation.Horizontal,
            Size = 0.8,
        }).ToList();
        plot.Add.Bars(bars);
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. Enumerable.Range(0, ordered.Count).Select(i => (double)(ordered.Count - 1 - i))], [.. ordered.Select(c => c.Name)]);
        double min = ordered.Min(c => c.MeanDistance), max = ordered.Max(c => c.MeanDistance);
        double pad = Math.Max(1e-9, (max - min) * 0.1);
        plot.Axes.SetLimitsX(Math.Min(0, min - pad) < 0 && min >= 0 ? 0 : min - pad, max + pad);
        plot.XLabel("mean distance to the target (lower = closer)");
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "in the set", FillColor = InSet });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "not in the set", FillColor = NotInSet });
        plot.ShowLegend(Edge.Bottom);
        int height = Math.Clamp(110 + (18 * ordered.Count), 260, 2400);
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
        plot.ShowLegend(Alignment.UpperLeft);
        return Svg(plot, 760, 300);
    }

    /// <summary>A step's null distribution of the statistic, with the observed value marked.</summary>
    public static string NullDistribution(ProvenanceStep step, ProvenanceVariant variant)
    {
        var plot = new Plot();
        double[] values = [.. step.NullStatistics.Where(double.IsFinite)];
        double observed = step.TStatistic;
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
        }

        if (double.IsFinite(observed))
        {
            var line = plot.Add.VerticalLine(observed);
            line.Color = InSet;
            line.LineWidth = 2;
            line.LegendText = string.Create(CultureInfo.InvariantCulture, $"observed {Label(variant)} = {observed:0.###}");
            plot.ShowLegend(Alignment.UpperRight);
        }

        plot.XLabel($"{Label(variant)} under the null ({step.PermutationsRun} rounds)");
        plot.YLabel("rounds");
        return Svg(plot, 520, 260);
    }

    public static string Label(ProvenanceVariant variant) => variant == ProvenanceVariant.Robust ? "z" : "T = min t";

    private static string Svg(Plot plot, int width, int height) => plot.GetSvgHtml(width, height);
}
