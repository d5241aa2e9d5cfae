using PLaw.Laws.Fitting;

namespace PLaw.Laws.Forecast;

/// <summary>
/// One back-test of a finished curve: the forecast made from the points up to <see cref="Fraction"/> of training against the
/// value the run really ended on; <see cref="Refusal"/> says why there was no forecast (too few points by then).
/// </summary>
public sealed record ForecastCheck(double Fraction, double Cutoff, double Target, double Truth, CurveForecast? Forecast, string? Refusal)
{
    /// <summary>Forecast minus truth.</summary>
    public double? Error => Forecast is null ? null : Forecast.Value - Truth;
    public double? AbsoluteError => Error is { } e ? Math.Abs(e) : null;
    /// <summary>|forecast − truth| / |truth| (null when the truth is 0).</summary>
    public double? RelativeError => AbsoluteError is { } e && Truth != 0 ? e / Math.Abs(Truth) : null;
    public bool? Covered => Forecast?.Contains(Truth);
}

/// <summary>Back-tests at one fraction of training over many curves.</summary>
public sealed record ForecastAccuracySummary(
    double Fraction, int Curves, int Forecast, double? MeanAbsoluteError, double? MedianAbsoluteError, double? MeanRelativeError,
    double? MedianRelativeError, double? Coverage);

/// <summary>
/// How good the forecasts are on finished runs: forecast from the first 25 % and 50 % of training (by default) and compare
/// with the last value the run reached.
/// </summary>
public static class ForecastAccuracy
{
    public static readonly IReadOnlyList<double> DefaultFractions = [0.25, 0.5];

    /// <summary>
    /// Back-tests one finished curve (t, value); its last point is the truth and its t the target. A point counts as seen at
    /// fraction f when t ≤ f·target.
    /// </summary>
    public static IReadOnlyList<ForecastCheck> Measure(IReadOnlyList<(double T, double Value)> curve, CurveDirection direction,
        IReadOnlyList<double>? fractions = null)
    {
        if (curve.Count == 0) throw new ArgumentException("A finished curve needs at least one point.", nameof(curve));
        var last = curve.MaxBy(p => p.T);
        var checks = new List<ForecastCheck>();
        foreach (var fraction in fractions ?? DefaultFractions)
        {
            if (!(fraction > 0 && fraction < 1)) throw new ArgumentOutOfRangeException(nameof(fractions), fraction, "Fractions of training must be in (0, 1).");
            var cutoff = fraction * last.T;
            var seen = curve.Where(p => p.T <= cutoff).ToList();
            try
            {
                checks.Add(new ForecastCheck(fraction, cutoff, last.T, last.Value, CurveForecaster.Forecast(seen, last.T, direction), null));
            }
            catch (LawFitException e)
            {
                checks.Add(new ForecastCheck(fraction, cutoff, last.T, last.Value, null, e.Message));
            }
        }
        return checks;
    }

    /// <summary>Per fraction: how many curves had a forecast, mean and median absolute and relative errors, interval coverage.</summary>
    public static IReadOnlyList<ForecastAccuracySummary> Summarise(IEnumerable<ForecastCheck> checks) =>
        checks.GroupBy(c => c.Fraction).OrderBy(g => g.Key).Select(g =>
        {
            var done = g.Where(c => c.Forecast is not null).ToList();
            var abs = done.Select(c => c.AbsoluteError!.Value).ToList();
            var rel = done.Where(c => c.RelativeError is not null).Select(c => c.RelativeError!.Value).ToList();
            return new ForecastAccuracySummary(g.Key, g.Count(), done.Count, Mean(abs), Median(abs), Mean(rel), Median(rel),
                done.Count == 0 ? null : done.Count(c => c.Covered == true) / (double)done.Count);
        }).ToList();

    private static double? Mean(List<double> v) => v.Count == 0 ? null : v.Average();

    private static double? Median(List<double> v)
    {
        if (v.Count == 0) return null;
        var s = v.Order().ToList();
        return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2;
    }
}
