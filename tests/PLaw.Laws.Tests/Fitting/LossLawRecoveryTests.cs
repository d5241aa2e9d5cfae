using PLaw.Laws.Fitting;

namespace PLaw.Laws.Tests.Fitting;

public sealed class LossLawRecoveryTests
{
    private static readonly double[] LsrmSizes = [98_300, 786_000, 1_570_000, 9_440_000];

    [Fact]
    public void LsrmFitOnFourSmallModelsPredicts75MAnd08BWithinOnePercent()
    {
        var truth = new LsrmParameters(E: 4.9, N0: 6.8e5, Alpha: 0.121);
        var points = LsrmSizes.Select(n => new ScalingPoint(n, truth.Loss(n))).ToList();
        var (fitted, fit) = ScalingFit.Lsrm(points);
        foreach (var n in new[] { 75_497_472.0, 829_440_000.0 })
        {
            var error = Math.Abs(fitted.Loss(n) - truth.Loss(n)) / truth.Loss(n);
            Assert.True(error < 0.01, $"N = {n:G4}: predicted {fitted.Loss(n):G6}, true {truth.Loss(n):G6}");
        }
        Assert.Equal(4.9, fitted.E, 4);
        Assert.Equal(0.121, fitted.Alpha, 4);
        Assert.Equal(6.8e5, fitted.N0, 6.8e5 * 1e-4);
        Assert.Empty(fit.NotIdentifiable);
    }

    [Fact]
    public void NoisyLsrmCurveRecoversAlphaWithinThreeStandardErrors()
    {
        var truth = new LsrmParameters(4.9, 6.8e5, 0.121);
        var random = new Random(5);
        var points = Enumerable.Range(0, 12).Select(i => Math.Pow(10, 4.5 + i * 0.3))
            .Select(n => new ScalingPoint(n, truth.Loss(n) + 0.002 * Synthetic.Gaussian(random))).ToList();
        var (fitted, fit) = ScalingFit.Lsrm(points);
        var se = fit.StandardError("alpha")!.Value;
        Assert.True(Math.Abs(fitted.Alpha - 0.121) <= 3 * se, $"alpha {fitted.Alpha} ± {se}");
        Assert.True(Math.Abs(fitted.E - 4.9) <= 3 * fit.StandardError("E")!.Value, $"E {fitted.E} ± {fit.StandardError("E")}");
    }

    private static List<ScalingPoint> DataGrid(Func<double, double, double> loss, double noise, int seed)
    {
        var random = new Random(seed);
        return (from n in new[] { 1e5, 4e5, 1.6e6, 6.4e6, 2.56e7 }
                from d in new[] { 1e7, 4e7, 1.6e8, 6.4e8 }
                select new ScalingPoint(n, loss(n, d) + noise * Synthetic.Gaussian(random), d)).ToList();
    }

    [Fact]
    public void ChinchillaRecoversItsFiveParametersNoiseFree()
    {
        var truth = new ChinchillaParameters(E: 2.0, A: 50, B: 300, Alpha: 0.3, Beta: 0.28);
        var (fitted, fit) = ScalingFit.Chinchilla(DataGrid(truth.Loss, 0, 1));
        Assert.Equal(truth.E, fitted.E, 5);
        Assert.Equal(truth.A, fitted.A, 50 * 1e-4);
        Assert.Equal(truth.B, fitted.B, 300 * 1e-4);
        Assert.Equal(truth.Alpha, fitted.Alpha, 5);
        Assert.Equal(truth.Beta, fitted.Beta, 5);
        Assert.Empty(fit.NotIdentifiable);
    }

    [Fact]
    public void NoisyChinchillaRecoversExponentsWithinThreeStandardErrors()
    {
        var truth = new ChinchillaParameters(2.0, 50, 300, 0.3, 0.28);
        var (fitted, fit) = ScalingFit.Chinchilla(DataGrid(truth.Loss, 0.003, 2));
        Assert.True(Math.Abs(fitted.Alpha - 0.3) <= 3 * fit.StandardError("alpha")!.Value, $"alpha {fitted.Alpha} ± {fit.StandardError("alpha")}");
        Assert.True(Math.Abs(fitted.Beta - 0.28) <= 3 * fit.StandardError("beta")!.Value, $"beta {fitted.Beta} ± {fit.StandardError("beta")}");
    }

    [Fact]
    public void KaplanRecoversItsFourParametersNoiseFree()
    {
        var truth = new KaplanParameters(Nc: 8.8e7, Dc: 5.4e8, AlphaN: 0.076, AlphaD: 0.095);
        var (fitted, fit) = ScalingFit.Kaplan(DataGrid(truth.Loss, 0, 1));
        Assert.Equal(1, fitted.Nc / truth.Nc, 4);
        Assert.Equal(1, fitted.Dc / truth.Dc, 4);
        Assert.Equal(truth.AlphaN, fitted.AlphaN, 6);
        Assert.Equal(truth.AlphaD, fitted.AlphaD, 6);
        Assert.Empty(fit.NotIdentifiable);
    }

    [Fact]
    public void NoisyKaplanRecoversExponentsWithinThreeStandardErrors()
    {
        var truth = new KaplanParameters(8.8e7, 5.4e8, 0.076, 0.095);
        var (fitted, fit) = ScalingFit.Kaplan(DataGrid(truth.Loss, 0.002, 4));
        Assert.True(Math.Abs(fitted.AlphaN - 0.076) <= 3 * fit.StandardError("alphaN")!.Value, $"alphaN {fitted.AlphaN} ± {fit.StandardError("alphaN")}");
        Assert.True(Math.Abs(fitted.AlphaD - 0.095) <= 3 * fit.StandardError("alphaD")!.Value, $"alphaD {fitted.AlphaD} ± {fit.StandardError("alphaD")}");
    }

    [Fact]
    public void DataLawsRefusePointsWithoutTokens()
    {
        var points = new[] { new ScalingPoint(1e5, 6), new ScalingPoint(1e6, 5.5), new ScalingPoint(1e7, 5.2), new ScalingPoint(1e8, 5.1), new ScalingPoint(1e9, 5.05) };
        var e = Assert.Throws<LawFitException>(() => ScalingFit.Chinchilla(points));
        Assert.Equal(FitFailure.InvalidInput, e.Reason);
        Assert.Contains("tokens", e.Message);
    }

    [Fact]
    public void LinkRecoversInterceptAndSlope()
    {
        var random = new Random(9);
        var losses = Enumerable.Range(0, 20).Select(i => 5 + 0.05 * i).ToArray();
        var metrics = losses.Select(l => 0.9 - 0.12 * l + 0.001 * Synthetic.Gaussian(random)).ToArray();
        var fit = ScalingFit.Link(losses, metrics);
        Assert.True(Math.Abs(fit["b"] - 0.12) <= 3 * fit.StandardError("b")!.Value, $"b {fit["b"]} ± {fit.StandardError("b")}");
        Assert.True(fit.R2 > 0.98);
        var exact = ScalingFit.Link(losses, losses.Select(l => 0.9 - 0.12 * l).ToArray());
        Assert.Equal(0.9, exact["a"], 10);
        Assert.Equal(0.12, exact["b"], 10);
    }
}
