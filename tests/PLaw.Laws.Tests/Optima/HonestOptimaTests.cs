using PLaw.Laws.Fitting;
using PLaw.Laws.Optima;

namespace PLaw.Laws.Tests.Optima;

/// <summary>Optima a lead can trust: limited extrapolation, distinct candidates, consistent metrics, a next run on any grid.</summary>
public sealed class HonestOptimaTests
{
    /// <summary>Peaks at 2^20 layers and width: in any searched space, deeper and wider is better.</summary>
    private static readonly PerformanceLawParameters Wider = new(W1: 0.01, W2: 0.05, W3: -0.05, W4: -0.05, W5: 0.2, D: 50, B: 0.1);

    [Fact]
    public void TheDefaultSearchReachesTwiceBeyondTheMeasuredBoxOnTheWidthGrid()
    {
        var box = MeasuredBox.Of([(1, 8), (2, 16), (4, 32)]);
        Assert.Equal(new MeasuredBox(1, 4, 8, 32), box);
        Assert.Equal(new SearchSpace(1, 8, 8, 64, null, 8), box.Widened(2, dimStep: 8));
        Assert.Equal(new SearchSpace(1, 12, 8, 96, 3, 8), box.Widened(3, heads: 3, dimStep: 8) with { MinDim = 8 });
        Assert.Equal(24, box.Widened(3, heads: 3, dimStep: 8).MinDim);   // the grid is lcm(8, 3) = 24
        Assert.Equal(new SearchSpace(1, 4, 8, 32, null, 8), box.Widened(1, dimStep: 8));
        Assert.Throws<ArgumentException>(() => box.Widened(0.5));
    }

    [Fact]
    public void MeasuredConfigurationsRankAheadOfExtrapolatedOnesWhichAreMarked()
    {
        var laws = new Dictionary<string, PerformanceLawParameters> { ["NDCG@10"] = Wider };
        var box = new MeasuredBox(1, 4, 8, 32);
        var rows = CandidateTable.Build(laws, "NDCG@10", new SearchSpace(1, 8, 8, 64, null, 8), top: 30, box: box).ToList();
        var firstOutside = rows.FindIndex(r => r.Extrapolated);
        Assert.True(firstOutside > 0, "no in-box candidate came first");
        Assert.All(rows.Take(firstOutside), r => Assert.True(box.Contains(r.Layers, r.Dim)));
        Assert.All(rows.Skip(firstOutside), r => Assert.True(r.Extrapolated && !box.Contains(r.Layers, r.Dim)));
        Assert.Equal((4, 32), (rows[0].Layers, rows[0].Dim));
        // The extrapolated rows predict more, and are still listed after every measured-range row.
        Assert.True(rows[firstOutside].Predicted["NDCG@10"] > rows[0].Predicted["NDCG@10"]);
    }

    [Fact]
    public void NearDuplicateWidthsOfOneDepthCollapseIntoTheBest()
    {
        var laws = new Dictionary<string, PerformanceLawParameters> { ["NDCG@10"] = Wider };
        var rows = CandidateTable.Build(laws, "NDCG@10", new SearchSpace(1, 3, 8, 1024), top: 10);
        Assert.Equal((3, 1024), (rows[0].Layers, rows[0].Dim));
        foreach (var depth in rows.GroupBy(r => r.Layers))
        {
            var widths = depth.Select(r => r.Dim).Order().ToList();
            Assert.All(widths.Zip(widths.Skip(1)), p => Assert.True(p.Second >= CandidateTable.DistinctRatio * p.First, $"{depth.Key} layers: widths {p.First} and {p.Second}"));
        }
        Assert.Equal(3, rows.Select(r => r.Layers).Distinct().Count());
        var all = CandidateTable.Build(laws, "NDCG@10", new SearchSpace(1, 3, 8, 1024), top: 10, distinct: false);
        Assert.Equal([1024, 1023, 1022], all.Take(3).Select(r => r.Dim));
    }

