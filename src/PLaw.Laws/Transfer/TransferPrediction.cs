using PLaw.Laws.Fitting;
using PLaw.Laws.Optima;

namespace PLaw.Laws.Transfer;

/// <summary>How a prediction's interval is made: resamples of the joint fit (0: no interval), the seed, the central level.</summary>
public sealed record TransferOptions(int Resamples = 100, int Seed = 20251129, double Level = 0.9);

/// <summary>One dataset the joint law was fitted on: how many runs, at which max length, and its quality q.</summary>
public sealed record TransferSource(string Dataset, int Runs, int MaxLength, double Quality);

/// <summary>A predicted metric at (layers, dim) with its bootstrap interval.</summary>
public sealed record SurfacePoint(int Layers, int Dim, double Value, double Low, double High);

/// <summary>A measured run of the predicted dataset against what the other datasets' law predicted for it.</summary>
public sealed record MeasuredComparison(TransferRun Run, double Predicted, double Low, double High)
{
    public double Error => Predicted - Run.Value;
    public bool Covered => Run.Value >= Low && Run.Value <= High;
}

/// <summary>
/// A dataset's performance surface P(n, d) predicted from its entropy table alone: the joint law D_k = c·q_k fitted on the other
/// datasets' runs (<see cref="Fit"/>), evaluated at this dataset's q. The interval is the central <see cref="TransferOptions.Level"/>
/// of the same prediction under <see cref="Replicates"/>, joint laws refitted to bootstrap resamples of the other datasets and
/// their runs.
/// </summary>
public sealed class TransferPrediction(
    string dataset, QualityProxy proxy, int maxLength, double quality, LawFit fit, IReadOnlyList<TransferSource> sources,
    IReadOnlyList<JointPerformanceLawParameters> replicates, int failedResamples, double level)
{
    public string Dataset { get; } = dataset;
    public QualityProxy Proxy { get; } = proxy;
    public int MaxLength { get; } = maxLength;
    /// <summary>This dataset's q under <see cref="Proxy"/> at <see cref="MaxLength"/>.</summary>
    public double Quality { get; } = quality;
    /// <summary>The joint law's fit (parameters w1…w5, c, b) on the other datasets' runs.</summary>
    public LawFit Fit { get; } = fit;
    public JointPerformanceLawParameters Parameters { get; } =
        new(fit.Values[0], fit.Values[1], fit.Values[2], fit.Values[3], fit.Values[4], fit.Values[5], fit.Values[6]);
    public IReadOnlyList<TransferSource> Sources { get; } = sources;
    public IReadOnlyList<JointPerformanceLawParameters> Replicates { get; } = replicates;
    public int FailedResamples { get; } = failedResamples;
    public double Level { get; } = level;

    public double C => Parameters.C;
    public int Runs => Sources.Sum(s => s.Runs);

    /// <summary>The single-dataset law P(n, d) with D = c·q.</summary>
    public PerformanceLawParameters Law => Parameters.ForDataset(Quality);

    public double Value(int layers, int dim) => Law.Value(layers, dim);

    public SurfacePoint At(int layers, int dim)
    {
        var value = Value(layers, dim);
        if (Replicates.Count == 0) return new SurfacePoint(layers, dim, value, value, value);
        var values = new double[Replicates.Count];
        for (var i = 0; i < values.Length; i++) values[i] = Replicates[i].Value(layers, dim, Quality);
        Array.Sort(values);
        var tail = (1 - Level) / 2;
        return new SurfacePoint(layers, dim, value, Percentile(values, tail), Percentile(values, 1 - tail));
    }

    /// <summary>Linear-interpolated percentile of sorted values.</summary>
    private static double Percentile(double[] sorted, double q)
    {
        var position = q * (sorted.Length - 1);
        var low = (int)Math.Floor(position);
        var high = Math.Min(low + 1, sorted.Length - 1);
        return sorted[low] + (position - low) * (sorted[high] - sorted[low]);
    }

    public IReadOnlyList<SurfacePoint> Surface(IEnumerable<int> layers, IEnumerable<int> dims) =>
        (from n in layers from d in dims select At(n, d)).ToList();

    /// <summary>The best (n, d) of the predicted law in <paramref name="space"/>, with its interval.</summary>
    public SurfacePoint Optimum(SearchSpace space)
    {
        var best = OptimumSearch.Best(Law, space);
        return At(best.Layers, best.Dim);
    }

    /// <summary>Predicted against measured for runs of this dataset (those at <see cref="MaxLength"/>; other lengths are a different q).</summary>
    public IReadOnlyList<MeasuredComparison> Compare(IEnumerable<TransferRun> runs) =>
        runs.Where(r => r.MaxLength == MaxLength).Select(r =>
        {
            var p = At(r.Layers, r.Dim);
            return new MeasuredComparison(r, p.Value, p.Low, p.High);
        }).ToList();

    /// <summary>What a reader must know before trusting the surface: c not pinned down, degenerate fit, q outside the fitted range.</summary>
    public IReadOnlyList<string> Warnings
    {
        get
        {
            var warnings = new List<string>();
            var loose = Fit.NotIdentifiable.Where(p => p is "c" or "w5" or "b").ToList();
            if (loose.Count > 0)
                warnings.Add($"The runs of {Sources.Select(s => s.Dataset).Distinct().Count()} datasets do not pin down {string.Join(", ", loose)}: " +
                             "the data term's dependence on q is a guess; runs on more datasets fix it.");
            warnings.AddRange(Fit.Warnings.Select(w => $"The joint fit is degenerate: {w.Text}"));
            double low = Sources.Min(s => s.Quality), high = Sources.Max(s => s.Quality);
            if (Quality < low || Quality > high)
                warnings.Add($"q = {Quality:G4} lies outside the fitted datasets' range {low:G4}–{high:G4}: an extrapolation in data quality.");
            if (FailedResamples > 0)
                warnings.Add($"{FailedResamples} of {FailedResamples + Replicates.Count} bootstrap refits failed and are left out of the interval.");
            return warnings;
        }
    }
}
