using PLaw.Laws.Fitting;

namespace PLaw.Laws.Optima;

/// <summary>One row of the paper's candidate table: a configuration, each metric's prediction and, where run, its measurement.</summary>
public sealed record CandidateRow(int Layers, int Dim, IReadOnlyDictionary<string, double> Predicted, IReadOnlyDictionary<string, double>? Measured);

/// <summary>
/// The P-Law candidate table: each metric (NDCG@10, NDCG@50, HR@10, HR@50, …) has its own fitted law; candidates are ranked
/// by <c>rankBy</c>'s prediction, best first, and measured values are set beside the predictions where the configuration was run.
/// </summary>
public static class CandidateTable
{
    public static readonly string[] PaperMetrics = ["NDCG@10", "NDCG@50", "HR@10", "HR@50"];

    /// <summary>From runs: fits each metric's law (<see cref="MetricFits"/>) and sets the runs' measurements beside the predictions.
    /// Throws <see cref="LawFitException"/> when <paramref name="rankBy"/> cannot be fitted; other metrics without a law are left out.</summary>
    public static IReadOnlyList<CandidateRow> Build(IReadOnlyList<MeasuredRun> runs, string rankBy, SearchSpace space, OptimumConstraint? constraint = null, int top = 10)
    {
        var fits = MetricFits.Fit(runs);
        if (fits.Errors.TryGetValue(rankBy, out var error)) throw new LawFitException(FitFailure.TooFewPoints, $"{rankBy}: {error}");
        var measured = runs.GroupBy(r => (r.Layers, r.Dim))
            .ToDictionary(g => g.Key, g => (IReadOnlyDictionary<string, double>)g.Last().Metrics);
        return Build(fits.Laws, rankBy, space, constraint, top, measured);
    }

    public static IReadOnlyList<CandidateRow> Build(IReadOnlyDictionary<string, PerformanceLawParameters> laws, string rankBy, SearchSpace space,
        OptimumConstraint? constraint = null, int top = 10, IReadOnlyDictionary<(int Layers, int Dim), IReadOnlyDictionary<string, double>>? measured = null)
    {
        if (!laws.TryGetValue(rankBy, out var ranking))
            throw new ArgumentException($"no fitted law for '{rankBy}' (have {string.Join(", ", laws.Keys)}).", nameof(rankBy));
        return OptimumSearch.Rank(ranking, space, constraint, top)
            .Select(c => new CandidateRow(c.Layers, c.Dim,
                laws.ToDictionary(l => l.Key, l => l.Value.Value(c.Layers, c.Dim)),
                measured is not null && measured.TryGetValue((c.Layers, c.Dim), out var m) ? m : null))
            .ToList();
    }
}
