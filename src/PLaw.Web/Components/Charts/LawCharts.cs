using System.Globalization;
using PLaw.Laws.Optima;

namespace PLaw.Web.Components.Charts;

/// <summary>
/// ECharts options for the laws, optima and frameworks pages: plain numbers in, option objects out. Non-finite values are left
/// out (JSON has no NaN); the law pages never chart a refused fit.
/// </summary>
public static class LawCharts
{
    /// <summary>Sequential colours for the heat maps (viridis, low to high).</summary>
    private static readonly string[] Viridis = ["#440154", "#3b528b", "#21918c", "#5ec962", "#fde725"];

    /// <summary>
    /// The fitted law over (layers n, width d): one cell per pair of axis values, coloured by the prediction; cells the constraint
    /// forbids are grey; measured configurations are white rings, the optimum a red diamond.
    /// </summary>
    public static object Heatmap(IReadOnlyList<int> layers, IReadOnlyList<int> dims, Func<int, int, double> predict, Func<int, int, bool>? allowed,
        IEnumerable<(int Layers, int Dim)> measured, (int Layers, int Dim)? optimum, string metric, MeasuredBox? box = null)
    {
        var feasible = new List<double[]>();
        var masked = new List<double[]>();
        for (var i = 0; i < layers.Count; i++)
        for (var j = 0; j < dims.Count; j++)
        {
            var value = predict(layers[i], dims[j]);
            if (!double.IsFinite(value)) continue;
            (allowed?.Invoke(layers[i], dims[j]) ?? true ? feasible : masked).Add([j, i, value]);
        }
        var scale = feasible.Count > 0 ? feasible : masked;
        var (min, max) = scale.Count > 0 ? (scale.Min(c => c[2]), scale.Max(c => c[2])) : (0.0, 1.0);
        if (max <= min) max = min + 1e-12;
        var row = layers.Select((n, i) => (n, i)).ToDictionary(x => x.n, x => x.i);
        var column = dims.Select((d, j) => (d, j)).ToDictionary(x => x.d, x => x.j);
        int[][] Cells(IEnumerable<(int Layers, int Dim)> points) => points
            .Where(p => row.ContainsKey(p.Layers) && column.ContainsKey(p.Dim)).Distinct()
            .Select(p => new[] { column[p.Dim], row[p.Layers] }).ToArray();

        var series = new List<object>
        {
            new { type = "heatmap", name = metric, data = feasible, progressive = 0 },
            new { type = "heatmap", name = "not allowed", data = masked, progressive = 0, itemStyle = new { color = "#d9d9d9", opacity = 0.85 } },
            new
            {
                type = "scatter", name = "measured", data = Cells(measured), symbol = "circle", symbolSize = 9, z = 3,
                itemStyle = new { color = "rgba(255,255,255,0.15)", borderColor = "#ffffff", borderWidth = 2 },
                markArea = MeasuredFrame(box, layers, dims),
            },
        };
        if (optimum is { } o)
            series.Add(new { type = "scatter", name = "optimum", data = Cells([o]), symbol = "diamond", symbolSize = 16, z = 4,
                itemStyle = new { color = "#e6194b", borderColor = "#ffffff", borderWidth = 1 } });
        return new
        {
            animation = false,
            // The legend sits in its own band above the plot, the axis names beside and below it, the colour scale under the
            // x-axis name: nothing shares space with anything else.
            grid = new { left = 72, right = 24, top = LegendBand, bottom = 112 },
            tooltip = new { position = "top" },
            legend = new { top = 0, left = "center", data = new[] { "measured", "optimum", "not allowed" }.Where(n => n != "not allowed" || masked.Count > 0).ToArray() },
            xAxis = new
            {
                type = "category", name = "width d (embedding dimensions)", nameLocation = "middle", nameGap = 32,
                data = dims.Select(d => d.ToString(CultureInfo.InvariantCulture)).ToArray(), splitArea = new { show = false },
            },
            yAxis = new
            {
                type = "category", name = "layers n (Transformer blocks)", nameLocation = "middle", nameRotate = 90, nameGap = 44,
                data = layers.Select(n => n.ToString(CultureInfo.InvariantCulture)).ToArray(), splitArea = new { show = false },
            },
            visualMap = new
            {
                type = "continuous", seriesIndex = 0, min, max, calculable = true, orient = "horizontal", left = "center", bottom = 0,
                itemHeight = 160, precision = 4, text = new[] { $"{metric} high", "low" }, inRange = new { color = Viridis },
            },
            series,
        };
    }

    /// <summary>Height of the legend's band above every chart's plot area (the legend is one scrolling line at the top).</summary>
    public const int LegendBand = 48;

