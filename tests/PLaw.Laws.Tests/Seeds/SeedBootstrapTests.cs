using PLaw.Laws.Fitting;
using PLaw.Laws.Optima;
using PLaw.Laws.Seeds;

namespace PLaw.Laws.Tests.Seeds;

/// <summary>Parameter intervals and the optimum's P(best) from a bootstrap over seeds within configurations.</summary>
public sealed class SeedBootstrapTests
{
    private static readonly LsrmParameters Loss = new(E: 3.0, N0: 1e5, Alpha: 0.12);
    private static readonly double[] Sizes = [2e5, 5e5, 1e6, 2e6, 5e6, 1e7, 2e7, 5e7];

    private static List<ScalingPoint> SeededLosses(int draw, int seeds = 4, double noise = 0.004)
    {
        var random = new Random(draw);
        return Sizes.SelectMany(n => Enumerable.Range(0, seeds).Select(_ => new ScalingPoint(n, Loss.Loss(n) + noise * Synthetic.Gaussian(random)))).ToList();
    }

    [Fact]
    public void TheSeedIntervalCoversThePlantedExponentInMostDraws()
    {
        const int draws = 20;
        var covered = 0;
        for (var draw = 1; draw <= draws; draw++)
        {
            var fit = SeedFit.Lsrm(SeededLosses(draw));
            Assert.True(fit.Weighted);
            var intervals = SeedBootstrap.Intervals(fit, resamples: 100, seed: draw);
            Assert.True(intervals.OverSeeds);
            var alpha = intervals["alpha"];
            Assert.True(alpha.Low < alpha.High, $"draw {draw}: empty interval [{alpha.Low}, {alpha.High}]");
            if (alpha.Low <= Loss.Alpha && Loss.Alpha <= alpha.High) covered++;
        }
        Assert.True(covered >= 14, $"the 95 % interval covered α = {Loss.Alpha} in {covered} of {draws} draws");
    }

    [Fact]
    public void MoreSeedNoiseWidensTheInterval()
    {
        SeedIntervals Of(double noise) => SeedBootstrap.Intervals(SeedFit.Lsrm(SeededLosses(3, noise: noise)), resamples: 100, seed: 1);
        var quiet = Of(0.001)["alpha"];
        var loud = Of(0.01)["alpha"];
        Assert.True(loud.High - loud.Low > 3 * (quiet.High - quiet.Low), $"quiet {quiet.High - quiet.Low:G3}, loud {loud.High - loud.Low:G3}");
    }

    [Fact]
    public void TheOptimumBootstrapResamplesSeedsWhenConfigurationsRepeat()
    {
        var random = new Random(9);
        var points = (from n in Synthetic.Layers from d in Synthetic.Dims from s in Enumerable.Range(0, 3)
            select new PerformancePoint(n, d, Synthetic.Hr10.Value(n, d) + 0.002 * Synthetic.Gaussian(random))).ToList();
        Assert.True(Bootstrap.HasSeeds(points));
        var full = SeedFit.Performance(points).Fit;
        Assert.Equal(Synthetic.Layers.Length * Synthetic.Dims.Length, full.Result.Data.Count);   // one row per configuration
        var replicates = Bootstrap.Refit(points, full, new BootstrapOptions(30, 4), out var failed);
        Assert.Equal(0, failed);
        // Every resample keeps every configuration: each refit is still on 35 means, never a case resample that drops some.
        var resample = SeedBootstrap.Resample(SeedData.Of(PerformanceFit.ToData(points)), new Random(1));
        Assert.Equal(35, resample.Count);
        Assert.Equal(35, Enumerable.Range(0, resample.Count).Select(i => (resample.Input(i)[0], resample.Input(i)[1])).Distinct().Count());
        Assert.NotNull(resample.Weights);
        var optimum = Bootstrap.Summarise(full.Parameters, replicates, new SearchSpace(1, 32, 8, 512), null, failed);
        Assert.Equal(1.0, optimum.Frequencies.Sum(f => f.Share), 12);
        Assert.InRange(optimum.Frequencies[0].Layers, 8, 12);
    }
}
