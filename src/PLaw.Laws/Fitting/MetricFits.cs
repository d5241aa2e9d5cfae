using PLaw.Laws.Seeds;

namespace PLaw.Laws.Fitting;

/// <summary>One run with all its metrics by name (HR@10, NDCG@50, …); a failed run has none or non-finite ones.</summary>
public sealed record MeasuredRun(int Layers, int Dim, IReadOnlyDictionary<string, double> Metrics);

/// <summary>Each metric's own performance law, or why it has none.</summary>
public sealed record MetricFitSet(IReadOnlyDictionary<string, PerformanceFit> Fits, IReadOnlyDictionary<string, string> Errors)
{
    /// <summary>Per fitted metric, its runs grouped by configuration (mean, SD, n) and whether the fit was weighted by them.</summary>
    public IReadOnlyDictionary<string, SeedData> Seeds { get; init; } = new Dictionary<string, SeedData>();

    public IReadOnlyDictionary<string, PerformanceLawParameters> Laws => Fits.ToDictionary(f => f.Key, f => f.Value.Parameters);
}

/// <summary>Fits one performance law per metric (P-Law fits HR@K and NDCG@K separately), skipping runs without that metric; runs of
/// one configuration with several seeds enter as their mean weighted by 1/SE² (<see cref="SeedFit"/>).</summary>
public static class MetricFits
{
    public static MetricFitSet Fit(IReadOnlyList<MeasuredRun> runs, IEnumerable<string>? metrics = null)
    {
        var names = (metrics ?? runs.SelectMany(r => r.Metrics.Keys).Distinct().Order()).ToList();
        var fits = new Dictionary<string, PerformanceFit>();
        var errors = new Dictionary<string, string>();
        var seeds = new Dictionary<string, SeedData>();
        foreach (var metric in names)
        {
            var points = runs.Where(r => r.Metrics.TryGetValue(metric, out var v) && double.IsFinite(v))
                .Select(r => new PerformancePoint(r.Layers, r.Dim, r.Metrics[metric])).ToList();
            try
            {
                var seeded = SeedFit.Performance(points);
                fits[metric] = seeded.Fit;
                seeds[metric] = seeded.Seeds;
            }
            catch (LawFitException e) { errors[metric] = e.Message; }
        }
        return new MetricFitSet(fits, errors) { Seeds = seeds };
    }
}
