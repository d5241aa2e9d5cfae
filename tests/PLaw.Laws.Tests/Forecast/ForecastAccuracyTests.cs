using PLaw.Laws.Forecast;

namespace PLaw.Laws.Tests.Forecast;

public sealed class ForecastAccuracyTests
{
    [Fact]
    public void CurveFromTheLawIsForecastAtAQuarterAndAHalfWithItsErrors()
    {
        // 40 epochs of y = 0.30 − 0.25·t^(−0.6) with a little noise: 10 points by 25 %, 20 by 50 %.
        var random = new Random(11);
        var curve = Enumerable.Range(1, 40).Select(e => ((double)e, 0.30 - 0.25 * Math.Pow(e, -0.6) + 0.003 * Synthetic.Gaussian(random))).ToList();
        var checks = ForecastAccuracy.Measure(curve, CurveDirection.Rising);
        Assert.Equal([0.25, 0.5], checks.Select(c => c.Fraction));
        Assert.Equal([10, 20], checks.Select(c => c.Forecast!.Points));
        var truth = curve[^1].Item2;
        foreach (var check in checks)
        {
            Assert.Equal(truth, check.Truth);
            Assert.Equal(Math.Abs(check.Forecast!.Value - truth), check.AbsoluteError!.Value, 12);
            Assert.Equal(check.AbsoluteError!.Value / truth, check.RelativeError!.Value, 12);
            Assert.InRange(check.RelativeError!.Value, 0, 0.05);
            Assert.True(check.Covered);
        }
        var summary = ForecastAccuracy.Summarise(checks);
        Assert.Equal(2, summary.Count);
        Assert.Equal(checks[0].AbsoluteError, summary[0].MeanAbsoluteError);
        Assert.Equal(1.0, summary[1].Coverage);
    }

    [Fact]
    public void ShortCurveIsRefusedAtAQuarterWithTheReason()
    {
        // 8 epochs: 2 points by 25 % (too few), 4 by 50 %.
        var curve = Enumerable.Range(1, 8).Select(e => ((double)e, 0.3 - 0.2 / e)).ToList();
        var checks = ForecastAccuracy.Measure(curve, CurveDirection.Rising);
        Assert.Null(checks[0].Forecast);
        Assert.Contains("at least 4", checks[0].Refusal, StringComparison.Ordinal);
        Assert.NotNull(checks[1].Forecast);
        var summary = ForecastAccuracy.Summarise(checks);
        Assert.Equal((1, 0), (summary[0].Curves, summary[0].Forecast));
        Assert.Null(summary[0].MeanAbsoluteError);
        Assert.Equal(1, summary[1].Forecast);
    }
}
