using System.Globalization;
using PLaw.Laws.Fitting;
using PLaw.Laws.Forecast;
using PLaw.Registry.Runs;
using PLaw.Web.Components.Runs;

namespace PLaw.Web.Runs;

/// <summary>
/// The Run page's learning-curve forecast of a validation metric: fitted by epoch to the evaluations so far and carried to the
/// run's last epoch (<see cref="CurveForecaster"/>), with the interval drawn at every epoch in between (at most
/// <see cref="MaxBandPoints"/> of them), or the sentence saying why there is none yet.
/// </summary>
public sealed record RunForecast(string Split, string Metric, CurveForecast? Forecast, string Text)
{
    public const int MaxBandPoints = 120;

    public static RunForecast Of(string split, string metric, IReadOnlyCollection<MetricPoint> evaluations, int epochs)
    {
        var points = evaluations.Where(p => p.Epoch > 0 && double.IsFinite(p.Value)).Select(p => ((double)p.Epoch, p.Value)).ToList();
        var what = $"{split} {metric}";
        if (points.Count < CurveForecaster.MinimumPoints)
            return new(split, metric, null,
                $"No forecast of the final {what} yet: it needs at least {CurveForecaster.MinimumPoints} evaluations, and {points.Count} {(points.Count == 1 ? "has" : "have")} been made.");
        var last = points.Max(p => p.Item1);
        var target = Math.Max(epochs, last);
        var stride = Math.Max(1, (int)Math.Ceiling((target - last) / MaxBandPoints));
        var band = new List<double>();
        for (var t = last; t < target; t += stride) band.Add(t);
        try
        {
            var f = CurveForecaster.Forecast(points, target, CurveDirections.Of(metric), band: band);
            var text = $"Forecast final {what} at epoch {target:0}: {F(metric, f.Value)} ({f.Level.ToString("P0", CultureInfo.InvariantCulture)} interval " +
                       $"{F(metric, f.Low)}–{F(metric, f.High)}) from {f.Points} evaluations.";
            return new(split, metric, f, text);
        }
        catch (LawFitException e)
        {
            return new(split, metric, null, $"No forecast of the final {what}: {e.Message}");
        }
    }

    private static string F(string metric, double v) => MetricFormat.Format(metric, v);

    /// <summary>The dashed forecast line and its shaded interval, as ECharts series over the epoch axis.</summary>
    public IReadOnlyList<object> Series()
    {
        if (Forecast is not { } f) return [];
        var level = f.Level.ToString("P0", CultureInfo.InvariantCulture);
        var stack = "forecast-band";
        var hidden = new { opacity = 0 };
        return
        [
            // The band: the low edge (no line, no fill) with the interval's width stacked on it and filled.
            new { type = "line", name = $"forecast {level} interval", stack, data = f.Band.Select(b => new[] { b.T, b.Low }).ToArray(),
                  showSymbol = false, lineStyle = hidden, color = "#8a94a6", silent = true },
            new { type = "line", name = $"forecast {level} interval", stack, data = f.Band.Select(b => new[] { b.T, b.High - b.Low }).ToArray(),
                  showSymbol = false, lineStyle = hidden, areaStyle = new { opacity = 0.28 }, color = "#8a94a6", silent = true },
            new { type = "line", name = $"forecast {Split} {Metric}", data = f.Band.Select(b => new[] { b.T, b.Value }).ToArray(),
                  showSymbol = false, lineStyle = new { type = "dashed", width = 2 } },
        ];
    }
}
