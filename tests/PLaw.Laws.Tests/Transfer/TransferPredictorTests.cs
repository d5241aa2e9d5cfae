using PLaw.Entropy;
using PLaw.Laws.Fitting;
using PLaw.Laws.Transfer;

namespace PLaw.Laws.Tests.Transfer;

/// <summary>
/// Datasets whose runs are drawn from a planted joint law D_k = c·q_k, with q_k read from their entropy tables through one proxy.
/// The three proxies order the datasets differently (no two are proportional), so only the generating one fits them all with one c.
/// </summary>
public sealed class TransferPredictorTests
{
    // w5 < 0 and c·q below the term's peak 2^(1/0.1) = 1024: more quality-adjusted data, better metric.
    private static readonly JointPerformanceLawParameters Truth = new(W1: 0.5, W2: 1.0, W3: -0.3, W4: -0.15, W5: -0.1, C: 2e-4, B: 1.2);
    private const int L = 50;
    private static readonly int[] Layers = [1, 2, 4, 8, 16];
    private static readonly int[] Dims = [16, 32, 64, 128];

    /// <summary>Tokens and the three entropies: q under apen / chunked / conditional.</summary>
    private static readonly (string Name, long Tokens, double Apen, double Chunked, double Conditional)[] Tables =
    [
        ("a", 1_000_000, 5, 8, 2),      // q: 2.0e5, 1.25e5, 5.0e5
        ("b", 2_000_000, 2, 10, 6),     // q: 1.0e6, 2.0e5, 3.3e5
        ("c", 4_000_000, 8, 4, 3),      // q: 5.0e5, 1.0e6, 1.3e6
        ("d", 3_000_000, 1.5, 6, 10),   // q: 2.0e6, 5.0e5, 3.0e5
        ("e", 6_000_000, 4, 2.5, 4),    // q: 1.5e6, 2.4e6, 1.5e6
    ];

    private static EntropyRow Row(long tokens, double apen, double chunked, double conditional) =>
        new(L, 1000, 500, tokens, tokens / 1000.0, apen, 0, 0, 0, 0, tokens / apen, 0, 0, 0, 0, 0, chunked, conditional, 0, tokens);

    private static List<TransferDataset> Datasets(QualityProxy generator, double noise, int seed, bool withRuns = true, int[]? layers = null, int[]? dims = null)
    {
        var random = new Random(seed);
        return Tables.Select(t =>
        {
            var row = Row(t.Tokens, t.Apen, t.Chunked, t.Conditional);
            var q = generator.Quality(row)!.Value;
            var runs = withRuns
                ? (from n in layers ?? Layers from d in dims ?? Dims select new TransferRun(n, d, L, Truth.Value(n, d, q) + noise * Synthetic.Gaussian(random))).ToList()
                : [];
            return new TransferDataset(t.Name, [row], runs);
        }).ToList();
    }

    [Fact]
    public void TheJointLawRecoversAPlantedCFromNoisyRunsOnDatasetsOfKnownQuality()
    {
        var datasets = Datasets(QualityProxy.Chunked, noise: 0.002, seed: 11);
        var prediction = TransferPredictor.Predict(datasets[2], datasets, QualityProxy.Chunked, options: new TransferOptions(Resamples: 0));
        var fit = prediction.Fit;
        var se = fit.StandardError("c")!.Value;
        Assert.True(Math.Abs(prediction.C - Truth.C) <= 3 * se, $"c {prediction.C:G5} vs planted {Truth.C} (SE {se:G3})");
        Assert.True(Math.Abs(prediction.C / Truth.C - 1) < 0.1, $"c {prediction.C:G5} vs planted {Truth.C}");
        Assert.Equal(["a", "b", "d", "e"], prediction.Sources.Select(s => s.Dataset));
        Assert.Equal(4 * Layers.Length * Dims.Length, prediction.Runs);
    }

    [Fact]
    public void AHeldOutPlantedDatasetIsPredictedWithinItsIntervalFromItsEntropyTableAlone()
    {
        var datasets = Datasets(QualityProxy.Chunked, noise: 0.002, seed: 3);
        var target = datasets[2] with { Runs = [] };   // only its entropy table
        var prediction = TransferPredictor.Predict(target, datasets, QualityProxy.Chunked, options: new TransferOptions(Resamples: 60));
        Assert.Equal(L, prediction.MaxLength);
        Assert.Equal(1e6, prediction.Quality, 6);
        Assert.True(prediction.Replicates.Count >= 50, $"{prediction.Replicates.Count} replicates, {prediction.FailedResamples} failed");
        foreach (var p in prediction.Surface(Layers, Dims))
        {
            var truth = Truth.Value(p.Layers, p.Dim, 1e6);
            Assert.True(p.Low < p.High, $"({p.Layers}, {p.Dim}): empty interval {p.Low}–{p.High}");
            Assert.True(truth >= p.Low && truth <= p.High, $"({p.Layers}, {p.Dim}): truth {truth:F4} outside {p.Low:F4}–{p.High:F4} (predicted {p.Value:F4})");
        }
        // The same seed gives the same interval.
        var again = TransferPredictor.Predict(target, datasets, QualityProxy.Chunked, options: new TransferOptions(Resamples: 60));
        Assert.Equal(prediction.At(4, 64), again.At(4, 64));
    }

