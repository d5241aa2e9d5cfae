using PLaw.Laws.EntropySweep;
using PLaw.Laws.Fitting;

namespace PLaw.Laws.Tests;

public sealed class EntropySweepAnalysisTests
{
    // w5 < 0 with D = c·q below the data term's peak 2^(1/0.1) = 1024: less entropy (more q), better metric.
    private static readonly JointPerformanceLawParameters Truth = new(W1: 0.5, W2: 1.0, W3: -0.3, W4: -0.15, W5: -0.1, C: 2e-4, B: 1.2);
    private static readonly double[] Rates = [1.5, 2.5, 3.5, 4.5, 5.5];
    private const long Tokens = 2_000_000;
    private static readonly int[] Layers = [1, 2, 4];
    private static readonly int[] Dims = [16, 32, 64];

    /// <summary>
    /// Proxies: one exact up to a factor 0.5 (ApEn-like: biased, shape right), one that is the true rate plus noise that
    /// scrambles the order of two datasets, and one flat (the same estimate for every dataset).
    /// </summary>
    private static List<SweepDataset> Datasets() => Rates.Select((h, k) => new SweepDataset($"h{h}", h, Tokens,
    [
        new ProxyEstimate("half", 0.5 * h),
        new ProxyEstimate("scrambled", k switch { 1 => Rates[2], 2 => Rates[1], _ => h }),
        new ProxyEstimate("flat", 3.0),
    ])).ToList();

    private static List<SweepPoint> Points(double noise, int seed)
    {
        var random = new Random(seed);
        return (from h in Rates
                from n in Layers
                from d in Dims
                select new SweepPoint($"h{h}", n, d, Truth.Value(n, d, Tokens / h) + noise * Synthetic.Gaussian(random))).ToList();
    }

    [Fact]
    public void ThePlantedCIsRecoveredWithQFromTheTrueRate()
    {
        var report = EntropySweepAnalysis.Analyze("NDCG@10", Datasets(), Points(0, 1));
        var truth = report.Fits.Single(f => f.Source == EntropySweepAnalysis.TrueRate);
        Assert.Null(truth.Error);
        Assert.Equal(1, truth.C!.Value / Truth.C, 3);
        Assert.True(truth.OffsetR2 > 0.9999, $"offset R² {truth.OffsetR2}");
        Assert.All(report.Datasets, d => Assert.Equal(1, d.FittedD!.Value / (Truth.C * Tokens / d.TrueRateBits), 3));
        Assert.Equal(1, truth.LogSlope!.Value, 3);
        Assert.StartsWith("With q = tokens / true entropy rate, the law's data term explains 100 %", report.Conclusion);
    }

    [Fact]
    public void WithNoiseThePlantedCIsWithinAQuarterAndTheTrueRateExplainsMoreThanAScrambledProxy()
    {
        var report = EntropySweepAnalysis.Analyze("NDCG@10", Datasets(), Points(0.002, 4));
        var truth = report.Fits.Single(f => f.Source == EntropySweepAnalysis.TrueRate);
        Assert.InRange(truth.C!.Value / Truth.C, 0.8, 1.25);
        var scrambled = report.Fits.Single(f => f.Source == "scrambled");
        Assert.True(truth.OffsetR2 > scrambled.OffsetR2, $"true {truth.OffsetR2} vs scrambled {scrambled.OffsetR2}");
    }

    [Fact]
    public void AProxyOffByAConstantFactorFitsAsWellWithCScaledByThatFactor()
    {
        var report = EntropySweepAnalysis.Analyze("NDCG@10", Datasets(), Points(0, 1));
        var half = report.Fits.Single(f => f.Source == "half");
        Assert.Equal(1, half.C!.Value / (Truth.C / 2), 3);
        var miss = report.Proxies.Single(p => p.Proxy == "half");
        Assert.Equal(0.5, miss.MeanAbsRelativeMiss, 12);
        Assert.Equal(2, miss.Scale, 12);
        Assert.Equal(0, miss.MeanAbsRelativeMissAfterScale, 12);
        Assert.Equal(1, miss.RankCorrelation, 12);
        Assert.Equal(-0.5, miss.RelativeMisses[0], 12);
    }

    [Fact]
    public void AFlatProxyCannotExplainTheDataTerm()
    {
        var report = EntropySweepAnalysis.Analyze("NDCG@10", Datasets(), Points(0, 1));
        var flat = report.Fits.Single(f => f.Source == "flat");
        Assert.True(flat.Error is not null || !(flat.OffsetR2 > 0.5), $"flat proxy offset R² {flat.OffsetR2}");
        Assert.True(double.IsNaN(report.Proxies.Single(p => p.Proxy == "flat").RankCorrelation));
    }

    [Fact]
    public void TheMeasuredDataTermIsTheDatasetOffsetWithoutAnyLaw()
    {
        // Two datasets, two configurations, dataset b always 0.03 above a: offsets ∓0.015.
        SweepDataset D(string name) => new(name, 1, 10, []);
        var offsets = EntropySweepAnalysis.MeasuredOffsets([D("a"), D("b")],
            [new("a", 1, 16, 0.10), new("b", 1, 16, 0.13), new("a", 2, 16, 0.20), new("b", 2, 16, 0.23), new("a", 4, 16, 0.5)]);
        Assert.Equal(-0.015, offsets[0], 12);
        Assert.Equal(0.015, offsets[1], 12);
    }

    [Fact]
    public void FewerThanThreeDatasetsWithRunsAreRefused()
    {
        var points = Points(0, 1).Where(p => p.Dataset is "h1.5" or "h2.5").ToList();
        var e = Assert.Throws<LawFitException>(() => EntropySweepAnalysis.Analyze("NDCG@10", Datasets(), points));
        Assert.Equal(FitFailure.TooFewPoints, e.Reason);
    }
}
