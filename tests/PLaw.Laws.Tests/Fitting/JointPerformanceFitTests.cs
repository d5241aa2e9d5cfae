using PLaw.Laws.Fitting;

namespace PLaw.Laws.Tests.Fitting;

public sealed class JointPerformanceFitTests
{
    // w5 < 0 with D below the term's peak 2^(1/0.1) = 1024: more quality-adjusted data, better metric.
    private static readonly JointPerformanceLawParameters Truth = new(W1: 0.5, W2: 1.0, W3: -0.3, W4: -0.15, W5: -0.1, C: 2e-4, B: 1.2);
    private static readonly (string Name, double Quality)[] Datasets = [("a", 1e5), ("b", 3e5), ("c", 1e6), ("d", 3e6)];

    private static List<DatasetPerformancePoint> Points(IEnumerable<(string Name, double Quality)> datasets, double noise, int seed)
    {
        var random = new Random(seed);
        return (from ds in datasets
                from p in Synthetic.Grid(Truth.ForDataset(ds.Quality))
                select new DatasetPerformancePoint(ds.Name, ds.Quality, p.Layers, p.Dim, p.Value + noise * Synthetic.Gaussian(random))).ToList();
    }

    [Fact]
    public void FourDatasetsNoiseFreeRecoverAllSevenSharedParameters()
    {
        var fit = JointPerformanceFit.Fit(Points(Datasets, 0, 1));
        var p = fit.Parameters;
        Assert.Empty(fit.Result.NotIdentifiable);
        Assert.Equal(Truth.W1, p.W1, 5);
        Assert.Equal(Truth.W3, p.W3, 5);
        Assert.Equal(Truth.W5, p.W5, 5);
        Assert.Equal(1, p.C / Truth.C, 4);
        Assert.Equal(Truth.B, p.B, 5);
    }

    [Fact]
    public void NoisyRunsRecoverTheSharedParametersWithinThreeStandardErrors()
    {
        var fit = JointPerformanceFit.Fit(Points(Datasets, 0.002, 5)).Result;
        Assert.Empty(fit.NotIdentifiable);
        foreach (var (name, truth) in new[] { ("w1", Truth.W1), ("w2", Truth.W2), ("w3", Truth.W3), ("w4", Truth.W4), ("w5", Truth.W5), ("c", Truth.C), ("b", Truth.B) })
        {
            var se = fit.StandardError(name)!.Value;
            Assert.True(Math.Abs(fit[name] - truth) <= 3 * se, $"{name}: {fit[name]:G5} vs {truth} (SE {se:G3})");
        }
    }

    [Fact]
    public void PerDatasetDIsExplainedByQualityWhenTheLawHolds()
    {
        var fit = JointPerformanceFit.Fit(Points(Datasets, 0, 1));
        Assert.All(fit.Datasets, d => Assert.Equal(1, d.FittedD / d.JointD, 4));
        Assert.Equal(Truth.C, fit.DVersusQuality.Slope, Truth.C * 1e-3);
        Assert.True(fit.DVersusQuality.R2 > 0.9999, $"R² {fit.DVersusQuality.R2}");
    }

    [Fact]
    public void TwoDatasetsLeaveW5CAndBTradingOff()
    {
        var fit = JointPerformanceFit.Fit(Points(Datasets.Take(2), 0.001, 2));
        Assert.Equal(["b", "c", "w5"], fit.Result.NotIdentifiable.Order());
    }

    [Fact]
    public void AnUnseenDatasetIsPredictedFromItsQualityAlone()
    {
        var seen = Points(Datasets.Where(d => d.Name != "c"), 0.001, 3);
        var fit = JointPerformanceFit.Fit(seen);
        var unseen = fit.ForDataset(1e6);
        var truth = Truth.ForDataset(1e6);
        foreach (var n in Synthetic.Layers)
        foreach (var d in Synthetic.Dims)
            Assert.True(Math.Abs(unseen.Value(n, d) - truth.Value(n, d)) < 0.005, $"({n}, {d}): {unseen.Value(n, d):F4} vs {truth.Value(n, d):F4}");
    }

    [Fact]
    public void OneDatasetIsRefused() =>
        Assert.Equal(FitFailure.TooFewPoints, Assert.Throws<LawFitException>(() => JointPerformanceFit.Fit(Points(Datasets.Take(1), 0, 1))).Reason);
}
