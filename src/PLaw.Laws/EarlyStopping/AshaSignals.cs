using PLaw.Laws.Fitting;
using PLaw.Laws.Forecast;

namespace PLaw.Laws.EarlyStopping;

/// <summary>The value a rung compares, from a run's validation curve up to the rung.</summary>
public static class AshaSignals
{
    /// <summary>The forecast fits three parameters and keeps one residual degree of freedom (<see cref="CurveForecaster"/>).</summary>
    public const int MinimumEvaluations = CurveForecaster.MinimumPoints;

    /// <summary>
    /// The curve's value at <paramref name="rung"/> (<see cref="AshaSignal.Current"/>), or the saturating power law fitted to
    /// the curve up to the rung evaluated at <paramref name="lastEpoch"/> (<see cref="AshaSignal.Forecast"/>: the point forecast
    /// of <see cref="CurveForecaster"/>, without its bootstrap interval, which a ranking does not use). NaN when the curve has no
    /// point at the rung or the forecast cannot be made.
    /// </summary>
    /// <param name="curve">(epoch, value) validation points; points after the rung are ignored.</param>
    public static double Value(IReadOnlyList<(double Epoch, double Value)> curve, int rung, int lastEpoch, AshaSignal signal,
        CurveDirection direction)
    {
        var seen = curve.Where(p => p.Epoch <= rung && double.IsFinite(p.Value)).OrderBy(p => p.Epoch).ToList();
        if (seen.Count == 0 || seen[^1].Epoch != rung) return double.NaN;
        if (signal == AshaSignal.Current) return seen[^1].Value;
        if (seen.Count < MinimumEvaluations) return double.NaN;
        try
        {
            var fit = LawFitter.Fit(SaturatingPowerLawModel.For(direction),
                new FitData(1, seen.Select(p => p.Epoch).ToArray(), seen.Select(p => p.Value).ToArray()));
            var forecast = fit.Predict(lastEpoch);
            return double.IsFinite(forecast) ? forecast : double.NaN;
        }
        catch (LawFitException)
        {
            return double.NaN;
        }
    }
}
