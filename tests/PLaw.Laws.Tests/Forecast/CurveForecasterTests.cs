using PLaw.Laws.Fitting;
using PLaw.Laws.Forecast;

namespace PLaw.Laws.Tests.Forecast;

public sealed class CurveForecasterTests
{
    /// <summary>A validation metric rising towards 0.30 over 40 epochs: y = 0.30 − 0.25·t^(−0.6).</summary>
    private static double Metric(double t) => 0.30 - 0.25 * Math.Pow(t, -0.6);

    /// <summary>A training loss falling towards 2.0 over 2,000 steps: y = 2.0 + 3·t^(−0.5).</summary>
    private static double Loss(double t) => 2.0 + 3 * Math.Pow(t, -0.5);

    private static List<(double T, double Value)> Curve(Func<double, double> law, IEnumerable<double> ts, double noise, int seed)
    {
        var random = new Random(seed);
        return ts.Select(t => (t, law(t) + noise * Synthetic.Gaussian(random))).ToList();
    }

    private static IEnumerable<double> Epochs(int upTo) => Enumerable.Range(1, upTo).Select(e => (double)e);

    [Fact]
    public void NoiselessCurveIsForecastExactly()
    {
        var forecast = CurveForecaster.Forecast(Curve(Metric, Epochs(10), 0, 1), 40, CurveDirection.Rising);
        Assert.Equal(Metric(40), forecast.Value, 4);
        Assert.Equal(0.30, forecast.Fit["yInf"], 3);
        Assert.Equal(0.6, forecast.Fit["alpha"], 2);
        Assert.Equal(10, forecast.Points);
    }

    [Fact]
    public void IntervalContainsTheTrueFinalValueAndTightensAsMoreOfTheCurveIsSeen()
    {
        var curve = Curve(Metric, Epochs(40), 0.004, 3);
        var widths = new List<double>();
        foreach (var seen in new[] { 10, 20, 30 })
        {
            var forecast = CurveForecaster.Forecast(curve.Take(seen).ToList(), 40, CurveDirection.Rising);
            Assert.True(forecast.Contains(Metric(40)), $"{seen} epochs: {forecast.Low:F4}–{forecast.High:F4} misses {Metric(40):F4}");
            Assert.InRange(forecast.Value, forecast.Low, forecast.High);
            widths.Add(forecast.Width);
        }
        Assert.True(widths[0] > widths[1] && widths[1] > widths[2], string.Join(" > ", widths.Select(w => w.ToString("F4"))));
    }

    [Fact]
    public void FallingLossIsForecastWithinItsInterval()
    {
        var steps = Enumerable.Range(1, 100).Select(i => i * 20.0).ToList();
        var curve = Curve(Loss, steps, 0.003, 5);
        var early = CurveForecaster.Forecast(curve.Where(p => p.T <= 200).ToList(), 2000, CurveDirection.Falling);
        var later = CurveForecaster.Forecast(curve.Where(p => p.T <= 1000).ToList(), 2000, CurveDirection.Falling);
        Assert.True(early.Contains(Loss(2000)), $"{early.Low:F4}–{early.High:F4} misses {Loss(2000):F4}");
        Assert.True(later.Contains(Loss(2000)), $"{later.Low:F4}–{later.High:F4} misses {Loss(2000):F4}");
        Assert.True(later.Width < early.Width, $"{early.Width:F4} then {later.Width:F4}");
    }

    [Fact]
    public void NinetyPercentIntervalsCoverMostNoisyCurves()
    {
        // Deterministic (fixed seeds), but a statement about the interval as a whole rather than one lucky draw.
        var covered = Enumerable.Range(100, 20)
            .Count(seed => CurveForecaster.Forecast(Curve(Metric, Epochs(20), 0.005, seed), 40, CurveDirection.Rising).Contains(Metric(40)));
        Assert.InRange(covered, 16, 20);
    }

    [Fact]
    public void BandEndsAtTheForecastAndWidensFurtherFromTheLastPoint()
    {
        var forecast = CurveForecaster.Forecast(Curve(Metric, Epochs(10), 0.004, 3), 40, CurveDirection.Rising, band: [10, 20, 30]);
        Assert.Equal([10.0, 20, 30, 40], forecast.Band.Select(b => b.T));
        Assert.Equal(new ForecastPoint(40, forecast.Value, forecast.Low, forecast.High), forecast.Band[^1]);
        var widths = forecast.Band.Select(b => b.High - b.Low).ToList();
        Assert.True(widths.Zip(widths.Skip(1)).All(w => w.First < w.Second), string.Join(" < ", widths.Select(w => w.ToString("F4"))));
        Assert.All(forecast.Band, b => Assert.Equal(forecast.Curve(b.T), b.Value, 12));
    }

    [Fact]
    public void SameCurveGivesTheSameInterval()
    {
        var curve = Curve(Metric, Epochs(12), 0.004, 9);
        var a = CurveForecaster.Forecast(curve, 40, CurveDirection.Rising);
        var b = CurveForecaster.Forecast(curve, 40, CurveDirection.Rising);
        Assert.Equal((a.Value, a.Low, a.High), (b.Value, b.Low, b.High));
    }

    [Fact]
    public void TooFewPointsAreRefusedSayingHowManyAreNeeded()
    {
        var e = Assert.Throws<LawFitException>(() => CurveForecaster.Forecast(Curve(Metric, Epochs(3), 0, 1), 40, CurveDirection.Rising));
        Assert.Equal(FitFailure.TooFewPoints, e.Reason);
        Assert.Contains("at least 4", e.Message, StringComparison.Ordinal);
        Assert.Contains("it has 3", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(CurveDirection.Rising)]
    [InlineData(CurveDirection.Falling)]
    public void GradientMatchesFiniteDifferences(CurveDirection direction)
    {
        var model = SaturatingPowerLawModel.For(direction);
        double[] p = [0.3, 0.25, 0.6], x = [7.5], dp = new double[3];
        model.Gradient(x, p, dp);
        for (var j = 0; j < 3; j++)
        {
            double[] up = (double[])p.Clone(), down = (double[])p.Clone();
            up[j] += 1e-6;
            down[j] -= 1e-6;
            Assert.Equal((model.Value(x, up) - model.Value(x, down)) / 2e-6, dp[j], 6);
        }
    }
}
