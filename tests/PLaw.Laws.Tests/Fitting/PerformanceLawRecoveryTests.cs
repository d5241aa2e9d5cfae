using PLaw.Laws.Fitting;

namespace PLaw.Laws.Tests.Fitting;

public sealed class PerformanceLawRecoveryTests
{
    private static readonly PerformanceLawParameters Truth = Synthetic.Hr10;

    [Fact]
    public void NoiseFreeGridRecoversTheIdentifiableParametersExactly()
    {
        var fit = PerformanceFit.Fit(Synthetic.Grid(Truth));
        var p = fit.Parameters;
        Assert.Equal(Truth.W1, p.W1, 6);
        Assert.Equal(Truth.W2, p.W2, 6);
        Assert.Equal(Truth.W3, p.W3, 6);
        Assert.Equal(Truth.W4, p.W4, 6);
        Assert.True(fit.Result.Sse < 1e-18, $"SSE {fit.Result.Sse}");
        // On one dataset only φ(D; w5) + b is fixed; it must equal the truth's.
        Assert.Equal(PerformanceLaw.Term(Truth.D, Truth.W5) + Truth.B, PerformanceLaw.Term(p.D, p.W5) + p.B, 8);
    }

    [Fact]
    public void OnOneDatasetDW5AndBAreFlaggedAsOneTradeoff()
    {
        var fit = PerformanceFit.Fit(Synthetic.Grid(Truth, noise: 0.002)).Result;
        Assert.Equal(["D", "b", "w5"], fit.NotIdentifiable.Order());
        Assert.Single(fit.Identifiability.Tradeoffs);
        Assert.Equal(["D", "b", "w5"], fit.Identifiability.Tradeoffs[0].Order());
        Assert.Null(fit.StandardError("D"));
        Assert.Null(fit.StandardError("w5"));
        Assert.Null(fit.StandardError("b"));
        Assert.NotNull(fit.StandardError("w1"));
        Assert.Equal(5, fit.Identifiability.Rank);
    }

    [Fact]
    public void NoisyGridRecoversW1ToW4WithinThreeStandardErrors()
    {
        var fit = PerformanceFit.Fit(Synthetic.Grid(Truth, noise: 0.002, seed: 11)).Result;
        foreach (var (name, truth) in new[] { ("w1", Truth.W1), ("w2", Truth.W2), ("w3", Truth.W3), ("w4", Truth.W4) })
        {
            var se = fit.StandardError(name)!.Value;
            Assert.True(Math.Abs(fit[name] - truth) <= 3 * se, $"{name}: {fit[name]:G5} vs {truth} (SE {se:G3})");
            Assert.True(se < 0.25 * Math.Abs(truth), $"{name}: SE {se:G3} too large to mean anything");
        }
        Assert.InRange(fit.Rmse, 0.0015, 0.0025); // the noise level, 0.002
        Assert.True(fit.R2 > 0.95, $"R² {fit.R2}");
    }

    [Fact]
    public void ResidualsAreObservedMinusFitted()
    {
        var points = Synthetic.Grid(Truth, noise: 0.002, seed: 3);
        var fit = PerformanceFit.Fit(points);
        for (var i = 0; i < points.Count; i++)
            Assert.Equal(points[i].Value - fit.Predict(points[i].Layers, points[i].Dim), fit.Result.Residuals[i], 12);
        Assert.Equal(fit.Result.Residuals.Sum(r => r * r), fit.Result.Sse, 12);
    }
}
