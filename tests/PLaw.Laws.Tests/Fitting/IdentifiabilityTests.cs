using PLaw.Laws.Fitting;

namespace PLaw.Laws.Tests.Fitting;

public sealed class IdentifiabilityTests
{
    [Fact]
    public void OneWidthOnlyLeavesTheWidthTermUndetermined()
    {
        var fit = PerformanceFit.Fit(Synthetic.Grid(Synthetic.Hr10, noise: 0.001, dims: [64])).Result;
        Assert.Contains("w2", fit.NotIdentifiable);
        Assert.Contains("w4", fit.NotIdentifiable);
        Assert.DoesNotContain("w1", fit.NotIdentifiable);
        Assert.DoesNotContain("w3", fit.NotIdentifiable);
        Assert.Null(fit.StandardError("w4"));
    }

    [Fact]
    public void OneDepthOnlyLeavesTheDepthTermUndetermined()
    {
        var fit = PerformanceFit.Fit(Synthetic.Grid(Synthetic.Hr10, noise: 0.001, layers: [4], dims: [8, 16, 32, 64, 128, 256, 512, 1024])).Result;
        Assert.Contains("w1", fit.NotIdentifiable);
        Assert.Contains("w3", fit.NotIdentifiable);
        Assert.True(fit.IsIdentifiable("w2") && fit.IsIdentifiable("w4"));
        Assert.Equal(-0.15, fit["w4"], 1);
    }

    [Fact]
    public void ExactlyCollinearColumnsFormOneTradeoffGroup()
    {
        // Columns 0 and 1 are equal, column 2 is independent.
        var jacobian = new double[,] { { 1, 1, 0.5 }, { 2, 2, -1 }, { 3, 3, 2 }, { 4, 4, 0 } };
        var report = Identifiability.Analyse(jacobian, sse: 0.01, ["p", "q", "r"]);
        Assert.Equal(["p", "q"], report.NotIdentifiable);
        Assert.Equal(2, report.Rank);
    }

    [Fact]
    public void WellPosedLinearProblemHasTheTextbookStandardErrors()
    {
        // y = a + b·x on x = 0..4: Var(b) = σ²/Σ(x − x̄)² = σ²/10.
        var jacobian = new double[5, 2];
        for (var i = 0; i < 5; i++) { jacobian[i, 0] = 1; jacobian[i, 1] = i; }
        var report = Identifiability.Analyse(jacobian, sse: 0.3, ["a", "b"]);
        Assert.Empty(report.NotIdentifiable);
        Assert.Equal(0.1 / 10, report.Covariance[1, 1], 12); // σ² = 0.3 / (5 − 2)
    }

    [Fact]
    public void LsrmOnFourPointsReportsItsStrongCorrelations()
    {
        var truth = new LsrmParameters(4.9, 6.8e5, 0.121);
        var random = new Random(2);
        var points = new[] { 98_300.0, 786_000, 1_570_000, 9_440_000 }.Select(n => new ScalingPoint(n, truth.Loss(n) + 0.001 * Synthetic.Gaussian(random))).ToList();
        var fit = ScalingFit.Lsrm(points).Fit;
        Assert.Contains(fit.StrongCorrelations(0.9), c => (c.A, c.B) == ("E", "alpha") || (c.A, c.B) == ("N0", "alpha") || (c.A, c.B) == ("E", "N0"));
    }

    [Fact]
    public void LinksAreFittedPerDatasetAndAOneRunDatasetIsExplained()
    {
        var runs = Enumerable.Range(0, 8).Select(i => new LossMetricRun("games", 5 + 0.1 * i, 0.9 - 0.1 * (5 + 0.1 * i)))
            .Append(new LossMetricRun("beauty", 6, 0.3)).ToList();
        var links = LossMetricLinks.FitPerDataset(runs);
        var games = links.Single(l => l.Dataset == "games");
        Assert.Equal(0.1, games.B!.Value, 10);
        Assert.Equal(0.9, games.A!.Value, 10);
        var beauty = links.Single(l => l.Dataset == "beauty");
        Assert.Null(beauty.A);
        Assert.Contains("1 points for 2 parameters", beauty.Error);
    }
}
