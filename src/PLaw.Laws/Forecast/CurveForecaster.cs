using PLaw.Laws.Fitting;

namespace PLaw.Laws.Forecast;

/// <summary>
/// Forecasts where a learning curve ends: fits <see cref="SaturatingPowerLawModel"/> to the points seen so far with
/// <see cref="LawFitter"/> and evaluates it at the run's last step or epoch.
/// </summary>
/// <remarks>
/// The interval is a residual bootstrap, not the delta method: an extrapolation several times beyond the points is strongly
/// nonlinear in α (early in a run α and y∞ trade off along a long valley), where the linearised covariance gives a symmetric
/// band that is far too narrow on one side. Each of <see cref="BootstrapSamples"/> resamples adds the centred residuals
/// (inflated by √(n/(n−3)) for the three fitted parameters) back onto the fitted curve, refits warm-started from the fit,
/// and forecasts; one more resampled residual is added to each forecast, because the final value a run reports is itself one
/// noisy measurement, so this is a prediction interval for that value. A fixed seed makes the interval reproducible: the same
/// points always give the same band (the CLI, the Run page and the tests agree to the digit).
/// </remarks>
public static class CurveForecaster
{
    /// <summary>Three parameters plus one residual degree of freedom.</summary>
    public const int MinimumPoints = 4;
    public const int BootstrapSamples = 300;
    public const double DefaultLevel = 0.9;
    private const int Seed = 20240613;

    /// <summary>
    /// The forecast at <paramref name="target"/> from <paramref name="points"/> (t, value), t &gt; 0 in the same unit as the
    /// target. Throws <see cref="LawFitException"/> when there are fewer than <see cref="MinimumPoints"/> points or no law fits.
    /// </summary>
    /// <param name="band">Where else to give the forecast with its interval (e.g. every epoch from the last evaluation to the
    /// last), from the same bootstrap refits; the target is always included.</param>
    public static CurveForecast Forecast(IReadOnlyList<(double T, double Value)> points, double target, CurveDirection direction,
        double level = DefaultLevel, IReadOnlyList<double>? band = null)
    {
        if (!(target > 0) || !double.IsFinite(target))
            throw new ArgumentOutOfRangeException(nameof(target), target, "The forecast target (last step or epoch) must be a positive number.");
        if (!(level > 0 && level < 1)) throw new ArgumentOutOfRangeException(nameof(level), level, "The interval level must be in (0, 1).");
        if (points.Count < MinimumPoints)
            throw new LawFitException(FitFailure.TooFewPoints,
                $"a learning-curve forecast needs at least {MinimumPoints} points (evaluations) to fit y∞, A and α with one to spare; it has {points.Count}.");
        var sorted = points.OrderBy(p => p.T).ToList();
        var model = SaturatingPowerLawModel.For(direction);
        var ts = sorted.Select(p => p.T).ToArray();
        var data = new FitData(1, ts, sorted.Select(p => p.Value).ToArray());
        var fit = LawFitter.Fit(model, data);
        var value = fit.Predict(target);
        if (!double.IsFinite(value))
            throw new LawFitException(FitFailure.NoConvergence, $"the fitted curve has no finite value at {target:G6}.");

        int n = data.Count, k = model.Parameters.Count;
        var inflation = Math.Sqrt((double)n / (n - k));
        var mean = fit.Residuals.Average();
        var residuals = fit.Residuals.Select(r => (r - mean) * inflation).ToArray();
        var random = new Random(Seed);
        var warm = new FitOptions(Starts: [fit.Values], SkipModelStarts: true);
        var refits = new List<(double[] Parameters, double Noise)>(BootstrapSamples);
        var resampled = new double[n];
        for (var b = 0; b < BootstrapSamples; b++)
        {
            for (var i = 0; i < n; i++) resampled[i] = fit.Fitted[i] + residuals[random.Next(n)];
            var noise = residuals[random.Next(n)];
            var sample = new FitData(1, ts, (double[])resampled.Clone());
            try
            {
                var refit = LawFitter.Fit(model, sample, warm);
                if (double.IsFinite(refit.Predict(target))) refits.Add((refit.Values, noise));
            }
            catch (LawFitException)
            {
                // a resample with no trend (all equal) or no finite descent says nothing about the spread
            }
        }
        if (refits.Count < BootstrapSamples / 2)
            throw new LawFitException(FitFailure.NoConvergence,
                $"only {refits.Count} of {BootstrapSamples} bootstrap refits succeeded: the points do not fix the curve's end.");
        var tail = (1 - level) / 2;
        var at = new double[1];
        var spread = new List<double>(refits.Count);
        ForecastPoint Interval(double t)
        {
            at[0] = t;
            spread.Clear();
            foreach (var (parameters, noise) in refits)
                if (model.Value(at, parameters) is var f && double.IsFinite(f)) spread.Add(f + noise);
            spread.Sort();
            var centre = fit.Predict(t);
            return new ForecastPoint(t, centre, Math.Min(Quantile(spread, tail), centre), Math.Max(Quantile(spread, 1 - tail), centre));
        }
        var end = Interval(target);
        var path = (band ?? []).Append(target).Distinct().Order().Select(t => t == target ? end : Interval(t)).ToList();
        return new CurveForecast(direction, target, value, end.Low, end.High, level, n, sorted[^1].T, fit, path);
    }

    /// <summary>Linear interpolation between order statistics (type 7, R's default).</summary>
    private static double Quantile(List<double> sorted, double q)
    {
        var h = (sorted.Count - 1) * q;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, sorted.Count - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
