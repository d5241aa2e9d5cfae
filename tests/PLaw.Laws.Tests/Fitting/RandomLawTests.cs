using PLaw.Laws.Fitting;

namespace PLaw.Laws.Tests.Fitting;

/// <summary>Property: on noisy points drawn from random true laws, the fit's sum of squares is never above the truth's
/// (the least-squares optimum is at most the truth's SSE; a higher value means a start or descent failed).</summary>
public sealed class RandomLawTests
{
    private static double Uniform(Random r, double a, double b) => a + (b - a) * r.NextDouble();

    [Fact]
    public void PerformanceLawOnTheAuthorsGridIsNeverWorseThanTheTruth()
    {
        var random = new Random(3);
        for (var trial = 0; trial < 30; trial++)
        {
            var truth = new PerformanceLawParameters(Uniform(random, 0.01, 0.21), Uniform(random, 0.01, 0.21), Uniform(random, -0.6, 0.4),
                Uniform(random, -0.4, 0.2), 0.2, 50, 0.5);
            var noise = Uniform(random, 0.0005, 0.0025);
            // P-Law's appendix grid: 6 depths × 4 widths.
            var points = (from n in new[] { 4, 8, 12, 16, 24, 32 } from d in new[] { 25, 50, 75, 100 }
                          select new PerformancePoint(n, d, truth.Value(n, d) + noise * Synthetic.Gaussian(random))).ToList();
            var fit = PerformanceFit.Fit(points).Result;
            var truthSse = points.Sum(p => Math.Pow(p.Value - truth.Value(p.Layers, p.Dim), 2));
            Assert.True(fit.Sse <= truthSse * (1 + 1e-4), $"trial {trial}: SSE {fit.Sse:G4} > truth {truthSse:G4} for {truth}");
        }
    }

    [Fact]
    public void LossLawsAreNeverWorseThanTheTruth()
    {
        var random = new Random(4);
        var grid = (from n in new[] { 1e5, 4e5, 1.6e6, 6.4e6, 2.56e7 } from d in new[] { 1e7, 4e7, 1.6e8, 6.4e8 } select (n, d)).ToList();
        for (var trial = 0; trial < 20; trial++)
        {
            var kaplan = new KaplanParameters(Math.Pow(10, Uniform(random, 6, 12)), Math.Pow(10, Uniform(random, 6, 11)), Uniform(random, 0.05, 0.4), Uniform(random, 0.05, 0.4));
            var chinchilla = new ChinchillaParameters(Uniform(random, 1, 5), Math.Pow(10, Uniform(random, 1, 3)), Math.Pow(10, Uniform(random, 1, 3)),
                Uniform(random, 0.1, 0.6), Uniform(random, 0.1, 0.6));
            var lsrm = new LsrmParameters(Uniform(random, 1, 6), Math.Pow(10, Uniform(random, 4, 7)), Uniform(random, 0.05, 0.5));
            var kp = grid.Select(g => new ScalingPoint(g.n, kaplan.Loss(g.n, g.d) * (1 + 0.002 * Synthetic.Gaussian(random)), g.d)).ToList();
            var cp = grid.Select(g => new ScalingPoint(g.n, chinchilla.Loss(g.n, g.d) * (1 + 0.002 * Synthetic.Gaussian(random)), g.d)).ToList();
            var lp = new[] { 1e5, 3e5, 1e6, 3e6, 1e7, 3e7 }.Select(n => new ScalingPoint(n, lsrm.Loss(n) * (1 + 0.002 * Synthetic.Gaussian(random)))).ToList();
            Assert.True(ScalingFit.Kaplan(kp).Fit.Sse <= kp.Sum(p => Math.Pow(p.Loss - kaplan.Loss(p.Params, p.Tokens!.Value), 2)) * (1 + 1e-4), $"kaplan {kaplan}");
            Assert.True(ScalingFit.Chinchilla(cp).Fit.Sse <= cp.Sum(p => Math.Pow(p.Loss - chinchilla.Loss(p.Params, p.Tokens!.Value), 2)) * (1 + 1e-4), $"chinchilla {chinchilla}");
            Assert.True(ScalingFit.Lsrm(lp).Fit.Sse <= lp.Sum(p => Math.Pow(p.Loss - lsrm.Loss(p.Params), 2)) * (1 + 1e-4), $"lsrm {lsrm}");
        }
    }
}
