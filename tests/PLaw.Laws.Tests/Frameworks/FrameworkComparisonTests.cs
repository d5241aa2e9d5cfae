using PLaw.Laws.Frameworks;

namespace PLaw.Laws.Tests.Frameworks;

public sealed class FrameworkComparisonTests
{
    private static IEnumerable<FrameworkRun> Runs(string family, string precision, PerformanceLawParameters law, double noise, int seed) =>
        Synthetic.Grid(law, noise, seed).Select(p => new FrameworkRun(family, precision, p.Layers, p.Dim,
            new Dictionary<string, double> { ["NDCG@10"] = p.Value, ["HR@10"] = p.Value + 0.2 }));

    [Fact]
    public void ClearlyDifferentW1IsCalledAndTheBetterFamilyNamed()
    {
        var runs = Runs("llama", "fp32", Synthetic.Hr10, 0.0005, 1)
            .Concat(Runs("hstu", "fp32", Synthetic.Hr10 with { W1 = 0.25 }, 0.0005, 2)).ToList();
        var result = FrameworkComparison.Compare(runs);
        Assert.Equal(2, result.Rows.Count);
        var llama = result.Rows.Single(r => r.Family == "llama");
        Assert.Equal(0.5, llama.W1!.Value, 1);
        Assert.NotNull(llama.W1.StandardError);
        Assert.Equal(runs.Where(r => r.Family == "llama").Max(r => r.Metrics["HR@10"]), llama.BestMeasured["HR@10"], 12);
        Assert.Contains("llama (fp32) scales better with depth", result.Verdicts.Single());
    }

    [Fact]
    public void OverlappingIntervalsAreReportedAsNotSeparable()
    {
        var runs = Runs("llama", "fp32", Synthetic.Hr10, 0.004, 1).Concat(Runs("llama", "bf16", Synthetic.Hr10, 0.004, 2)).ToList();
        var verdict = FrameworkComparison.Compare(runs).Verdicts.Single();
        Assert.Contains("cannot separate", verdict);
    }

    [Fact]
    public void FailedRunsAreCountedAndTooFewRunsExplained()
    {
        var runs = Runs("sasrec", "fp32", Synthetic.Hr10, 0.001, 1).Take(5).ToList();
        runs.Add(new FrameworkRun("sasrec", "fp32", 4, 64, new Dictionary<string, double>()));
        runs.Add(new FrameworkRun("sasrec", "fp32", 4, 32, new Dictionary<string, double> { ["NDCG@10"] = double.NaN }));
        var row = FrameworkComparison.Compare(runs).Rows.Single();
        Assert.Equal(7, row.Runs);
        Assert.Equal(2, row.FailedRuns);
        Assert.Null(row.W1);
        Assert.Contains("5 points for 7 parameters", row.FitError);
    }
}
