using PLaw.Laws.Fitting;
using PLaw.Laws.Optima;

namespace PLaw.Laws.Tests.Optima;

public sealed class OptimumSearchTests
{
    private static readonly PerformanceLawParameters Law = Synthetic.Hr10; // peaks n* ≈ 10.08, d* ≈ 101.6
    private static readonly SearchSpace Space = new(1, 64, 8, 1024);

    [Fact]
    public void GlobalOptimumIsTheInteriorPeakOfBothTerms()
    {
        var best = OptimumSearch.Best(Law, Space);
        Assert.Equal(10, best.Layers);
        Assert.InRange(best.Dim, 101, 102);
        Assert.Equal(Law.Value(best.Layers, best.Dim), best.Value, 12);
        Assert.True(best.Layers > Space.MinLayers && best.Layers < Space.MaxLayers && best.Dim > Space.MinDim && best.Dim < Space.MaxDim);
    }

    [Fact]
    public void RankingIsBestFirstAndAgreesWithTheGenericSearch()
    {
        var fast = OptimumSearch.Rank(Law, new SearchSpace(1, 16, 8, 200), top: 50);
        var generic = OptimumSearch.Rank((n, d) => Law.Value(n, d), new SearchSpace(1, 16, 8, 200), top: 50);
        Assert.Equal(generic.Select(c => (c.Layers, c.Dim)), fast.Select(c => (c.Layers, c.Dim)));
        Assert.True(fast.Zip(fast.Skip(1)).All(p => p.First.Value >= p.Second.Value));
    }

    [Fact]
    public void TiesGoToFewerLayersThenNarrowerWidth()
    {
        var flat = OptimumSearch.Rank((n, d) => 1.0, new SearchSpace(2, 4, 8, 10));
        Assert.Equal((2, 8), (flat[0].Layers, flat[0].Dim));
        Assert.Equal((2, 9), (flat[1].Layers, flat[1].Dim));
    }

    [Fact]
    public void HeadDivisibilityKeepsOnlyMultiplesOfTheHeadCount()
    {
        var best = OptimumSearch.Best(Law, Space with { Heads = 8 });
        Assert.Equal(0, best.Dim % 8);
        Assert.Equal(104, best.Dim);
    }

    [Fact]
    public void FixedLayersOnlyChoosesTheWidth()
    {
        var ranked = OptimumSearch.Rank(Law, Space, new FixedLayers(3));
        Assert.All(ranked, c => Assert.Equal(3, c.Layers));
        Assert.InRange(ranked[0].Dim, 101, 102);
    }

    [Fact]
    public void LayersTimesDimStaysWithinTolerance()
    {
        var constraint = new LayersTimesDim(512, 0.05);
        var ranked = OptimumSearch.Rank(Law, Space, constraint);
        Assert.All(ranked, c => Assert.InRange(c.Layers * c.Dim, 512 * 0.95, 512 * 1.05));
        Assert.Equal(ranked.Max(c => c.Value), ranked[0].Value);
        // The unconstrained optimum (10 × 102 = 1020) is outside the budget, so the constraint binds.
        Assert.NotEqual((10, 102), (ranked[0].Layers, ranked[0].Dim));
    }

    [Fact]
    public void ParameterBudgetIsHonouredAndBinds()
    {
        const long budget = 200_000;
        var best = OptimumSearch.Best(Law, Space, new MaxParameters(budget, ParameterCounts.PmSasrec));
        Assert.True(ParameterCounts.PmSasrec(best.Layers, best.Dim) <= budget);
        var unconstrained = OptimumSearch.Best(Law, Space);
        Assert.True(ParameterCounts.PmSasrec(unconstrained.Layers, unconstrained.Dim) > budget, "the test budget should bind");
        // No allowed configuration beats it.
        foreach (var n in Space.LayerValues())
        foreach (var d in Space.DimValues())
            if (ParameterCounts.PmSasrec(n, d) <= budget) Assert.True(Law.Value(n, d) <= best.Value + 1e-15);
    }

    [Fact]
    public void FlopsBudgetIsHonoured()
    {
        var flops = TrainingFlops.ForFamily(ParameterCounts.Llama, contextLength: 50);
        var best = OptimumSearch.Best(Law, Space, new MaxTrainingFlops(2e7, flops));
        Assert.True(flops(best.Layers, best.Dim) <= 2e7);
    }

    [Fact]
    public void AnImpossibleConstraintSaysSo() =>
        Assert.Contains("no configuration", Assert.Throws<ArgumentException>(() => OptimumSearch.Best(Law, Space, new MaxParameters(10, ParameterCounts.PmSasrec))).Message);

    [Fact]
    public void CandidateTableRanksByOneMetricAndShowsEachAndTheMeasuredValues()
    {
        var laws = new Dictionary<string, PerformanceLawParameters>
        {
            ["NDCG@10"] = Law,
            ["HR@10"] = Law with { B = Law.B + 0.3 },
            ["NDCG@50"] = Law with { W3 = -0.5 },
            ["HR@50"] = Law with { W4 = -0.2 },
        };
        var measured = new Dictionary<(int, int), IReadOnlyDictionary<string, double>> { [(10, 102)] = new Dictionary<string, double> { ["NDCG@10"] = 0.31 } };
        var rows = CandidateTable.Build(laws, "NDCG@10", Space, top: 5, measured: measured);
        Assert.Equal(5, rows.Count);
        Assert.Equal((10, 102), (rows[0].Layers, rows[0].Dim));
        Assert.Equal(0.31, rows[0].Measured!["NDCG@10"]);
        Assert.Null(rows[1].Measured);
        Assert.Equal(CandidateTable.PaperMetrics.Order(), rows[0].Predicted.Keys.Order());
        Assert.Equal(Law.Value(10, 102) + 0.3, rows[0].Predicted["HR@10"], 12);
    }

    [Fact]
    public void CandidateTableFromRunsFitsEachMetricAndShowsTheMeasurements()
    {
        var hr = Law with { B = Law.B + 0.3 };
        var runs = Synthetic.Grid(Law, noise: 0.001, seed: 4).Zip(Synthetic.Grid(hr, noise: 0.001, seed: 5))
            .Select(p => new MeasuredRun(p.First.Layers, p.First.Dim, new Dictionary<string, double> { ["NDCG@10"] = p.First.Value, ["HR@10"] = p.Second.Value }))
            .ToList();
        var rows = CandidateTable.Build(runs, "NDCG@10", new SearchSpace(1, 24, 16, 256), top: 400);
        Assert.InRange(rows[0].Layers, 9, 11);
        Assert.InRange(rows[0].Predicted["HR@10"] - rows[0].Predicted["NDCG@10"], 0.29, 0.31);
        var measuredRow = rows.First(r => r.Measured is not null);
        var run = runs.Single(r => r.Layers == measuredRow.Layers && r.Dim == measuredRow.Dim);
        Assert.Equal(run.Metrics["HR@10"], measuredRow.Measured!["HR@10"]);
    }
}