    [Theory]
    [InlineData(QualityProxy.Apen)]
    [InlineData(QualityProxy.Chunked)]
    [InlineData(QualityProxy.Conditional)]
    public void LeaveOneOutPicksTheProxyThatGeneratedTheData(QualityProxy generator)
    {
        var report = LeaveOneOut.Evaluate(Datasets(generator, noise: 0.001, seed: 5));
        var best = report.Best!;
        Assert.Equal(Tables.Length, best.PredictedDatasets);
        Assert.Equal(generator, best.Proxy);
        Assert.True(best.MeanAbsoluteError < 0.01, $"{generator}: MAE {best.MeanAbsoluteError:G3}");
        Assert.All(report.Proxies.Where(p => p.Proxy != generator),
            p => Assert.True(p.PredictedDatasets < Tables.Length || p.MeanAbsoluteError > 2 * best.MeanAbsoluteError,
                $"{p.Proxy}: MAE {p.MeanAbsoluteError:G3} vs {best.MeanAbsoluteError:G3}; {string.Join("; ", p.Datasets.Select(d => d.Refusal ?? $"{d.Dataset} {d.MeanAbsoluteError:G3}"))}"));
    }

    [Fact]
    public void DatasetsWithFewerRunsThanASingleDatasetLawNeedsArePredictedTogether()
    {
        // 2 × 2 grids: four runs per dataset, too few for a per-dataset law (five free parameters), plenty for the joint law.
        var report = LeaveOneOut.Evaluate(Datasets(QualityProxy.Chunked, noise: 0.001, seed: 8, layers: [1, 8], dims: [16, 128]),
            [QualityProxy.Chunked]);
        var chunked = report.Proxies.Single();
        Assert.True(chunked.PredictedDatasets == Tables.Length, string.Join("; ", chunked.Datasets.Select(d => d.Refusal)));
        Assert.True(chunked.MeanAbsoluteError < 0.02, $"MAE {chunked.MeanAbsoluteError:G3}");
    }

    [Fact]
    public void FewerThanTwoOtherDatasetsWithRunsIsRefusedNamingWhatIsMissing()
    {
        var datasets = Datasets(QualityProxy.Apen, 0, 1);
        var onlyOne = new[] { datasets[0], datasets[1] with { Runs = [] }, datasets[2] };
        var e = Assert.Throws<TransferException>(() => TransferPredictor.Predict(datasets[2], onlyOne, QualityProxy.Apen));
        Assert.Equal(TransferFailure.TooFewDatasets, e.Reason);
        Assert.Contains("one ('a')", e.Message, StringComparison.Ordinal);
        var loo = Assert.Throws<TransferException>(() => LeaveOneOut.Evaluate(onlyOne));
        Assert.Contains("at least three datasets", loo.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingEntropyRowAtTheRunsMaxLengthNamesTheDatasetAndLength()
    {
        var datasets = Datasets(QualityProxy.Apen, 0, 1);
        datasets[1] = datasets[1] with { Runs = datasets[1].Runs.Select(r => r with { MaxLength = 100 }).ToList() };
        var e = Assert.Throws<TransferException>(() => TransferPredictor.Predict(datasets[0], datasets, QualityProxy.Apen));
        Assert.Equal((TransferFailure.MissingEntropy, "b", 100), (e.Reason, e.Dataset, e.MaxLength));
        Assert.Contains("dataset 'b' has no entropy table at max length 100 (it has L = 50)", e.Message, StringComparison.Ordinal);

        var zero = datasets[0] with { Entropy = [Row(1_000_000, 5, 8, 0)] };
        var undefined = Assert.Throws<TransferException>(() => TransferPredictor.QualityOf(zero, L, QualityProxy.Conditional));
        Assert.Equal(TransferFailure.UndefinedQuality, undefined.Reason);
    }

    [Fact]
    public void ProxiesParseFromTheirKeys()
    {
        Assert.Equal(QualityProxy.Chunked, QualityProxies.Parse("Chunked"));
        Assert.Contains("expected apen, chunked, conditional", Assert.Throws<ArgumentException>(() => QualityProxies.Parse("shannon")).Message);
        var row = Row(1_000_000, 5, 8, 2);
        Assert.Equal([2e5, 1.25e5, 5e5], QualityProxies.All.Select(p => p.Quality(row)!.Value));
    }
}
