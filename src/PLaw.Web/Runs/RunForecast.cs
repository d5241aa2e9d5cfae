using System.Globalization;
using PLaw.Laws.Fitting;
using PLaw.Laws.Forecast;
using PLaw.Registry.Runs;
using PLaw.Web.Components.Runs;

namespace PLaw.Web.Runs;

/// <summary>
/// A Run page learning-curve forecast, or the sentence saying why there is none yet: a validation metric fitted by epoch to
/// the evaluations so far and carried to the run's last epoch, or the training loss fitted by step and carried to the last
/// step (<see cref="CurveForecaster"/>), with the interval drawn in between (at most <see cref="MaxBandPoints"/> points).
/// </summary>
public sealed record RunForecast(string Split, string Metric, CurveForecast? Forecast, string Text)
{
    public const int MaxBandPoints = 120;

    /// <summary>
    /// Loss points fitted: the stored per-step losses averaged over this many step buckets. <c>plaw forecast</c> reads 200; the
    /// page, which refits after every evaluation for every viewer, reads fewer: the buckets' means are smooth either way.
    /// </summary>
    public const int LossPoints = 60;

    /// <summary>The final training loss at <paramref name="lastStep"/> from the (bucket-averaged) loss points so far.</summary>
    public static RunForecast OfLoss(IReadOnlyCollection<MetricPoint> loss, long? lastStep)
    {
        const string what = "training loss";
        if (lastStep is not > 0)
            return new(MetricSplits.Train, "loss", null, $"No forecast of the final {what}: the run's number of steps is not known yet.");
        var points = loss.Where(p => p.Step > 0 && double.IsFinite(p.Value)).Select(p => ((double)p.Step, p.Value)).ToList();
        if (points.Count < CurveForecaster.MinimumPoints)
            return new(MetricSplits.Train, "loss", null,
                $"No forecast of the final {what} yet: it needs at least {CurveForecaster.MinimumPoints} loss points, and {points.Count} {(points.Count == 1 ? "has" : "have")} been logged.");
        var last = points.Max(p => p.Item1);
        var target = Math.Max((double)lastStep.Value, last);
        try
        {
            var f = CurveForecaster.Forecast(points, target, CurveDirections.Of("loss"), band: Band(last, target));
            var text = string.Create(CultureInfo.InvariantCulture,
                $"Forecast final {what} at step {target:N0}: {f.Value:F4} ({f.Level:P0} interval {f.Low:F4}–{f.High:F4}) from {f.Points} loss points.");
            return new(MetricSplits.Train, "loss", f, text);
        }
        catch (LawFitException e)
        {
            return new(MetricSplits.Train, "loss", null, $"No forecast of the final {what}: {e.Message}");
        }
    }

    public static RunForecast Of(string split, string metric, IReadOnlyCollection<MetricPoint> evaluations, int epochs)
    {
        var points = evaluations.Where(p => p.Epoch > 0 && double.IsFinite(p.Value)).Select(p => ((double)p.Epoch, p.Value)).ToList();
        var what = $"{split} {metric}";
        if (points.Count < CurveForecaster.MinimumPoints)
            return new(split, metric, null,
                $"No forecast of the final {what} yet: it needs at least {CurveForecaster.MinimumPoints} evaluations, and {points.Count} {(points.Count == 1 ? "has" : "have")} been made.");
        var last = points.Max(p => p.Item1);
        var target = Math.Max(epochs, last);
        try
        {
            var f = CurveForecaster.Forecast(points, target, CurveDirections.Of(metric), band: Band(last, target));
            var text = $"Forecast final {what} at epoch {target:0}: {F(metric, f.Value)} ({f.Level.ToString("P0", CultureInfo.InvariantCulture)} interval " +
                       $"{F(metric, f.Low)}–{F(metric, f.High)}) from {f.Points} evaluations.";
            return new(split, metric, f, text);
        }
        catch (LawFitException e)
        {
            return new(split, metric, null, $"No forecast of the final {what}: {e.Message}");
        }
    }

    /// <summary>From the last point seen to the target, in whole units, at most <see cref="MaxBandPoints"/> of them.</summary>
    private static List<double> Band(double last, double target)
    {
        var stride = Math.Max(1, Math.Ceiling((target - last) / MaxBandPoints));
        var band = new List<double>();
        for (var t = last; t < target; t += stride) band.Add(t);
        return band;
    }

    private static string F(string metric, double v) => MetricFormat.Format(metric, v);

    /// <summary>
    /// The dashed forecast line and its shaded interval, as ECharts series over the forecast's own axis (epoch for a metric,
    /// step for the loss), or over another one through <paramref name="x"/> (e.g. step → epoch).
    /// </summary>
    public IReadOnlyList<object> Series(Func<double, double>? x = null)
    {
        if (Forecast is not { } f) return [];
        x ??= t => t;
        var level = f.Level.ToString("P0", CultureInfo.InvariantCulture);
        var stack = "forecast-band";
        var hidden = new { opacity = 0 };
        return
        [
            // The band: the low edge (no line, no fill) with the interval's width stacked on it and filled.
            new { type = "line", name = $"forecast {level} interval", stack, data = f.Band.Select(b => new[] { x(b.T), b.Low }).ToArray(),
                  showSymbol = false, lineStyle = hidden, color = "#8a94a6", silent = true },
            new { type = "line", name = $"forecast {level} interval", stack, data = f.Band.Select(b => new[] { x(b.T), b.High - b.Low }).ToArray(),
                  showSymbol = false, lineStyle = hidden, areaStyle = new { opacity = 0.28 }, color = "#8a94a6", silent = true },
            new { type = "line", name = $"forecast {Split} {Metric}", data = f.Band.Select(b => new[] { x(b.T), b.Value }).ToArray(),
                  showSymbol = false, lineStyle = new { type = "dashed", width = 2 } },
        ];
    }
}
