using PLaw.Registry.Runs;

namespace PLaw.Web.Components.Charts;

/// <summary>ECharts options for the run and compare pages: plain series in, option objects out.</summary>
public static class RunCharts
{
    private static readonly string[] Palette = ["#3b6ea5", "#c0504d", "#4e9a06", "#8e44ad", "#d4a017", "#16a085", "#7f8c8d", "#e67e22"];

    /// <summary>A fixed colour per index, for charts that pair series by colour (the laws pages).</summary>
    public static string Color(int i) => Palette[i % Palette.Length];

    /// <summary>
    /// One or more curves over a numeric x axis (step, epoch or seconds), optional log y, with zoom. Axis names carry their
    /// units; series colours come from the dashboard theme (light or dark). The points lists are kept by reference, so a
    /// live page that adds to them keeps the option current (a redraw, e.g. on a theme change, shows every point received).
    /// <paramref name="extra"/> series (e.g. a forecast) are drawn after the curves as given.
    /// </summary>
    public static object Curves(IReadOnlyList<(string Name, IReadOnlyList<double[]> Points)> series, string xName, string yName,
        bool logY = false, bool symbols = false, IReadOnlyList<object>? extra = null) => new
    {
        animation = false,
        grid = new { left = 72, right = 24, top = 40, bottom = 70, containLabel = false },
        tooltip = new { trigger = "axis" },
        legend = new { type = "scroll", top = 0, left = 72, right = 24 },
        dataZoom = new object[] { new { type = "inside" }, new { type = "slider", height = 16, bottom = 6 } },
        xAxis = new { type = "value", name = xName, nameLocation = "middle", nameGap = 26, scale = true },
        yAxis = new
        {
            type = logY ? "log" : "value", name = yName, nameLocation = "middle", nameGap = 52, scale = true,
            axisLabel = new { hideOverlap = true },
        },
        series = series.Select(s => new
        {
            type = "line", name = s.Name, showSymbol = symbols, symbolSize = 6, sampling = "lttb", data = s.Points,
            lineStyle = new { width = 1.5 },
        }).Cast<object>().Concat(extra ?? []).ToArray(),
    };

    /// <summary>The x-axis name, with its unit, for an x choice of the run and compare pages.</summary>
    public static string XName(string x, string timeOrigin = "run start") => x switch
    {
        "epoch" => "epoch",
        "time" => $"time since {timeOrigin} (s)",
        _ => "step (optimiser updates)",
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
