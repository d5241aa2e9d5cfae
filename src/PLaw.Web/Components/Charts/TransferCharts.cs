using System.Globalization;
using PLaw.Laws.Transfer;

namespace PLaw.Web.Components.Charts;

/// <summary>
/// ECharts options for a dataset's predicted performance (<see cref="TransferPrediction"/>): the predicted surface over
/// (layers, width) as a heat map, and predicted against measured runs with the line y = x. Non-finite values are left out.
/// </summary>
public static class TransferCharts
{
    private static readonly string[] Viridis = ["#440154", "#3b528b", "#21918c", "#5ec962", "#fde725"];

    /// <summary>One cell per (layers, width), coloured by the predicted metric; the tooltip gives the cell's interval; the optimum a red diamond.</summary>
    public static object Surface(IReadOnlyList<int> layers, IReadOnlyList<int> dims, IReadOnlyList<SurfacePoint> points, SurfacePoint optimum, string metric)
    {
        var row = layers.Select((n, i) => (n, i)).ToDictionary(x => x.n, x => x.i);
        var column = dims.Select((d, j) => (d, j)).ToDictionary(x => x.d, x => x.j);
        var cells = points.Where(p => double.IsFinite(p.Value) && row.ContainsKey(p.Layers) && column.ContainsKey(p.Dim))
            .Select(p => new
            {
                value = new[] { column[p.Dim], row[p.Layers], p.Value },
                name = string.Create(CultureInfo.InvariantCulture, $"{p.Layers} layers × width {p.Dim}: {p.Value:F4} (interval {p.Low:F4}–{p.High:F4})"),
            }).ToArray();
        var (min, max) = cells.Length > 0 ? (cells.Min(c => c.value[2]), cells.Max(c => c.value[2])) : (0.0, 1.0);
        if (max <= min) max = min + 1e-12;
        var series = new List<object> { new { type = "heatmap", name = metric, data = cells, progressive = 0 } };
        if (row.TryGetValue(optimum.Layers, out var oi) && column.TryGetValue(optimum.Dim, out var oj))
            series.Add(new
            {
                type = "scatter", name = "predicted optimum", data = new[] { new[] { oj, oi } }, symbol = "diamond", symbolSize = 16, z = 4,
                itemStyle = new { color = "#e6194b", borderColor = "#ffffff", borderWidth = 1 },
            });
        return new
        {
            animation = false,
            grid = new { left = 72, right = 24, top = LawCharts.LegendBand, bottom = 112 },
            tooltip = new { position = "top", formatter = "{b}" },
            legend = new { top = 0, left = "center", data = new[] { "predicted optimum" } },
            xAxis = new
            {
                type = "category", name = "width d (embedding dimensions)", nameLocation = "middle", nameGap = 32,
                data = dims.Select(d => d.ToString(CultureInfo.InvariantCulture)).ToArray(),
            },
            yAxis = new
            {
                type = "category", name = "layers n (Transformer blocks)", nameLocation = "middle", nameRotate = 90, nameGap = 44,
                data = layers.Select(n => n.ToString(CultureInfo.InvariantCulture)).ToArray(),
            },
            visualMap = new
            {
                type = "continuous", seriesIndex = 0, min, max, calculable = true, orient = "horizontal", left = "center", bottom = 0,
                itemHeight = 160, precision = 4, text = new[] { $"predicted {metric} high", "low" }, inRange = new { color = Viridis },
            },
            series,
        };
    }

    /// <summary>Measured (x) against predicted (y) per run, the interval as a vertical bar, and y = x across the plotted range.</summary>
    public static object PredictedVersusMeasured(IReadOnlyList<MeasuredComparison> comparisons, string metric)
    {
        var finite = comparisons.Where(c => double.IsFinite(c.Predicted) && double.IsFinite(c.Run.Value)).ToList();
        var all = finite.SelectMany(c => new[] { c.Run.Value, c.Predicted, c.Low, c.High }).Where(double.IsFinite).ToList();
        double low = all.Count > 0 ? all.Min() : 0, high = all.Count > 0 ? all.Max() : 1;
        var pad = Math.Max((high - low) * 0.05, 1e-6);
        (low, high) = (low - pad, high + pad);
        return new
        {
            animation = false,
            grid = new { left = 72, right = 24, top = LawCharts.LegendBand, bottom = 56 },
            tooltip = new { trigger = "item", formatter = "{b}" },
            legend = new { top = 0, left = "center", data = new[] { "runs", "interval", "y = x" } },
            xAxis = new { type = "value", name = $"measured {metric}", nameLocation = "middle", nameGap = 30, min = low, max = high, scale = true },
            yAxis = new { type = "value", name = $"predicted {metric}", nameLocation = "middle", nameRotate = 90, nameGap = 52, min = low, max = high, scale = true },
            series = new object[]
            {
                new
                {
                    type = "scatter", name = "runs", symbolSize = 9, z = 3, itemStyle = new { color = RunCharts.Color(0) },
                    data = finite.Select(c => new
                    {
                        value = new[] { c.Run.Value, c.Predicted },
                        name = string.Create(CultureInfo.InvariantCulture,
                            $"run {c.Run.RunId}: {c.Run.Layers} layers × width {c.Run.Dim}, measured {c.Run.Value:F4}, predicted {c.Predicted:F4} ({c.Low:F4}–{c.High:F4})"),
                    }).ToArray(),
                },
                new
                {
                    type = "line", name = "interval", showSymbol = false, connectNulls = false, lineStyle = new { width = 2, opacity = 0.5 },
                    itemStyle = new { color = RunCharts.Color(0) }, tooltip = new { show = false },
                    // "-" is ECharts' empty point: one line segment per run, not a line joining them.
                    data = finite.SelectMany(c => new object[] { new[] { c.Run.Value, c.Low }, new[] { c.Run.Value, c.High }, "-" }).ToArray(),
                },
                new
                {
                    type = "line", name = "y = x", showSymbol = false, lineStyle = new { type = "dashed", width = 1 }, itemStyle = new { color = "#888888" },
                    tooltip = new { show = false }, data = new[] { new[] { low, low }, new[] { high, high } },
                },
            },
        };
    }
}
