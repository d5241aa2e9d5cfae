using PLaw.Laws.Fitting;

namespace PLaw.Laws.Forecast;

/// <summary>
/// The forecast value of a learning curve at <see cref="Target"/> (the run's last step or epoch) with a
/// <see cref="Level"/> prediction interval [<see cref="Low"/>, <see cref="High"/>], from <see cref="Points"/> points up to
/// <see cref="LastSeen"/>.
/// </summary>
public sealed record CurveForecast(
    CurveDirection Direction, double Target, double Value, double Low, double High, double Level, int Points, double LastSeen, LawFit Fit)
{
    public double Width => High - Low;

    public bool Contains(double value) => value >= Low && value <= High;

    /// <summary>The fitted curve at <paramref name="t"/> (for drawing the forecast line).</summary>
    public double Curve(double t) => Fit.Predict(t);
}
