using PLaw.Laws.Fitting;
using PLaw.Laws.Optima;

namespace PLaw.Laws.Tests.Seeds;

/// <summary>The next run with seeds: another seed of a measured configuration when that separates the top candidates most cheaply.</summary>
public sealed class NextRunSeedTests
{
    /// <summary>Synthetic.Hr10 with w3 chosen so that 8 and 12 layers tie exactly (φ(8; w3) = φ(12; w3)): the top two of the grid, 8 × 128
    /// and 12 × 128, are equally good and only the seeds decide between them.</summary>
    private static readonly PerformanceLawParameters Truth = Synthetic.Hr10 with { W3 = -0.3034459595669883 };
    private static readonly List<(int Layers, int Dim)> Grid = (from n in Synthetic.Layers from d in Synthetic.Dims select (n, d)).ToList();

    /// <summary>Three seeds (SD 0.002) of every configuration <paramref name="measure"/> keeps; 12 × 128 gets <paramref name="noisy"/> instead when given.</summary>
    private static List<PerformancePoint> Seeded(Func<int, int, bool> measure, double[]? noisy = null)
    {
        var random = new Random(17);
        var points = new List<PerformancePoint>();
        foreach (var (n, d) in Grid.Where(c => measure(c.Layers, c.Dim)))
        {
            if (noisy is not null && (n, d) == (12, 128)) points.AddRange(noisy.Select(o => new PerformancePoint(n, d, Truth.Value(n, d) + o)));
            else for (var s = 0; s < 3; s++) points.Add(new PerformancePoint(n, d, Truth.Value(n, d) + 0.002 * Synthetic.Gaussian(random)));
        }
        return points;
    }

    [Fact]
    public void TopCandidatesSeparatedOnlyByANoisyMeasuredConfigurationGetAnotherSeedOfIt()
    {
        // The tied top of the grid (8 and 12 layers × 128) is measured; 12 × 128's three seeds disagree by 0.06. Only two poor corners
        // are untrained, so no new configuration can tell the top candidates apart: another seed of the noisy one can.
        var measured = Seeded((n, d) => (n, d) is not ((1, 16) or (1, 32)), noisy: [0.03, -0.03, 0.0]);
        var suggestions = NextRun.Suggest(Grid, measured, new BootstrapOptions(60, 3));
        var first = suggestions[0];
        Assert.True(first.Reseed, $"suggested {first.Layers} × {first.Dim} (re-seed: {first.Reseed}): {first.Reason}");
        Assert.Equal((12, 128), (first.Layers, first.Dim));
        Assert.Equal(3, first.Seeds);
        Assert.Contains("Another seed of 12 × 128", first.Reason, StringComparison.Ordinal);
        Assert.InRange(first.OptimalShare, 0.05, 0.95);   // contested
        Assert.True(suggestions.Zip(suggestions.Skip(1)).All(p => p.First.Score >= p.Second.Score));
    }

    [Fact]
    public void WhenTheMeasuredTopCandidateIsQuietTheUntrainedRivalIsTrainedInstead()
    {
        // 8 × 128, tied with 12 × 128 at the top, is untrained; 12 × 128 has three quiet seeds. Training the rival is worth more
        // than another seed of a configuration whose mean is already known to ± 0.001.
        var measured = Seeded((n, d) => (n, d) != (8, 128));
        var first = NextRun.Suggest(Grid, measured, new BootstrapOptions(60, 3))[0];
        Assert.False(first.Reseed, $"suggested another seed of {first.Layers} × {first.Dim}: {first.Reason}");
        Assert.Equal((8, 128), (first.Layers, first.Dim));
        Assert.Equal(0, first.Seeds);
        Assert.True(first.OptimalShare > 0);
        Assert.Contains("per unit of compute", first.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnmeasuredRegionAroundTheOptimumGetsANewConfiguration()
    {
        // Quiet seeds, the configurations around the optimum (8–12 layers × 64–128) untrained.
        var first = NextRun.Suggest(Grid, Seeded((n, d) => !(n is 8 or 12 && d is 64 or 128)), new BootstrapOptions(60, 3))[0];
        Assert.False(first.Reseed, $"suggested another seed of {first.Layers} × {first.Dim}: {first.Reason}");
        Assert.True(first.Layers is 8 or 12 && first.Dim is 64 or 128, $"suggested {first.Layers} × {first.Dim}");
    }

    [Fact]
    public void WithOneSeedPerConfigurationItNeverSuggestsAReseed()
    {
        var measured = Synthetic.Grid(Truth, noise: 0.002, seed: 5).Where(p => (p.Layers, p.Dim) is not ((1, 16) or (1, 32))).ToList();
        Assert.All(NextRun.Suggest(Grid, measured, new BootstrapOptions(40, 2)), s => Assert.False(s.Reseed));
    }

    [Fact]
    public void ComputeCostIsWeighed()
    {
        // With 12 × 128 made a thousand times dearer than anything else, another seed of it is no longer the best buy.
        var measured = Seeded((n, d) => (n, d) is not ((1, 16) or (1, 32)), noisy: [0.03, -0.03, 0.0]);
        var first = NextRun.Suggest(Grid, measured, new BootstrapOptions(60, 3), cost: (n, d) => (n, d) == (12, 128) ? 1000.0 : 1.0)[0];
        Assert.NotEqual((12, 128), (first.Layers, first.Dim));
        Assert.True(first.Reseed);
        Assert.Equal((8, 128), (first.Layers, first.Dim));
    }
}
