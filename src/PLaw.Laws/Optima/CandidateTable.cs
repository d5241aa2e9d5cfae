using PLaw.Laws.Fitting;

namespace PLaw.Laws.Optima;

/// <summary>One row of the paper's candidate table: a configuration, each metric's prediction (made consistent across metrics,
/// <see cref="MetricConsistency"/>) and, where run, its measurement.</summary>
/// <param name="Extrapolated">Outside the measured depths and widths: the law was never checked there.</param>
/// <param name="Inconsistencies">Where the separate per-metric laws disagreed here and how the shown values were corrected.</param>
public sealed record CandidateRow(int Layers, int Dim, IReadOnlyDictionary<string, double> Predicted, IReadOnlyDictionary<string, double>? Measured)
{
    public bool Extrapolated { get; init; }

    public IReadOnlyList<string> Inconsistencies { get; init; } = [];
}

/// <summary>
/// The P-Law candidate table: each metric (NDCG@10, NDCG@50, HR@10, HR@50, …) has its own fitted law; candidates are ranked
/// by <c>rankBy</c>'s prediction, best first, with every configuration inside the measured box ahead of the extrapolated ones,
/// near-duplicates collapsed (<see cref="DistinctRatio"/>), and measured values set beside the predictions where the
/// configuration was run.
/// </summary>
public static class CandidateTable
{
    public static readonly string[] PaperMetrics = ["NDCG@10", "NDCG@50", "HR@10", "HR@50"];

    /// <summary>Two candidates of the same depth whose widths differ by less than this factor are one candidate: the better is kept.</summary>
    public const double DistinctRatio = 1.25;

    /// <summary>From runs: fits each metric's law (<see cref="MetricFits"/>) and sets the runs' measurements beside the predictions.
    /// Throws <see cref="LawFitException"/> when <paramref name="rankBy"/> cannot be fitted; other metrics without a law are left out.</summary>
    public static IReadOnlyList<CandidateRow> Build(IReadOnlyList<MeasuredRun> runs, string rankBy, SearchSpace space, OptimumConstraint? constraint = null, int top = 10)
    {
        var fits = MetricFits.Fit(runs);
        if (fits.Errors.TryGetValue(rankBy, out var error)) throw new LawFitException(FitFailure.TooFewPoints, $"{rankBy}: {error}");
        var measured = runs.GroupBy(r => (r.Layers, r.Dim))
            .ToDictionary(g => g.Key, g => (IReadOnlyDictionary<string, double>)g.Last().Metrics);
        return Build(fits.Laws, rankBy, space, constraint, top, measured, MeasuredBox.Of(measured.Keys));
    }

    /// <param name="box">The measured box; null marks nothing as extrapolated and ranks by value alone.</param>
    /// <param name="distinct">Collapse near-duplicates (same depth, widths within <see cref="DistinctRatio"/>).</param>
    public static IReadOnlyList<CandidateRow> Build(IReadOnlyDictionary<string, PerformanceLawParameters> laws, string rankBy, SearchSpace space,
        OptimumConstraint? constraint = null, int top = 10, IReadOnlyDictionary<(int Layers, int Dim), IReadOnlyDictionary<string, double>>? measured = null,
        MeasuredBox? box = null, bool distinct = true)
    {
        if (!laws.TryGetValue(rankBy, out var ranking))
            throw new ArgumentException($"no fitted law for '{rankBy}' (have {string.Join(", ", laws.Keys)}).", nameof(rankBy));
        return Order(OptimumSearch.Rank(ranking, space, constraint), box, distinct).Take(top).Select(c =>
        {
            var (values, flags) = MetricConsistency.Enforce(laws.ToDictionary(l => l.Key, l => l.Value.Value(c.Layers, c.Dim)));
            return new CandidateRow(c.Layers, c.Dim, values, measured is not null && measured.TryGetValue((c.Layers, c.Dim), out var m) ? m : null)
            {
                Extrapolated = box is not null && !box.Contains(c.Layers, c.Dim),
                Inconsistencies = flags,
            };
        }).ToList();
    }

    /// <summary>Candidates ranked by value, reordered so those inside <paramref name="box"/> come first (each part keeps its order),
    /// near-duplicates collapsed when <paramref name="distinct"/>.</summary>
    public static IEnumerable<Candidate> Order(IReadOnlyList<Candidate> ranked, MeasuredBox? box, bool distinct = true)
    {
        var ordered = box is null ? ranked : ranked.Where(c => box.Contains(c.Layers, c.Dim)).Concat(ranked.Where(c => !box.Contains(c.Layers, c.Dim)));
        return distinct ? Distinct(ordered) : ordered;
    }

    /// <summary>Keeps a candidate unless one already kept has its depth and a width within <see cref="DistinctRatio"/> of its own.</summary>
    public static IEnumerable<Candidate> Distinct(IEnumerable<Candidate> ordered)
    {
        var kept = new Dictionary<int, List<int>>();
        foreach (var c in ordered)
        {
            if (!kept.TryGetValue(c.Layers, out var widths)) kept[c.Layers] = widths = [];
            if (widths.Any(w => Math.Max(w, c.Dim) < DistinctRatio * Math.Min(w, c.Dim))) continue;
            widths.Add(c.Dim);
            yield return c;
        }
    }
}