    [Fact]
    public void HitRateAndNdcgNeverFallAsKGrowsAndNdcgStaysAtOrBelowHitRate()
    {
        var (values, flags) = MetricConsistency.Enforce(new Dictionary<string, double>
        {
            ["HR@10"] = 0.275, ["HR@50"] = 0.234, ["NDCG@10"] = 0.30, ["NDCG@50"] = 0.12, ["loss"] = 7.5,
        });
        Assert.Equal(0.275, values["HR@50"]);       // lifted to HR@10's
        Assert.Equal(0.275, values["NDCG@10"]);     // capped at HR@10
        Assert.Equal(0.275, values["NDCG@50"]);     // lifted to NDCG@10's (capped) value
        Assert.Equal(7.5, values["loss"]);
        Assert.Equal(3, flags.Count);
        Assert.Contains(flags, f => f.StartsWith("HR@50 predicted 0.2340 below HR@10 0.2750", StringComparison.Ordinal));
        Assert.Contains(flags, f => f.StartsWith("NDCG@10 predicted 0.3000 above HR@10 0.2750", StringComparison.Ordinal));

        var (same, none) = MetricConsistency.Enforce(new Dictionary<string, double> { ["HR@10"] = 0.2, ["HR@50"] = 0.4, ["NDCG@10"] = 0.1, ["NDCG@50"] = 0.15 });
        Assert.Empty(none);
        Assert.Equal(0.4, same["HR@50"]);
    }

    [Fact]
    public void CandidateRowsCarryTheConsistentPredictionsAndTheirFlags()
    {
        var laws = new Dictionary<string, PerformanceLawParameters> { ["HR@10"] = Wider with { B = 0.3 }, ["HR@50"] = Wider with { B = 0.2 } };
        var rows = CandidateTable.Build(laws, "HR@10", new SearchSpace(1, 2, 8, 16), top: 2);
        Assert.All(rows, r =>
        {
            Assert.Equal(r.Predicted["HR@10"], r.Predicted["HR@50"]);
            Assert.Single(r.Inconsistencies);
        });
    }

    [Fact]
    public void AScalingFitWhoseFloorHitsZeroIsFlaggedAndACleanOneIsNot()
    {
        // L(N) = (N₀/N)^α exactly: the floor E wants to go below 0, its bound.
        var n = new[] { 1e4, 3e4, 1e5, 3e5, 1e6, 3e6 };
        var floorless = n.Select(x => new ScalingPoint(x, Math.Pow(2e3 / x, 0.3))).ToList();
        var (_, fit) = ScalingFit.Lsrm(floorless.Select((p, i) => p with { Loss = p.Loss - 0.02 * (i % 2) }).ToList());
        Assert.Contains(fit.Warnings, w => w.Parameter == "E" && w.Text.Contains("lower bound", StringComparison.Ordinal));

        var (_, clean) = ScalingFit.Lsrm(n.Select(x => new ScalingPoint(x, 2.0 + Math.Pow(2e3 / x, 0.3))).ToList());
        Assert.Empty(clean.Warnings);
    }

    [Fact]
    public void AParameterWhoseStandardErrorExceedsItsValueIsFlagged()
    {
        // Pure noise around a constant: the slope a − b·L has no signal, so b is pinned down only to within more than itself.
        var random = new Random(3);
        var losses = Enumerable.Range(0, 12).Select(i => 5.0 + 0.1 * i).ToList();
        var metrics = losses.Select(_ => 0.2 + 0.01 * Synthetic.Gaussian(random)).ToList();
        var fit = ScalingFit.Link(losses, metrics);
        Assert.Contains(fit.Warnings, w => w.Parameter == "b" && w.Text.Contains("larger than the value", StringComparison.Ordinal));
        var clear = ScalingFit.Link(losses, losses.Select(l => 1.0 - 0.1 * l + 0.001 * Synthetic.Gaussian(random)).ToList());
        Assert.Empty(clear.Warnings);
    }

    [Fact]
    public void TheFrontierLiesBetweenAndJustBeyondTheMeasuredValues()
    {
        var measured = (from l in new[] { 1, 2, 4 } from d in new[] { 8, 16, 32 } select (l, d)).ToHashSet();
        var frontier = NextRun.Frontier(measured, dimStep: 8);
        Assert.Equal([1, 2, 3, 4, 8], frontier.Select(f => f.Layers).Distinct().Order());
        Assert.Equal([8, 16, 24, 32, 64], frontier.Select(f => f.Dim).Distinct().Order());
        Assert.Equal(25 - 9, frontier.Count);
        Assert.DoesNotContain(frontier, measured.Contains);
    }

    [Fact]
    public void AFullyMeasuredGridStillGetsANextRunJustBeyondIt()
    {
        var points = Synthetic.Grid(Synthetic.Hr10, noise: 0.002, seed: 5);
        var grid = points.Select(p => (p.Layers, p.Dim)).ToList();
        var suggestions = NextRun.Suggest(grid, points, new BootstrapOptions(60, 2));
        Assert.NotEmpty(suggestions);
        Assert.All(suggestions, s =>
        {
            Assert.True(s.BeyondGrid);
            Assert.DoesNotContain((s.Layers, s.Dim), grid);
        });
        Assert.True(suggestions.Zip(suggestions.Skip(1)).All(p => p.First.Score >= p.Second.Score));
    }
}
