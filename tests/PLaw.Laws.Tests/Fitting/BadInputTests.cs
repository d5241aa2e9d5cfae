using PLaw.Laws.Fitting;

namespace PLaw.Laws.Tests.Fitting;

public sealed class BadInputTests
{
    [Fact]
    public void FewerPointsThanParametersIsRefused()
    {
        var points = Synthetic.Grid(Synthetic.Hr10, layers: [2, 4], dims: [32, 64, 128]);
        var e = Assert.Throws<LawFitException>(() => PerformanceFit.Fit(points));
        Assert.Equal(FitFailure.TooFewPoints, e.Reason);
        Assert.Contains("6 points for 7 parameters", e.Message);
    }

    [Fact]
    public void ANaNMetricNamesThePointAndSuggestsAFailedRun()
    {
        var points = Synthetic.Grid(Synthetic.Hr10);
        points[4] = points[4] with { Value = double.NaN };
        var e = Assert.Throws<LawFitException>(() => PerformanceFit.Fit(points));
        Assert.Equal(FitFailure.NonFiniteValue, e.Reason);
        Assert.Contains("point 5", e.Message);
        Assert.Contains("failed run", e.Message);
    }

    [Fact]
    public void ConstantValuesAreRefused()
    {
        var points = Synthetic.Grid(Synthetic.Hr10).Select(p => p with { Value = 0.25 }).ToList();
        var e = Assert.Throws<LawFitException>(() => PerformanceFit.Fit(points));
        Assert.Equal(FitFailure.ConstantValues, e.Reason);
    }

    [Fact]
    public void ZeroLayersIsOutsideTheLaw()
    {
        var points = Synthetic.Grid(Synthetic.Hr10);
        points[0] = points[0] with { Layers = 0 };
        var e = Assert.Throws<LawFitException>(() => PerformanceFit.Fit(points));
        Assert.Equal(FitFailure.InvalidInput, e.Reason);
        Assert.Contains("layers", e.Message);
    }

    [Fact]
    public void ANonPositiveParameterCountIsOutsideTheLossLaw()
    {
        var points = new[] { new ScalingPoint(1e5, 6), new ScalingPoint(-1, 5.5), new ScalingPoint(1e7, 5.2) };
        Assert.Equal(FitFailure.InvalidInput, Assert.Throws<LawFitException>(() => ScalingFit.Lsrm(points)).Reason);
    }
}