    /// <summary>Axes for a heat map around measured runs: layers 1…1.5× the deepest run, widths on a step grid up to 1.5× the widest, plus every measured width.</summary>
    /// <summary>The measured range as a dashed frame from its nearest axis cells (null without a box or when it is off the axes).</summary>
    private static object? MeasuredFrame(MeasuredBox? box, IReadOnlyList<int> layers, IReadOnlyList<int> dims)
    {
        if (box is null) return null;
        int First(IReadOnlyList<int> axis, int min) => axis.Select((v, i) => (v, i)).Where(x => x.v >= min).Select(x => x.i).DefaultIfEmpty(-1).First();
        int Last(IReadOnlyList<int> axis, int max) => axis.Select((v, i) => (v, i)).Where(x => x.v <= max).Select(x => x.i).DefaultIfEmpty(-1).Last();
        var (x0, x1, y0, y1) = (First(dims, box.MinDim), Last(dims, box.MaxDim), First(layers, box.MinLayers), Last(layers, box.MaxLayers));
        if (x0 < 0 || x1 < x0 || y0 < 0 || y1 < y0) return null;
        return new
        {
            silent = true,
            itemStyle = new { color = "rgba(0,0,0,0)", borderColor = "#ffffff", borderWidth = 2, borderType = "dashed" },
            label = new { show = true, position = "insideTop", color = "#ffffff", formatter = "measured range" },
            data = new[] { new object[] { new { xAxis = x0, yAxis = y0 }, new { xAxis = x1, yAxis = y1 } } },
        };
    }

    public static (int[] Layers, int[] Dims) AxesAround(IReadOnlyCollection<(int Layers, int Dim)> measured)
    {
        var maxLayers = Math.Max(2, (int)Math.Ceiling(1.5 * measured.Max(p => p.Layers)));
        var maxDim = Math.Max(8, (int)Math.Ceiling(1.5 * measured.Max(p => p.Dim)));
        var step = PowerOfTwoStep(maxDim / 48.0);
        var dims = Enumerable.Range(1, maxDim / step).Select(k => k * step).Concat(measured.Select(p => p.Dim)).Distinct().Order().ToArray();
        return (Enumerable.Range(1, maxLayers).ToArray(), dims);
    }

    /// <summary>Axes for a search space, at most ~64 layers and ~96 widths (log-spaced when thinned), always keeping the given configurations.</summary>
    public static (int[] Layers, int[] Dims) AxesOf(SearchSpace space, IEnumerable<(int Layers, int Dim)> keep)
    {
        var kept = keep.ToList();
        var layers = Thin(space.LayerValues().ToArray(), 64, kept.Select(k => k.Layers));
        var dims = Thin(space.DimValues().ToArray(), 96, kept.Select(k => k.Dim));
        return (layers, dims);
    }

    /// <summary>The legend name of the error bars: what they show, so nobody reads them as confidence intervals.</summary>
    public const string ErrorBarsName = "± 1 SD over seeds";

    /// <summary>
    /// The metric against layers (log x), one colour per measured width: each configuration's mean over its seeds as a point, the
    /// law as a curve, and, where a configuration has two or more seeds, a bar of ± 1 SD of its seeds (series <see cref="ErrorBarsName"/>).
    /// </summary>
    public static object LayerCurves(IReadOnlyList<(int Layers, int Dim, double Mean, double Sd, int N)> configurations, Func<double, int, double> predict, string metric)
    {
        var maxLayers = Math.Max(2, 1.5 * configurations.Max(p => p.Layers));
        var series = new List<object>();
        foreach (var (dim, i) in configurations.Select(p => p.Dim).Distinct().Order().Select((d, i) => (d, i)))
        {
            var color = RunCharts.Color(i);
            var name = $"d = {dim}";
            series.Add(new { type = "scatter", name, symbolSize = 8, itemStyle = new { color },
                data = configurations.Where(p => p.Dim == dim && double.IsFinite(p.Mean)).Select(p => new[] { p.Layers, p.Mean }).ToArray() });
            series.Add(new { type = "line", name, showSymbol = false, lineStyle = new { width = 1.5, color }, itemStyle = new { color },
                data = Curve(1, maxLayers, n => predict(n, dim)) });
        }
        if (ErrorBars(configurations.Select(c => ((double)c.Layers, c.Mean, c.Sd, c.N))) is { } bars) series.Add(bars);
        return XyChart(series, "layers n (Transformer blocks, log scale)", (1, maxLayers), $"{metric} (0–1, higher is better; points are means over seeds)", logY: false);
    }

