using PLaw.Laws.Fitting;
using PLaw.Laws.Optima;

namespace PLaw.Laws.Tests.Optima;

public sealed class BootstrapTests
{
    private static readonly SearchSpace Space = new(1, 32, 8, 512);

    [Fact]
    public void SharesSumToOneAndTheIntervalContainsThePointEstimate()
    {
        var points = Synthetic.Grid(Synthetic.Hr10, noise: 0.002, seed: 31);
        var result = Bootstrap.Optimum(points, Space, options: new BootstrapOptions(100, Seed: 1));
        Assert.Equal(100, result.Resamples);
        Assert.Equal(1.0, result.Frequencies.Sum(f => f.Share), 12);
        Assert.InRange(result.PointEstimate.Value, result.ValueLow, result.ValueHigh);
        Assert.True(result.ValueHigh > result.ValueLow);
        Assert.True(result.Frequencies.Zip(result.Frequencies.Skip(1)).All(p => p.First.Count >= p.Second.Count));
    }

    [Fact]
    public void LessNoiseMeansANarrowerOptimumInterval()
    {
        var quiet = Bootstrap.Optimum(Synthetic.Grid(Synthetic.Hr10, noise: 0.0005, seed: 31), Space, options: new BootstrapOptions(100, 1));
        var loud = Bootstrap.Optimum(Synthetic.Grid(Synthetic.Hr10, noise: 0.004, seed: 31), Space, options: new BootstrapOptions(100, 1));
        Assert.True(quiet.ValueHigh - quiet.ValueLow < loud.ValueHigh - loud.ValueLow,
            $"quiet {quiet.ValueHigh - quiet.ValueLow:G3}, loud {loud.ValueHigh - loud.ValueLow:G3}");
    }

    [Fact]
    public void SameSeedSameAnswer()
    {
        var points = Synthetic.Grid(Synthetic.Hr10, noise: 0.002, seed: 31);
        var a = Bootstrap.Optimum(points, Space, options: new BootstrapOptions(40, 9));
        var b = Bootstrap.Optimum(points, Space, options: new BootstrapOptions(40, 9));
        Assert.Equal(a.ValueLow, b.ValueLow);
        Assert.Equal(a.Frequencies, b.Frequencies);
    }

    [Fact]
    public void NextRunIsAnUntrainedPlausibleOptimum()
    {
        var grid = (from n in Synthetic.Layers from d in Synthetic.Dims select (n, d)).ToList();
        // Measured: everything except the region around the optimum (n ≥ 8 and d in {64, 128}).
        var all = Synthetic.Grid(Synthetic.Hr10, noise: 0.002, seed: 41);
        var measured = all.Where(p => !(p.Layers >= 8 && p.Dim is 64 or 128)).ToList();
        var suggestions = NextRun.Suggest(grid, measured, new BootstrapOptions(100, 3));
        var first = suggestions[0];
        Assert.DoesNotContain(measured, p => p.Layers == first.Layers && p.Dim == first.Dim);
        Assert.True(first.OptimalShare > 0);
        Assert.True(first.Layers >= 8 && first.Dim is 64 or 128, $"suggested ({first.Layers}, {first.Dim})");
        Assert.True(suggestions.Zip(suggestions.Skip(1)).All(p => p.First.Score >= p.Second.Score));
    }
}
