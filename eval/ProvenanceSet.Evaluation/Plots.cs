using ScottPlot;

namespace ProvenanceSet.Evaluation;

/// <summary>The evaluation's figures, drawn with ScottPlot and saved as SVG.</summary>
internal static class Plots
{
    private const int Width = 720, Height = 420;

    /// <summary>One line per (method, design) of a study across alpha, with the 1 − alpha reference.</summary>
    public static void AgainstAlpha(string path, IEnumerable<SimulationRow> rows, Func<SimulationRow, double> value, string yLabel, bool coverageReference)
    {
        var plot = new Plot();
        foreach (var group in rows.GroupBy(r => (r.Method, r.Design)))
        {
            var points = group.OrderBy(r => r.Alpha).ToList();
            var line = plot.Add.Scatter(points.Select(r => r.Alpha).ToArray(), points.Select(value).ToArray());
            line.LegendText = $"{group.Key.Method}, {group.Key.Design}";
            // Markers tell the methods apart (SVG output draws every line solid).
            line.MarkerShape = group.Key.Method == "robust" ? MarkerShape.FilledCircle : MarkerShape.OpenSquare;
            line.MarkerSize = 7;
        }

        if (coverageReference)
        {
            double[] alphas = [.. rows.Select(r => r.Alpha).Distinct().Order()];
            var reference = plot.Add.Scatter(alphas, [.. alphas.Select(a => 1 - a)]);
            reference.LegendText = "1 − alpha";
            reference.Color = Colors.Gray;
            reference.MarkerSize = 0;
        }

        plot.XLabel("alpha");
        plot.YLabel(yLabel);
        plot.ShowLegend(Alignment.LowerRight);
        plot.SaveSvg(path, Width, Height);
    }

    /// <summary>Grouped bars: one group per category, one bar per series.</summary>
    public static void Bars(string path, IReadOnlyList<string> categories, IReadOnlyList<(string Series, double[] Values)> series, string yLabel, double? reference = null)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        int count = series.Count;
        double width = 0.8 / count;
        for (int s = 0; s < count; s++)
        {
            var bars = new List<Bar>();
            for (int c = 0; c < categories.Count; c++)
            {
                bars.Add(new Bar
                {
                    Position = c + ((s - ((count - 1) / 2.0)) * width),
                    Value = series[s].Values[c],
                    FillColor = palette.GetColor(s),
                    Size = width * 0.9,
                });
            }

            plot.Add.Bars(bars);
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = series[s].Series, FillColor = palette.GetColor(s) });
        }

        if (reference is double r)
        {
            var line = plot.Add.HorizontalLine(r);
            line.Color = Colors.Gray;
        }

        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. Enumerable.Range(0, categories.Count).Select(i => (double)i)], [.. categories]);
        plot.Axes.Bottom.TickLabelStyle.Rotation = categories.Any(c => c.Length > 12) ? 20 : 0;
        plot.Axes.Bottom.TickLabelStyle.Alignment = categories.Any(c => c.Length > 12) ? Alignment.MiddleLeft : Alignment.UpperCenter;
        plot.YLabel(yLabel);
        plot.Axes.Margins(bottom: 0);
        plot.ShowLegend(Alignment.UpperRight);
        plot.SaveSvg(path, Width, Height + (categories.Any(c => c.Length > 12) ? 80 : 0));
    }
}
