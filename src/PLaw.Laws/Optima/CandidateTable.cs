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
