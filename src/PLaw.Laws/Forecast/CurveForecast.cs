using PLaw.Laws.Fitting;

namespace PLaw.Laws.Forecast;

/// <summary>
/// The forecast value of a learning curve at <see cref="Target"/> (the run's last step or epoch) with a
/// <see cref="Level"/> prediction interval [<see cref="Low"/>, <see cref="High"/>], from <see cref="Points"/> points up to
/// <see cref="LastSeen"/>; <see cref="Band"/> gives the same at the other progress values asked for, ending at the target.
/// </summary>
public sealed record CurveForecast(
    CurveDirection Direction, double Target, double Value, double Low, double High, double Level, int Points, double LastSeen, LawFit Fit,
    IReadOnlyList<ForecastPoint> Band)
{
    public double Width => High - Low;

    public bool Contains(double value) => value >= Low && value <= High;

    /// <summary>The fitted curve at <paramref name="t"/> (for drawing the forecast line).</summary>
    public double Curve(double t) => Fit.Predict(t);
}

/// <summary>The fitted curve at <see cref="T"/> with its prediction interval.</summary>
public readonly record struct ForecastPoint(double T, double Value, double Low, double High);