    /// <summary>
    /// Vertical bars mean ± SD at each x with two or more seeds, drawn as one line series of [x, lo], [x, hi], null segments (a null
    /// item breaks the line), so no script is needed; null when no configuration has two seeds.
    /// </summary>
    public static object? ErrorBars(IEnumerable<(double X, double Mean, double Sd, int N)> points)
    {
        var data = new List<double[]?>();
        foreach (var p in points)
        {
            if (p.N < 2 || !double.IsFinite(p.Sd) || !double.IsFinite(p.Mean)) continue;
            data.Add([p.X, p.Mean - p.Sd]);
            data.Add([p.X, p.Mean + p.Sd]);
            data.Add(null);
        }
        if (data.Count == 0) return null;
        return new
        {
            type = "line", name = ErrorBarsName, data, showSymbol = false, connectNulls = false, z = 1, silent = true,
            lineStyle = new { width = 1.5, color = "#555555" }, itemStyle = new { color = "#555555" },
        };
    }

    /// <summary>LSRM: final test loss against non-embedding parameters, log–log, each configuration's mean over seeds as a point
    /// (± 1 SD bars where it has two or more) and the fitted law as a curve.</summary>
    public static object ScalingCurve(IReadOnlyList<(double Params, double Loss, double Sd, int N)> measured, Func<double, double> predict)
    {
        var low = measured.Min(p => p.Params) / 2;
        var high = measured.Max(p => p.Params) * 2;
        var series = new List<object>
        {
            new { type = "scatter", name = "runs (mean over seeds)", symbolSize = 8, itemStyle = new { color = RunCharts.Color(0) },
                data = measured.Where(p => double.IsFinite(p.Loss)).Select(p => new[] { p.Params, p.Loss }).ToArray() },
            new { type = "line", name = "L(N) = E + (N₀/N)^α", showSymbol = false, lineStyle = new { width = 1.5, color = RunCharts.Color(1) },
                itemStyle = new { color = RunCharts.Color(1) }, data = Curve(low, high, predict) },
        };
        if (ErrorBars(measured.Select(p => (p.Params, p.Loss, p.Sd, p.N))) is { } bars) series.Add(bars);
        var losses = measured.SelectMany(p => p.N >= 2 && double.IsFinite(p.Sd) ? new[] { p.Loss - p.Sd, p.Loss + p.Sd } : [p.Loss])
            .Where(l => double.IsFinite(l) && l > 0).DefaultIfEmpty(1).ToList();
        return XyChart(series, "non-embedding parameters N (count, log scale)", (low, high), "test loss (cross-entropy, nats; log scale)", logY: true,
            (losses.Min() * 0.97, losses.Max() * 1.03));
    }

    /// <summary>Per family: its runs at one width as points and its law at that width as a curve, against layers (log x).</summary>
    public static object FamilyCurves(IReadOnlyList<(string Label, int Dim, IReadOnlyList<(int Layers, double Value)> Measured, Func<double, double>? Predict)> families,
        string metric)
    {
        var maxLayers = Math.Max(2, 1.5 * families.SelectMany(f => f.Measured).DefaultIfEmpty((1, 0)).Max(p => p.Layers));
        var series = new List<object>();
        foreach (var (family, i) in families.Select((f, i) => (f, i)))
        {
            var color = RunCharts.Color(i);
            var name = $"{family.Label}, d = {family.Dim}";
            series.Add(new { type = "scatter", name, symbolSize = 8, itemStyle = new { color },
                data = family.Measured.Where(p => double.IsFinite(p.Value)).Select(p => new[] { p.Layers, p.Value }).ToArray() });
            if (family.Predict is { } predict)
                series.Add(new { type = "line", name, showSymbol = false, lineStyle = new { width = 1.5, color }, itemStyle = new { color },
                    data = Curve(1, maxLayers, predict) });
        }
        return XyChart(series, "layers n (Transformer blocks, log scale)", (1, maxLayers), $"{metric} (0–1, higher is better)", logY: false);
    }

