using PLaw.Registry.Runs;

namespace PLaw.Web.Components.Charts;

/// <summary>ECharts options for the run and compare pages: plain series in, option objects out.</summary>
public static class RunCharts
{
    private static readonly string[] Palette = ["#3b6ea5", "#c0504d", "#4e9a06", "#8e44ad", "#d4a017", "#16a085", "#7f8c8d", "#e67e22"];

    public static string Color(int i) => Palette[i % Palette.Length];

    /// <summary>One or more curves over a numeric x axis (step, epoch or seconds), optional log y, with zoom.</summary>
    public static object Curves(IReadOnlyList<(string Name, IReadOnlyList<double[]> Points)> series, string xName, string yName,
        bool logY = false, bool symbols = false) => new
    {
        animation = false,
        grid = new { left = 64, right = 24, top = 36, bottom = 64 },
        tooltip = new { trigger = "axis" },
        legend = new { type = "scroll", top = 0 },
        dataZoom = new object[] { new { type = "inside" }, new { type = "slider", height = 18, bottom = 8 } },
        xAxis = new { type = "value", name = xName, nameLocation = "middle", nameGap = 26, scale = true },
        yAxis = new { type = logY ? "log" : "value", name = yName, scale = true },
        series = series.Select((s, i) => new
        {
            type = "line", name = s.Name, showSymbol = symbols, symbolSize = 6, sampling = "lttb", data = s.Points,
            lineStyle = new { width = 1.5, color = Color(i) }, itemStyle = new { color = Color(i) },
        }).ToArray(),
    };

    public static double[] Point(MetricPoint p, string x, long startUnixMs) => x switch
    {
        "epoch" => [p.Epoch, p.Value],
        "time" => [(p.TimeUnixMs - startUnixMs) / 1000.0, p.Value],
        _ => [p.Step, p.Value],
    };

    /// <summary>Exponential moving average as TensorBoard draws it (debiased), for noisy step losses.</summary>
    public static IReadOnlyList<double[]> Smooth(IReadOnlyList<double[]> points, double weight)
    {
        if (weight <= 0 || points.Count == 0) return points;
        var smoothed = new List<double[]>(points.Count);
        double last = 0, debias = 0;
        foreach (var p in points)
        {
            if (!double.IsFinite(p[1])) { smoothed.Add(p); continue; }
            last = last * weight + (1 - weight) * p[1];
            debias = debias * weight + (1 - weight);
            smoothed.Add([p[0], last / debias]);
        }
        return smoothed;
    }
}