    /// <summary>
    /// A scatter-and-curve chart with a log x-axis. The legend has its own band above the plot (<see cref="LegendBand"/>); the
    /// y-axis name is centred beside the axis and the x-axis name centred under it, so neither meets the legend, and the margins
    /// leave room for both. Log axes get explicit nice tick values (<see cref="LogTicks"/>): ECharts alone puts log ticks only at
    /// powers of ten, which labels a 1–24 layer axis "1, 10" and a 3.0–3.4 loss axis not at all.
    /// </summary>
    private static object XyChart(List<object> series, string xName, (double Min, double Max) x, string yName, bool logY, (double Min, double Max)? y = null)
    {
        var xTicks = LogTicks(x.Min, x.Max);
        object yAxis = logY && y is { } range
            ? new
            {
                type = "log", name = yName, nameLocation = "middle", nameRotate = 90, nameGap = 52, min = range.Min, max = range.Max,
                axisLabel = new { show = true, hideOverlap = true, customValues = LogTicks(range.Min, range.Max) },
                axisTick = new { show = true, customValues = LogTicks(range.Min, range.Max) },
                splitLine = new { show = true },
            }
            : new
            {
                type = "value", name = yName, nameLocation = "middle", nameRotate = 90, nameGap = 52, scale = true,
                axisLabel = new { show = true, hideOverlap = true },
            };
        return new
        {
            animation = false,
            grid = new { left = 76, right = 28, top = LegendBand, bottom = 60 },
            tooltip = new { trigger = "item" },
            legend = new { type = "scroll", top = 0, left = "center" },
            xAxis = new
            {
                type = "log", name = xName, nameLocation = "middle", nameGap = 30, min = x.Min, max = x.Max,
                axisLabel = new { show = true, hideOverlap = true, customValues = xTicks },
                axisTick = new { show = true, customValues = xTicks },
                splitLine = new { show = true },
            },
            yAxis,
            series,
        };
    }

    /// <summary>
    /// Readable tick values for a log axis over [<paramref name="min"/>, <paramref name="max"/>]: 1-2-5 per decade (1-3, then
    /// powers of ten, when that gives more than <paramref name="most"/>); within less than about a decade, where those give fewer
    /// than three, evenly spaced round values (3.0, 3.1, 3.2 …), so every log axis has at least three labels.
    /// </summary>
    public static double[] LogTicks(double min, double max, int most = 8)
    {
        if (!(min > 0) || !(max > min) || !double.IsFinite(max)) return [];
        double[] ticks = [];
        foreach (var mantissas in new[] { new[] { 1.0, 2, 5 }, [1.0, 3], [1.0] })
        {
            ticks = Enumerable.Range((int)Math.Floor(Math.Log10(min)), (int)Math.Ceiling(Math.Log10(max)) - (int)Math.Floor(Math.Log10(min)) + 1)
                .SelectMany(k => mantissas.Select(m => Round(m * Math.Pow(10, k))))
                .Where(v => v >= min * (1 - 1e-12) && v <= max * (1 + 1e-12)).ToArray();
            if (ticks.Length <= most) break;
        }
        if (ticks.Length >= 3) return ticks;
        // The largest round step (1, 0.5, 0.2, 0.1 … of the span's power of ten) that gives at least four ticks.
        var power = Math.Pow(10, Math.Floor(Math.Log10(max - min)));
        var step = new[] { 1, 0.5, 0.2, 0.1, 0.05, 0.02, 0.01 }.Select(f => f * power)
            .First(s => Math.Floor(max / s) - Math.Ceiling(min / s) + 1 >= 4 || s <= power / 100 * 1.0001);
        var decimals = Math.Max(0, -(int)Math.Floor(Math.Log10(step)) + 1);
        return Enumerable.Range((int)Math.Ceiling(min / step), (int)Math.Floor(max / step) - (int)Math.Ceiling(min / step) + 1)
            .Select(k => Math.Round(k * step, decimals)).Where(v => v > 0).ToArray();
    }

    private static double Round(double value) => double.Parse(value.ToString("G12", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>60 log-spaced points of f on [low, high], non-finite values left out.</summary>
    private static double[][] Curve(double low, double high, Func<double, double> f) =>
        Enumerable.Range(0, 60).Select(k => low * Math.Pow(high / low, k / 59.0)).Select(x => new[] { x, f(x) })
            .Where(p => double.IsFinite(p[1])).ToArray();

    private static int PowerOfTwoStep(double raw)
    {
        var step = 1;
        while (step < raw) step *= 2;
        return step;
    }

    /// <summary>At most about <paramref name="most"/> of the sorted values, log-spaced (models live at the small end), plus <paramref name="keep"/>.</summary>
    private static int[] Thin(int[] values, int most, IEnumerable<int> keep)
    {
        var set = new HashSet<int>();
        if (values.Length <= most) set.UnionWith(values);
        else
            for (var k = 0; k < most; k++)
            {
                var target = values[0] * Math.Pow((double)values[^1] / values[0], k / (most - 1.0));
                var i = Array.BinarySearch(values, (int)Math.Round(target));
                i = i >= 0 ? i : Math.Min(~i, values.Length - 1);
                set.Add(values[i]);
            }
        foreach (var k in keep)
            if (Array.BinarySearch(values, k) >= 0) set.Add(k);
        return set.Order().ToArray();
    }
}
